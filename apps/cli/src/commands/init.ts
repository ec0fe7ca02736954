import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Args, Flags } from "@oclif/core";
import { MANIFEST_NAME, VersionedKvStore } from "@git-prolly/kv-store";
import { BaseCommand } from "../lib/base-command.js";
import { type GitSetup, setupGit } from "../lib/git-setup.js";

/** Creates a dataset. */
export default class Init extends BaseCommand<typeof Init> {
  static override summary = "Create a dataset (and the Git diff driver)";
  static override description =
    "Create a dataset in a directory (default: the current one) of a Git repository, or of a new repository when there is none, and commit it empty. " +
    "Also installs the git diff driver (see setup-git). Running it on an existing dataset changes nothing";
  static override examples = [
    "<%= config.bin %> init",
    "mkdir config && cd config && <%= config.bin %> init",
    "<%= config.bin %> init user-data --json",
  ];
  static override args = { path: Args.string({ description: "the dataset's directory", default: "." }) };
  static override flags = {
    "initial-branch": Flags.string({
      char: "b",
      description: "first branch of a new repository (default: Git's init.defaultBranch, else main)",
    }),
    "no-commit": Flags.boolean({ description: "stage the empty dataset without committing it" }),
    "skip-git-setup": Flags.boolean({ description: "do not install the git diff driver" }),
  };

  async run(): Promise<void> {
    const path = resolve(this.args.path);
    const existed = existsSync(join(path, MANIFEST_NAME));
    const branch = this.flags["initial-branch"];
    const store = this.track(
      await VersionedKvStore.init(path, {
        commit: !this.flags["no-commit"],
        ...(branch === undefined ? {} : { initialBranch: branch }),
      }),
    );
    let git: GitSetup | undefined;
    if (!this.flags["skip-git-setup"]) git = await setupGit(path, store.dataset);
    const dataset = store.dataset === "" ? "." : store.dataset;
    this.output({ path, dataset, created: !existed, gitSetup: git ?? null }, () => [
      existed ? `Dataset already initialized in ${path}` : `Initialized git-prolly dataset ${dataset} in ${path}`,
      ...(git?.uncommitted === true
        ? [
            `Diff driver attributes in ${git.attributesFile}: commit that file too (git add .gitattributes) to share them`,
          ]
        : []),
    ]);
  }
}
