import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { DATA_FORMATS, dataFormatOf } from "../lib/data-format.js";
import { EntryFormatter } from "../lib/format-entries.js";
import { openStore } from "../lib/open-store.js";
import { stdout } from "../lib/std-output.js";

/** Writes the dataset (or part of it) as JSON, NDJSON, CSV or .env. */
export default class Export extends BaseCommand<typeof Export> {
  static override summary = "Write the entries as JSON, NDJSON, CSV or .env";
  static override description =
    "Write the entries (the staged state, or at --ref) to a file or stdout as JSON, NDJSON, CSV or .env, in key order. " +
    "The format comes from the file's extension or --format (default json). A file is written whole or not at all";
  static override examples = [
    "<%= config.bin %> export config.json",
    "<%= config.bin %> export --ref production --format ndjson > production.ndjson",
    "<%= config.bin %> export .env --prefix APP_",
  ];
  static override args = { file: Args.string({ description: "the file to write (default: stdout)" }) };
  static override flags = {
    format: Flags.string({
      description: "output format (default: from the extension, else json)",
      options: [...DATA_FORMATS],
    }),
    prefix: Flags.string({ char: "p", description: "only keys starting with this prefix" }),
    ref: Flags.string({ description: "export this branch, tag or commit instead of the staged state" }),
  };

  async run(): Promise<void> {
    const { file } = this.args;
    const { prefix, ref } = this.flags;
    const format = dataFormatOf(file, this.flags.format, "json");
    const store = this.track(await openStore());
    const toFile = file !== undefined && file !== "-";
    const tmp = `${file}.git-prolly-${process.pid}.tmp`;
    // Without a file, stdout: synchronous writes (std-output.ts) that stop when the reader goes away.
    const out: Writable | undefined = toFile ? createWriteStream(tmp) : undefined;
    const formatter = new EntryFormatter(format);
    const progress = this.progress("exporting");
    let count = 0;
    let buffer = formatter.begin();
    const flush = async (): Promise<void> => {
      if (out === undefined) stdout.write(buffer);
      else if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    };
    try {
      for await (const e of store.list({
        ...(prefix === undefined ? {} : { prefix }),
        ...(ref === undefined ? {} : { ref }),
      })) {
        buffer += formatter.entry(e.key, e.value);
        if ((++count & 1023) === 0) progress.update(count);
        if (buffer.length > 65_536) {
          await flush();
          if (stdout.closed) break; // `export | head`: nobody reads the rest
        }
      }
      buffer += formatter.end();
      await flush();
      progress.stop();
      if (out !== undefined) {
        out.end();
        await once(out, "finish");
        await rename(tmp, file!);
      }
    } catch (error) {
      progress.stop();
      if (out !== undefined) {
        out.destroy();
        await rm(tmp, { force: true });
      }
      throw error;
    }
    if (toFile)
      this.output(
        { file, format, entries: count },
        () => `Exported ${count.toLocaleString("en-US")} entr${count === 1 ? "y" : "ies"} to ${file} (${format})`,
      );
  }
}
