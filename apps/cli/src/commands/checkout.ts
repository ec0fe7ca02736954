import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { shortId } from "../lib/display-bytes.js";
import { followingJson, followingLine } from "../lib/format-following.js";
import { openStore } from "../lib/open-store.js";

/** Switches the dataset to a branch, tag or commit. */
export default class Checkout extends BaseCommand<typeof Checkout> {
  static override summary = "Switch the dataset to a branch, tag or commit";
  static override description =
    "Switch the dataset to a branch, tag or commit (-b: create the branch first). In a dataset that is a sub-directory of a repository only the dataset's files switch " +
    "(HEAD, code and other datasets stay) and the dataset follows that ref: commit and merge write onto it, a tag or commit is read-only. Checking out the repository's own branch " +
    "returns to following HEAD. A dataset at the repository root checks out the whole repository, like git checkout. Refuses when the dataset has uncommitted changes (exit 7) unless --force";
  static override examples = [
    "cd config && <%= config.bin %> checkout production   # data from production, code stays",
    "<%= config.bin %> checkout -b feature/new-ui-config",
    "<%= config.bin %> checkout v1.2.3",
    "<%= config.bin %> checkout abc123d",
  ];
  static override args = {
    ref: Args.string({ description: "a branch, tag or commit (with -b: the new branch)", required: true }),
  };
  static override flags = {
    create: Flags.boolean({ char: "b", description: "create the branch at the dataset's commit and switch to it" }),
    force: Flags.boolean({ char: "f", description: "discard the dataset's uncommitted changes" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const result = await store.checkout(this.args.ref, { create: this.flags.create, force: this.flags.force });
    const f = result.following;
    this.output(
      { branch: result.branch ?? null, commit: result.commit, scope: result.scope, following: followingJson(f) },
      () => {
        if (result.scope === "dataset")
          return `${this.flags.create ? "Created and switched to" : "Switched to"} ${this.args.ref}: ${followingLine(f)}`;
        if (result.branch === undefined)
          return `HEAD is now at ${shortId(result.commit)} (detached: read-only; create a branch with 'checkout -b <name>' to commit)`;
        return `${this.flags.create ? "Switched to a new branch" : "Switched to branch"} '${result.branch}'`;
      },
    );
  }
}
