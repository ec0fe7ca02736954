import { Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { printable } from "../lib/display-bytes.js";
import { openStore } from "../lib/open-store.js";
import { stdout } from "../lib/std-output.js";

/** Lists keys (and values). */
export default class List extends BaseCommand<typeof List> {
  static override summary = "List keys (and values) in key order";
  static override description = "List keys in key order (the staged state, or at --ref)";
  static override examples = [
    "<%= config.bin %> list",
    "<%= config.bin %> list --prefix db: --values",
    "<%= config.bin %> list --ref production --json",
  ];
  static override flags = {
    prefix: Flags.string({ char: "p", description: "only keys starting with this prefix" }),
    values: Flags.boolean({ char: "v", description: "print `key = value` lines" }),
    ref: Flags.string({ description: "list this branch, tag or commit instead of the staged state" }),
    limit: Flags.integer({ char: "n", description: "stop after this many keys", min: 0 }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const { prefix, values, ref, limit } = this.flags;
    const options = {
      ...(prefix === undefined ? {} : { prefix }),
      ...(ref === undefined ? {} : { ref }),
      ...(limit === undefined ? {} : { limit }),
    };
    if (this.json) {
      const entries: unknown[] = [];
      for await (const e of store.list(options)) entries.push(values ? { key: e.key, value: e.value } : e.key);
      this.output(entries, () => undefined);
      return;
    }
    // Stream: a million keys print without being held in memory.
    let buffer = "";
    for await (const e of store.list(options)) {
      buffer += values ? `${printable(e.key)} = ${printable(e.value)}\n` : `${printable(e.key)}\n`;
      if (buffer.length > 65_536) {
        stdout.write(buffer); // blocks while the reader is behind: nothing piles up in memory
        buffer = "";
        if (stdout.closed) return; // `list | head`: nobody reads the rest
      }
    }
    if (buffer !== "") stdout.write(buffer);
  }
}
