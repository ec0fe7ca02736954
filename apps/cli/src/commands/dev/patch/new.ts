import { Args, Flags } from "@oclif/core";
import { DevCommand } from "../../../dev/dev-command.js";
import { newPatch, type NewPatchResult } from "../../../dev/new-patch.js";

/** `git-prolly dev patch new <id> [-d description]`. */
export default class DevPatchNew extends DevCommand {
  static override summary = "Create a patch: reserve its id on origin, create ho-patch/<id> and Patches/<id>/";
  static override examples = [
    "<%= config.bin %> dev patch new 001-users",
    '<%= config.bin %> dev patch new 456-user-auth -d "Authentication tables"',
  ];
  static override args = {
    patch_id: Args.string({ required: true, description: "Patch id: a number, optionally -words (123-add-users)" }),
  };
  static override flags = {
    description: Flags.string({ char: "d", description: "One-line description (in Patches/<id>/README.md)" }),
  };

  async run(): Promise<NewPatchResult> {
    const { args, flags } = await this.parse(DevPatchNew);
    const r = await newPatch(this.context(flags), args.patch_id, flags.description);
    this.log(`Now on ${r.branch}: add .sql files to ${r.directory}/, then git-prolly dev patch apply`);
    return r;
  }
}
