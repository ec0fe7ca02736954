import { BaseCommand } from "../lib/base-command.js";
import { displayBytes } from "../lib/display-bytes.js";
import { openStore } from "../lib/open-store.js";

/** Shows the dataset's branch and staged changes. */
export default class Status extends BaseCommand<typeof Status> {
  static override summary = "Show the dataset's branch and staged changes";
  static override description = "Show the dataset's branch and its staged changes";
  static override examples = ["<%= config.bin %> status", "<%= config.bin %> status --json"];

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const [branch, commit, changes, clean] = await Promise.all([store.currentBranch(), store.currentCommit(), store.status(), store.isClean()]);
    const dataset = store.dataset === "" ? "." : store.dataset;
    const result = {
      dataset,
      branch: branch ?? null,
      commit: commit ?? null,
      clean,
      changes: changes.map((c) => ({ key: c.key, change: c.change })),
    };
    this.output(result, (s) => {
      const lines = [`dataset ${s.bold(dataset)} on ${branch === undefined ? `detached HEAD ${commit ?? ""}` : `branch ${s.bold(branch)}`}`];
      if (changes.length === 0) {
        lines.push(clean ? "nothing to commit, dataset clean" : "no staged changes, but some dataset files differ from the staging area (git status shows them)");
        return lines;
      }
      lines.push("Changes to be committed:");
      for (const c of changes) {
        const color = c.change === "added" ? s.green : c.change === "deleted" ? s.red : s.yellow;
        lines.push(color(`  ${`${c.change}:`.padEnd(10)} ${displayBytes(c.key)}`));
      }
      return lines;
    });
  }
}
