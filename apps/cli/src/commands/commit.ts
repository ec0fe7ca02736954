import { Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { shortId } from "../lib/display-bytes.js";
import { commitJson } from "../lib/format-commit.js";
import { openStore } from "../lib/open-store.js";

/** Commits the staged changes of the dataset. */
export default class Commit extends BaseCommand<typeof Commit> {
  static override description =
    "Commit the dataset's staged changes (only the dataset: other staged files stay staged). With nothing staged it says so and succeeds";
  static override examples = ['<%= config.bin %> commit -m "Production configuration"', '<%= config.bin %> commit -m "Bump" --json'];
  static override flags = {
    message: Flags.string({ char: "m", description: "the commit message", required: true }),
    "allow-empty": Flags.boolean({ description: "commit even when nothing is staged" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const info = await store.commit(this.flags.message, { allowEmpty: this.flags["allow-empty"] });
    if (info === undefined) {
      this.output({ committed: false }, () => "nothing to commit (the dataset has no staged changes)");
      return;
    }
    const branch = await store.currentBranch();
    this.output({ committed: true, branch: branch ?? null, commit: commitJson(info) }, () => `[${branch ?? "detached HEAD"} ${shortId(info.id)}] ${info.subject}`);
  }
}
