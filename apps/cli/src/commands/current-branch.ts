import { BaseCommand } from "../lib/base-command.js";
import { openStore } from "../lib/open-store.js";

/** Prints the branch the dataset is on. */
export default class CurrentBranch extends BaseCommand<typeof CurrentBranch> {
  static override summary = "Print the branch the dataset is on";
  static override description = "Print the branch the dataset is on (the commit id when it is detached, so `checkout $(current-branch)` returns to it)";
  static override examples = ["<%= config.bin %> current-branch", "ORIGINAL=$(<%= config.bin %> current-branch)"];

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const [branch, commit] = await Promise.all([store.currentBranch(), store.currentCommit()]);
    this.output({ branch: branch ?? null, commit: commit ?? null, detached: branch === undefined }, () => branch ?? commit ?? "");
  }
}
