import { Args, Flags } from "@oclif/core";
import { compareBytes } from "@git-prolly/prolly-core";
import { BaseCommand } from "../lib/base-command.js";
import { DATA_FORMATS, dataFormatOf } from "../lib/data-format.js";
import { openStore } from "../lib/open-store.js";
import { parseEntries } from "../lib/parse-entries.js";
import { readInputFile } from "../lib/read-input.js";

/** Stages the entries of a JSON, NDJSON, CSV or .env file. */
export default class Import extends BaseCommand<typeof Import> {
  static override summary = "Stage the entries of a JSON, NDJSON, CSV or .env file";
  static override description =
    "Stage the entries of a data file (JSON object or [{key, value}] array, NDJSON, CSV with key,value columns, .env). " +
    "The format comes from the extension or --format. The whole file is checked before anything is staged; a key given twice keeps its last value";
  static override examples = [
    "<%= config.bin %> import config.json && <%= config.bin %> commit -m 'Import config'",
    "<%= config.bin %> import users.ndjson --prefix user:",
    "<%= config.bin %> import .env.production",
    "cat data.csv | <%= config.bin %> import - --format csv",
  ];
  static override args = { file: Args.string({ description: "the file (- for stdin)", required: true }) };
  static override flags = {
    format: Flags.string({
      description: "the file's format (default: from its extension)",
      options: [...DATA_FORMATS],
    }),
    prefix: Flags.string({ char: "p", description: "put this prefix before every key" }),
  };

  async run(): Promise<void> {
    const { file } = this.args;
    const format = dataFormatOf(file, this.flags.format);
    const parsed = parseEntries(await readInputFile(file), format, file);
    const prefix = this.flags.prefix ?? "";
    const encoder = new TextEncoder();
    // Sorted and deduplicated (last value wins): an empty dataset is then built in one streaming pass.
    const entries = parsed.map(([k, v], i) => ({ key: encoder.encode(prefix + k), value: v, i }));
    entries.sort((a, b) => compareBytes(a.key, b.key) || a.i - b.i);
    const unique = entries.filter((e, i) => i + 1 === entries.length || compareBytes(e.key, entries[i + 1]!.key) !== 0);
    const store = this.track(await openStore());
    const progress = this.progress("importing", unique.length);
    let done = 0;
    const count = await store.import(
      (function* () {
        for (const e of unique) {
          if ((++done & 1023) === 0) progress.update(done);
          yield [e.key, e.value] as const;
        }
      })(),
      { sorted: true },
    );
    progress.stop();
    this.output(
      { file, format, entries: count, duplicates: parsed.length - unique.length },
      () =>
        `Staged ${count.toLocaleString("en-US")} entr${count === 1 ? "y" : "ies"} from ${file} (${format}); commit them with '${this.config.bin} commit -m …'`,
    );
  }
}
