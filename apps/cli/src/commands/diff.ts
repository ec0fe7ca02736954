import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { changeJson, compactLines, detailedLines } from "../lib/format-changes.js";
import { toJson } from "../lib/json-output.js";
import { openStore } from "../lib/open-store.js";
import { stdout } from "../lib/std-output.js";

/** Key changes between two versions. */
export default class Diff extends BaseCommand<typeof Diff> {
  static override summary = "Show the key changes between two versions";
  static override description =
    "Show the key changes between two versions (branches, tags, commits; <to> defaults to the staged state), sorted by key";
  static override examples = [
    "<%= config.bin %> diff production staging",
    "<%= config.bin %> diff HEAD~3 HEAD --format detailed",
    "<%= config.bin %> diff production staging --format=json > data_diff.json",
    "<%= config.bin %> diff main --prefix db:",
  ];
  static override args = {
    from: Args.string({ description: "the old version", required: true }),
    to: Args.string({ description: "the new version (default: the staged state)" }),
  };
  static override flags = {
    format: Flags.string({
      description: "output format (json: the same document as --json)",
      options: ["compact", "detailed", "json"],
      default: "compact",
    }),
    prefix: Flags.string({ char: "p", description: "only keys starting with this prefix" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const { from, to } = this.args;
    const { prefix, format } = this.flags;
    const changes = await store.diff(from, to, prefix === undefined ? {} : { prefix });
    const doc = { from, to: to ?? null, changes: changes.map(changeJson) };
    if (format === "json" && !this.json) {
      stdout.write(`${toJson(doc)}\n`);
      return;
    }
    this.output(doc, (s) => (format === "detailed" ? detailedLines(changes, s) : compactLines(changes, s)));
  }
}
