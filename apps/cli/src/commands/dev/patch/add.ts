import { Args, Flags } from "@oclif/core";
import { addPatch, type AddPatchResult } from "../../../dev/add-patch.js";
import { DevCommand } from "../../../dev/dev-command.js";

/** `git-prolly dev patch add <id> [--to-version X.Y.Z]`. */
export default class DevPatchAdd extends DevCommand {
  static override summary = "Add a patch to a stage release after validating it (merge, rebuild, tests)";
  static override description =
    "On ho-prod: on a temporary branch temp-valid-<X.Y.Z>, merges every patch of the release and this one, rebuilds the database " +
    "and runs the project's tests. Only if all of it passes is the id added to releases/X.Y.Z-stage.txt, committed and pushed, " +
    "and ho-patch/<id> archived as ho-release/X.Y.Z/<id>. On failure nothing is committed and the temporary branch is deleted.";
  static override examples = [
    "<%= config.bin %> dev patch add 001-users",
    '<%= config.bin %> dev patch add 123-hotfix --to-version="1.3.6"',
  ];
  static override args = {
    patch_id: Args.string({ description: "the patch to add (e.g. 123-add-users)", required: true }),
  };
  static override flags = {
    "to-version": Flags.string({ char: "v", description: "The stage release (needed when several are prepared)" }),
  };

  async run(): Promise<AddPatchResult> {
    const { args, flags } = await this.parse(DevPatchAdd);
    const r = await addPatch(this.context(flags), args.patch_id, flags["to-version"]);
    this.log(`Added ${r.patch} to ${r.release}-stage (validated; tests passed)`);
    return r;
  }
}
