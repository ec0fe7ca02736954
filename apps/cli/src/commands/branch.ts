import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { CliError } from "../lib/cli-error.js";
import { shortId } from "../lib/display-bytes.js";
import { openStore } from "../lib/open-store.js";

/** Lists, creates or deletes branches. */
export default class Branch extends BaseCommand<typeof Branch> {
  static override summary = "List, create or delete branches";
  static override description = "List branches; with a name, create one at HEAD (or --from); with -d, delete one";
  static override examples = [
    "<%= config.bin %> branch",
    "<%= config.bin %> branch migration/v2-schema",
    "<%= config.bin %> branch hotfix --from production",
    "<%= config.bin %> branch -d migration/v2-schema",
  ];
  static override args = { name: Args.string({ description: "the branch to create (or delete with -d)" }) };
  static override flags = {
    delete: Flags.boolean({ char: "d", description: "delete the branch (it must be merged into HEAD)" }),
    force: Flags.boolean({ char: "D", description: "with -d: delete even if not merged" }),
    from: Flags.string({ description: "create the branch at this revision instead of HEAD" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const { name } = this.args;
    const { delete: del, force, from } = this.flags;
    if (name === undefined) {
      if (del || force)
        throw new CliError("CLI_USAGE", "branch -d needs a branch name", {
          hint: `${this.config.bin} branch -d <name>`,
        });
      const branches = await store.branches();
      this.output(
        branches.map((b) => ({ name: b.name, commit: b.commit, current: b.current })),
        (s) =>
          branches.map((b) =>
            b.current ? `* ${s.green(b.name)} ${s.dim(shortId(b.commit))}` : `  ${b.name} ${s.dim(shortId(b.commit))}`,
          ),
      );
      return;
    }
    if (del || force) {
      await store.deleteBranch(name, { force });
      this.output({ deleted: name }, () => `Deleted branch ${name}`);
      return;
    }
    const commit = await store.branch(name, from === undefined ? {} : { from });
    this.output({ created: name, commit }, () => `Created branch ${name} at ${shortId(commit)}`);
  }
}
