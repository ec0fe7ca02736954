import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { CliError } from "../lib/cli-error.js";
import { openStore } from "../lib/open-store.js";
import { readInputFile } from "../lib/read-input.js";

/** Stages a key's value. */
export default class SetCommand extends BaseCommand<typeof SetCommand> {
  static override description = "Stage a key's value (commit it with `commit -m`)";
  static override examples = [
    '<%= config.bin %> set app:name "MyApp"',
    "<%= config.bin %> set app:logo --file logo.svg",
    "echo -n secret | <%= config.bin %> set api:token -",
  ];
  static override args = {
    key: Args.string({ description: "the key", required: true }),
    value: Args.string({ description: "the value; - reads it from stdin" }),
  };
  static override flags = { file: Flags.string({ char: "f", description: "read the value from this file (- for stdin)" }) };

  async run(): Promise<void> {
    const { key, value: arg } = this.args;
    const file = this.flags.file;
    if (arg !== undefined && file !== undefined) {
      throw new CliError("CLI_USAGE", "give the value as an argument or with --file, not both", { hint: `${this.config.bin} set <key> <value> | --file <path> | -` });
    }
    if (arg === undefined && file === undefined) {
      throw new CliError("CLI_USAGE", "missing value", { hint: `${this.config.bin} set <key> <value> (or --file <path>, or - for stdin)` });
    }
    const value: Uint8Array | string = file !== undefined ? await readInputFile(file) : arg === "-" ? await readInputFile("-") : arg!;
    const store = this.track(await openStore());
    await store.set(key, value);
    const bytes = typeof value === "string" ? Buffer.byteLength(value) : value.length;
    this.output({ key, bytes, staged: true }, () => undefined);
  }
}
