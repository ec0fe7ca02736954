import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { openStore } from "../lib/open-store.js";
import { runSet } from "../lib/run-set.js";

/** Stages a key's value. */
export default class SetCommand extends BaseCommand<typeof SetCommand> {
  static override summary = "Stage a key's value";
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
  static override flags = {
    file: Flags.string({ char: "f", description: "read the value from this file (- for stdin)" }),
  };

  async run(): Promise<void> {
    await runSet(
      () => openStore(),
      { key: this.args.key, value: this.args.value, file: this.flags.file, json: this.json },
      this.config.bin,
    );
  }
}
