import { Args } from "@oclif/core";
import { DevCommand } from "../../../dev/dev-command.js";
import { promoteRelease, type PromoteResult } from "../../../dev/promote-release.js";

/** `git-prolly dev release promote rc|prod`. */
export default class DevReleasePromote extends DevCommand {
  static override summary = "Promote the smallest stage to a release candidate, or the release candidate to production";
  static override description =
    "rc: X.Y.Z-stage.txt → X.Y.Z-rcN.txt (cumulative), patch code merged into ho-prod, tests run, tag vX.Y.Z-rcN, patch branches deleted. " +
    "prod: → X.Y.Z.txt (cumulative), release recorded, model/schema-X.Y.Z.sql and metadata-X.Y.Z.sql written and model/schema.sql moved, tag vX.Y.Z. " +
    "Both push to origin and notify active patch branches that they must merge ho-prod.";
  static override examples = ["<%= config.bin %> dev release promote rc", "<%= config.bin %> dev release promote prod"];
  static override args = {
    target: Args.string({
      description: "rc (the smallest stage) or prod (the active RC)",
      required: true,
      options: ["rc", "prod"],
    }),
  };

  async run(): Promise<PromoteResult> {
    const { args, flags } = await this.parse(DevReleasePromote);
    const r = await promoteRelease(this.context(flags), args.target as "rc" | "prod");
    this.log(`Promoted ${r.release} (${r.file}, tag ${r.tag})${r.model === null ? "" : `; model ${r.model.schema}`}`);
    return r;
  }
}
