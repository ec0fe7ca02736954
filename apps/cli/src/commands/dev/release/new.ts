import { Args } from "@oclif/core";
import { DevCommand } from "../../../dev/dev-command.js";
import type { ReleaseLevel } from "@git-prolly/release-engine";
import { newRelease, type NewReleaseResult } from "../../../dev/new-release.js";

/** `git-prolly dev release new patch|minor|major`. */
export default class DevReleaseNew extends DevCommand {
  static override summary = "Prepare the next release: an empty releases/X.Y.Z-stage.txt, committed and pushed";
  static override examples = [
    "<%= config.bin %> dev release new patch   # 1.3.5 → 1.3.6",
    "<%= config.bin %> dev release new minor   # 1.3.5 → 1.4.0",
    "<%= config.bin %> dev release new major   # 1.3.5 → 2.0.0",
  ];
  static override args = {
    level: Args.string({
      description: "how far the version moves from production",
      required: true,
      options: ["patch", "minor", "major"],
    }),
  };

  async run(): Promise<NewReleaseResult> {
    const { args, flags } = await this.parse(DevReleaseNew);
    const r = await newRelease(this.context(flags), args.level as ReleaseLevel);
    this.log(`Prepared ${r.version} (${r.stageFile})`);
    return r;
  }
}
