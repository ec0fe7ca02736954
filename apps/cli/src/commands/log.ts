import { Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { printable } from "../lib/display-bytes.js";
import { commitJson, commitLines, commitOneLine } from "../lib/format-commit.js";
import { openStore } from "../lib/open-store.js";
import { stdout } from "../lib/std-output.js";

/** Shows the commits that changed the dataset (or one key). */
export default class Log extends BaseCommand<typeof Log> {
  static override summary = "Show the commits that changed the dataset or a key";
  static override description =
    "Show the commits that changed the dataset, newest first (with --key: the commits that changed that key, and its value after each)";
  static override examples = [
    "<%= config.bin %> log",
    "<%= config.bin %> log --limit 5 --oneline",
    "<%= config.bin %> log --key db:host",
    "<%= config.bin %> log --ref production --json",
  ];
  static override flags = {
    limit: Flags.integer({ char: "n", description: "show at most this many commits", min: 0 }),
    key: Flags.string({ char: "k", description: "only commits that changed this key" }),
    ref: Flags.string({ description: "start from this branch, tag or commit (default HEAD)" }),
    oneline: Flags.boolean({ description: "one line per commit" }),
    all: Flags.boolean({ description: "also commits that did not change the dataset" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const { limit, key, ref, oneline, all } = this.flags;
    const options = {
      ...(limit === undefined ? {} : { limit }),
      ...(ref === undefined ? {} : { ref }),
      datasetOnly: !all,
    };
    const s = this.styles;
    const json: unknown[] = [];
    let first = true;
    const emit = (lines: string[]): void => {
      if (!oneline && !first) stdout.write("\n");
      first = false;
      stdout.write(`${lines.join("\n")}\n`);
    };
    if (key !== undefined) {
      for await (const { commit, value } of store.history(key, options)) {
        if (this.json) json.push({ commit: commitJson(commit), value });
        else {
          const after = value === null ? s.red("(deleted)") : `${printable(key)} = ${printable(value)}`;
          emit(oneline ? [`${commitOneLine(commit, s)}  ${after}`] : [...commitLines(commit, s), "", `    ${after}`]);
          if (stdout.closed) return; // `log | head`: nobody reads the rest
        }
      }
    } else {
      for await (const commit of store.log(options)) {
        if (this.json) json.push(commitJson(commit));
        else {
          emit(oneline ? [commitOneLine(commit, s)] : commitLines(commit, s));
          if (stdout.closed) return;
        }
      }
    }
    if (this.json) this.output(json, () => undefined);
  }
}
