import { BaseCommand } from "../lib/base-command.js";
import { setupGit } from "../lib/git-setup.js";
import { isKvStoreError } from "@git-prolly/kv-store";
import { openStore } from "../lib/open-store.js";

/** Installs the Git diff driver for the dataset. */
export default class SetupGit extends BaseCommand<typeof SetupGit> {
  static override summary = "Make git diff / log -p / show print data as key = value lines";
  static override description =
    "Make plain Git show data changes: installs the git-prolly diff driver (diff.git-prolly.textconv in .git/config, the dataset's attribute in .gitattributes) " +
    "so that git diff, git log -p and git show print `key = value` lines instead of node files. `init` does this; run it in fresh clones";
  static override examples = [
    "<%= config.bin %> setup-git",
    "git clone … data && cd data && <%= config.bin %> setup-git && git log -p",
  ];

  async run(): Promise<void> {
    // Anywhere in a clone: inside a dataset its attributes are added too; elsewhere (the top
    // level of a monorepo clone) only the driver, since .gitattributes came with the clone.
    const store = await openStore().catch((e: unknown) => {
      if (isKvStoreError(e) && e.code === "KV_NOT_A_DATASET") return undefined;
      throw e;
    });
    if (store !== undefined) this.track(store);
    const setup = await setupGit(process.cwd(), store?.dataset);
    this.output(setup, () => [
      `diff driver installed: diff.git-prolly.textconv = ${setup.textconv}`,
      store === undefined
        ? `not inside a dataset: ${setup.attributesFile} left as it is`
        : setup.added.length === 0
          ? `${setup.attributesFile} already names the dataset`
          : `${setup.attributesFile}: added ${setup.added.join(", ")}`,
    ]);
  }
}
