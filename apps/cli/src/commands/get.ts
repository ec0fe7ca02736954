import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { CliError } from "../lib/cli-error.js";
import { quoteKey } from "../lib/display-bytes.js";
import { openStore } from "../lib/open-store.js";

/** Prints the value of a key. */
export default class Get extends BaseCommand<typeof Get> {
  static override description = "Print the value of a key (the staged state, or at --ref)";
  static override examples = [
    "<%= config.bin %> get app:name",
    "<%= config.bin %> get db:host --ref production",
    "<%= config.bin %> get db:host --ref HEAD~2 --json",
  ];
  static override args = { key: Args.string({ description: "the key", required: true }) };
  static override flags = { ref: Flags.string({ description: "read this branch, tag or commit instead of the staged state" }) };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const key = this.args.key;
    const ref = this.flags.ref;
    const value = await store.get(key, ref === undefined ? {} : { ref });
    if (value === undefined) {
      throw new CliError("CLI_KEY_NOT_FOUND", `key ${quoteKey(key)} not found${ref === undefined ? "" : ` at ${ref}`}`, {
        hint: `list the keys with '${this.config.bin} list'${ref === undefined ? "" : ` --ref ${ref}`}`,
        data: { key, ref: ref ?? null },
      });
    }
    if (this.json) this.output({ key, value, ...(ref === undefined ? {} : { ref }) }, () => undefined);
    else process.stdout.write(Buffer.concat([Buffer.from(value.buffer, value.byteOffset, value.byteLength), Buffer.from("\n")]));
  }
}
