import { Args } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { quoteKey } from "../lib/display-bytes.js";
import { openStore } from "../lib/open-store.js";
import { stderr } from "../lib/std-output.js";

/** Stages the deletion of a key. */
export default class Delete extends BaseCommand<typeof Delete> {
  static override summary = "Stage the deletion of a key";
  static override description =
    "Stage the deletion of a key. Deleting an absent key changes nothing and succeeds with a warning (like `rm -f`), so migration scripts can run twice";
  static override examples = [
    "<%= config.bin %> delete schema:legacy_fields",
    "<%= config.bin %> delete old:key --json",
  ];
  static override args = { key: Args.string({ description: "the key", required: true }) };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const key = this.args.key;
    const deleted = await store.delete(key);
    if (!deleted && !this.json)
      stderr.write(`warning: key ${quoteKey(key)} is not in the dataset; nothing to delete\n`);
    this.output({ key, deleted }, () => undefined);
  }
}
