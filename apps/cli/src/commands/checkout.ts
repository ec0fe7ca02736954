import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { shortId } from "../lib/display-bytes.js";
import { openStore } from "../lib/open-store.js";

/** Switches the dataset to a branch, tag or commit. */
export default class Checkout extends BaseCommand<typeof Checkout> {
  static override summary = "Switch the dataset to a branch, tag or commit";
  static override description = "Switch to a branch, tag or commit (-b: create the branch first). Refuses when the dataset has uncommitted changes unless --force";
  static override examples = [
    "<%= config.bin %> checkout production",
    "<%= config.bin %> checkout -b feature/new-ui-config",
    "<%= config.bin %> checkout v1.2.3",
    "<%= config.bin %> checkout abc123d",
  ];
  static override args = { ref: Args.string({ description: "a branch, tag or commit (with -b: the new branch)", required: true }) };
  static override flags = {
    create: Flags.boolean({ char: "b", description: "create the branch at the current commit and switch to it" }),
    force: Flags.boolean({ char: "f", description: "discard the dataset's uncommitted changes" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const result = await store.checkout(this.args.ref, { create: this.flags.create, force: this.flags.force });
    this.output({ branch: result.branch ?? null, commit: result.commit }, () =>
      result.branch === undefined
        ? `HEAD is now at ${shortId(result.commit)} (detached: read-only; create a branch with 'checkout -b <name>' to commit)`
        : `${this.flags.create ? "Switched to a new branch" : "Switched to branch"} '${result.branch}'`,
    );
  }
}
