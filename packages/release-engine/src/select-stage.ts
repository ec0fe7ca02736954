import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import type { ReleaseFile } from "./release-file.js";
import { stageOf, stages, type ReleaseSet } from "./release-set.js";
import { assertReleaseVersion } from "./release-version.js";

/**
 * The stage a patch goes to: the one `--to-version` names, or the only one. No stage is
 * `RELEASE_NO_STAGE` ("No stage releases found"); several without `toVersion` is
 * `RELEASE_MULTIPLE_STAGES`; an unknown `toVersion` is `RELEASE_STAGE_NOT_FOUND`.
 */
export function selectStage(set: ReleaseSet, toVersion?: string): ReleaseFile {
  const all = stages(set);
  if (toVersion !== undefined) {
    assertReleaseVersion(toVersion);
    const s = stageOf(set, toVersion);
    if (s === undefined || !all.includes(s)) {
      throw new ReleaseError(RELEASE_ERROR_CODES.STAGE_NOT_FOUND, `Stage release ${toVersion} not found`, {
        hint:
          all.length === 0
            ? "Prepare a release first: git-prolly dev release new patch"
            : `Existing stages: ${all.map((f) => f.version).join(", ")}`,
        data: { toVersion, stages: all.map((f) => f.version) },
      });
    }
    return s;
  }
  const first = all[0];
  if (first === undefined) {
    throw new ReleaseError(RELEASE_ERROR_CODES.NO_STAGE, "No stage releases found", {
      hint: "Prepare a release first: git-prolly dev release new patch",
      data: {},
    });
  }
  if (all.length > 1) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.MULTIPLE_STAGES,
      `Multiple stage releases found: ${all.map((f) => f.version).join(", ")}`,
      {
        hint: `Say which one: --to-version ${first.version}`,
        data: { stages: all.map((f) => f.version) },
      },
    );
  }
  return first;
}
