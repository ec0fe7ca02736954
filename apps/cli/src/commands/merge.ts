import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { CliError } from "../lib/cli-error.js";
import { shortId } from "../lib/display-bytes.js";
import { conflictJson, conflictLines } from "../lib/format-conflicts.js";
import { openStore } from "../lib/open-store.js";
import { stdout } from "../lib/std-output.js";

/** Merges a branch into the current one. */
export default class Merge extends BaseCommand<typeof Merge> {
  static override summary = "Merge a branch into the current one, key by key";
  static override description =
    "Merge a branch (or any revision) into the current branch: a fast-forward when possible, else a three-way merge of the keys. " +
    "Conflicting keys are listed with their base, ours and theirs values and nothing is written (exit 4) unless --strategy settles them";
  static override examples = [
    "<%= config.bin %> merge staging",
    "<%= config.bin %> merge migration/v2-schema --strategy theirs",
    '<%= config.bin %> merge hotfix -m "Merge hotfix data" --no-ff',
  ];
  static override args = { branch: Args.string({ description: "the branch or revision to merge", required: true }) };
  static override flags = {
    strategy: Flags.string({
      char: "s",
      description: "settle key conflicts: fail (default), ours or theirs",
      options: ["fail", "ours", "theirs"],
      default: "fail",
    }),
    message: Flags.string({ char: "m", description: "message of the merge commit" }),
    "no-ff": Flags.boolean({ description: "create a merge commit even when a fast-forward is possible" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const { strategy, message } = this.flags;
    const progress = this.progress(`merging ${this.args.branch}`);
    const outcome = await store
      .merge(this.args.branch, {
        ...(strategy === "ours" || strategy === "theirs" ? { resolve: strategy } : {}),
        ...(message === undefined ? {} : { message }),
        noFastForward: this.flags["no-ff"],
        onProgress: (phase) => progress.phase(phase),
      })
      .finally(() => progress.stop());
    if (outcome.status === "conflicts") {
      if (!this.json) stdout.write(`${conflictLines(outcome.conflicts, this.styles).join("\n")}\n`);
      const n = outcome.conflicts.length;
      throw new CliError(
        "CLI_MERGE_CONFLICTS",
        `merge of ${this.args.branch} stopped: ${n} conflicting key${n === 1 ? "" : "s"}; nothing was written`,
        {
          hint: `settle them with '${this.config.bin} merge ${this.args.branch} --strategy ours|theirs', or set the keys on either branch and merge again`,
          data: { branch: this.args.branch, conflicts: outcome.conflicts.map(conflictJson) },
        },
      );
    }
    const resolved = outcome.status === "merged" ? outcome.resolved : [];
    this.output({ status: outcome.status, commit: outcome.commit, resolved: resolved.map(conflictJson) }, (s) => {
      if (outcome.status === "up-to-date") return "Already up to date.";
      if (outcome.status === "fast-forward") return `Fast-forward to ${shortId(outcome.commit)}`;
      const lines = [`Merged ${this.args.branch}: ${shortId(outcome.commit)}`];
      if (resolved.length > 0)
        lines.push(
          s.dim(
            `${resolved.length} conflicting key${resolved.length === 1 ? "" : "s"} settled with --strategy ${strategy}`,
          ),
        );
      return lines;
    });
  }
}
