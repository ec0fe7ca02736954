import { Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { openStore } from "../lib/open-store.js";
import { runCommit } from "../lib/run-commit.js";

/** Commits the staged changes of the dataset. */
export default class Commit extends BaseCommand<typeof Commit> {
  static override summary = "Commit the dataset's staged changes";
  static override description =
    "Commit the dataset's staged changes (only the dataset: other staged files stay staged). With nothing staged it says so and succeeds";
  static override examples = [
    '<%= config.bin %> commit -m "Production configuration"',
    '<%= config.bin %> commit -m "Bump" --json',
  ];
  static override flags = {
    message: Flags.string({ char: "m", description: "the commit message", required: true }),
    "allow-empty": Flags.boolean({ description: "commit even when nothing is staged" }),
  };

  async run(): Promise<void> {
    await runCommit(() => openStore(), {
      message: this.flags.message,
      allowEmpty: this.flags["allow-empty"],
      json: this.json,
    });
  }
}
