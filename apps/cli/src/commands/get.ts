import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { keyNotFound, printValue } from "../lib/get-output.js";
import { openStore } from "../lib/open-store.js";

/** Prints the value of a key. */
export default class Get extends BaseCommand<typeof Get> {
  static override summary = "Print the value of a key";
  static override description =
    "Print the value of a key (the staged state, or at --ref). An absent key exits 3 with one line on stderr";
  static override examples = [
    "<%= config.bin %> get app:name",
    "<%= config.bin %> get db:host --ref production",
    "<%= config.bin %> get db:host --ref HEAD~2 --json",
  ];
  static override args = { key: Args.string({ description: "the key", required: true }) };
  static override flags = {
    ref: Flags.string({ description: "read this branch, tag or commit instead of the staged state" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const { key } = this.args;
    const { ref } = this.flags;
    const value = await store.get(key, ref === undefined ? {} : { ref });
    if (value === undefined) throw keyNotFound(key, ref, this.config.bin);
    printValue(key, value, ref, this.json);
  }
}
