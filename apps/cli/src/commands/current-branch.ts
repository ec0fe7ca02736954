import { BaseCommand } from "../lib/base-command.js";
import { currentRef, followingJson } from "../lib/format-following.js";
import { openStore } from "../lib/open-store.js";

/** Prints the branch the dataset is on. */
export default class CurrentBranch extends BaseCommand<typeof CurrentBranch> {
  static override summary = "Print the branch the dataset is on";
  static override description =
    "Print the branch the dataset follows (checked out for the dataset alone, else HEAD's); a tag's name or a commit id when it follows one, so `checkout \"$(current-branch)\"` returns to it";
  static override examples = [
    "<%= config.bin %> current-branch",
    "ORIGINAL_BRANCH=$(cd config && <%= config.bin %> current-branch)",
  ];

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const f = await store.following();
    const branch = f.kind === "head" || f.kind === "branch" ? f.ref : undefined;
    this.output(
      {
        branch: branch ?? null,
        ref: currentRef(f) || null,
        commit: f.commit ?? null,
        detached: branch === undefined,
        following: followingJson(f),
      },
      () => currentRef(f),
    );
  }
}
