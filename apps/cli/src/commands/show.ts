import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { changeJson, compactLines, detailedLines } from "../lib/format-changes.js";
import { commitJson, commitLines } from "../lib/format-commit.js";
import { openStore } from "../lib/open-store.js";

/** Shows a commit and the key changes it made. */
export default class Show extends BaseCommand<typeof Show> {
  static override summary = "Show a commit and the key changes it made";
  static override description = "Show a commit and the dataset changes it made (against its first parent)";
  static override examples = [
    "<%= config.bin %> show",
    "<%= config.bin %> show HEAD~1",
    "<%= config.bin %> show v1.2.3 --json",
  ];
  static override args = { ref: Args.string({ description: "a branch, tag or commit", default: "HEAD" }) };
  static override flags = {
    format: Flags.string({
      description: "how to print the changes",
      options: ["compact", "detailed"],
      default: "compact",
    }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const { commit, changes } = await store.show(this.args.ref);
    this.output({ commit: commitJson(commit), changes: changes.map(changeJson) }, (s) => [
      ...commitLines(commit, s),
      "",
      ...(changes.length === 0
        ? [s.dim("(no dataset changes)")]
        : this.flags.format === "detailed"
          ? detailedLines(changes, s)
          : compactLines(changes, s)),
    ]);
  }
}
