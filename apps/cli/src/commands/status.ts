import { BaseCommand } from "../lib/base-command.js";
import { printable, shortId } from "../lib/display-bytes.js";
import { followingJson, followingLine } from "../lib/format-following.js";
import { openStore } from "../lib/open-store.js";

/** Shows the dataset's branch and staged changes. */
export default class Status extends BaseCommand<typeof Status> {
  static override summary = "Show the dataset's branch and staged changes";
  static override description =
    "Show what the dataset follows (HEAD's branch, or a branch, tag or commit checked out for the dataset alone, beside the repository's branch) and its staged changes";
  static override examples = ["<%= config.bin %> status", "<%= config.bin %> status --json"];

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const [following, changes, clean] = await Promise.all([store.following(), store.status(), store.isClean()]);
    const branch = following.kind === "head" || following.kind === "branch" ? following.ref : undefined;
    const result = {
      dataset: following.dataset,
      branch: branch ?? null,
      commit: following.commit ?? null,
      following: followingJson(following),
      clean,
      changes: changes.map((c) => ({ key: c.key, change: c.change })),
    };
    this.output(result, (s) => {
      const lines = [followingLine(following)];
      if (following.branchTip !== undefined) {
        lines.push(
          s.yellow(
            `${following.ref ?? "the branch"} moved to ${shortId(following.branchTip)} since the dataset was checked out: checkout it again before committing`,
          ),
        );
      }
      if (changes.length === 0) {
        lines.push(
          clean
            ? "nothing to commit, dataset clean"
            : "no staged changes, but some dataset files differ from the staging area (git status shows them)",
        );
        return lines;
      }
      lines.push("Changes to be committed:");
      for (const c of changes) {
        const color = c.change === "added" ? s.green : c.change === "deleted" ? s.red : s.yellow;
        lines.push(color(`  ${`${c.change}:`.padEnd(10)} ${printable(c.key)}`));
      }
      return lines;
    });
  }
}
