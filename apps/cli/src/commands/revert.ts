import { Args } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { CliError } from "../lib/cli-error.js";
import { shortId } from "../lib/display-bytes.js";
import { conflictJson, conflictLines } from "../lib/format-conflicts.js";
import { openStore } from "../lib/open-store.js";
import { stdout } from "../lib/std-output.js";

/** Reverts a commit's dataset changes with a new commit. */
export default class Revert extends BaseCommand<typeof Revert> {
  static override summary = "Undo a commit's dataset changes with a new commit";
  static override description =
    'Undo the dataset changes of a commit with a new commit `Revert "…"` (keys changed since then conflict: nothing is written, exit 4)';
  static override examples = ["<%= config.bin %> revert HEAD", "<%= config.bin %> revert abc123d --json"];
  static override args = { commit: Args.string({ description: "the commit to revert", required: true }) };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const outcome = await store.revert(this.args.commit);
    if (outcome.status === "conflicts") {
      if (!this.json) stdout.write(`${conflictLines(outcome.conflicts, this.styles).join("\n")}\n`);
      throw new CliError(
        "CLI_MERGE_CONFLICTS",
        `cannot revert ${this.args.commit}: ${outcome.conflicts.length} key(s) changed since; nothing was written`,
        {
          hint: "set those keys by hand and commit, or revert the later commits first",
          data: { commit: this.args.commit, conflicts: outcome.conflicts.map(conflictJson) },
        },
      );
    }
    this.output(outcome, () =>
      outcome.status === "reverted"
        ? `Reverted ${this.args.commit}: ${shortId(outcome.commit)}`
        : "nothing to revert (the commit changed no keys of this dataset)",
    );
  }
}
