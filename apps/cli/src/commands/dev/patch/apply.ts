import { DevCommand } from "../../../dev/dev-command.js";
import { applyPatch, type ApplyPatchResult } from "../../../dev/apply-patch.js";

/** `git-prolly dev patch apply`. */
export default class DevPatchApply extends DevCommand {
  static override summary =
    "Rebuild the database: production state, release patches, then this patch; regenerate Kysely types";
  static override description =
    "On ho-patch/<id>: restores the database to the production model, applies the RC patches of the release being prepared, " +
    "then its stage patches, then this patch (each in a transaction), and writes the Kysely types. " +
    "An SQL error rolls the database back and names the file and line.";
  static override examples = ["<%= config.bin %> dev patch apply", "<%= config.bin %> dev patch apply --json"];

  async run(): Promise<ApplyPatchResult> {
    const { flags } = await this.parse(DevPatchApply);
    const r = await applyPatch(this.context(flags));
    this.log(
      `Applied ${r.patch} on production ${r.productionVersion}${r.release === undefined ? "" : ` with release ${r.release}`} in ${Math.round(r.durationMs)} ms; types in ${r.typesFile}`,
    );
    return r;
  }
}
