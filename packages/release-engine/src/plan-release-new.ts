import { HO_PROD } from "./branch-names.js";
import type { PlanStep } from "./plan-step.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import { releaseFilePath } from "./release-file.js";
import { activeRc, productionVersion, type ReleaseSet } from "./release-set.js";
import { assertReleaseLevel, bumpVersion, compareVersions, type ReleaseLevel } from "./release-version.js";

/** The plan of `release new <level>`. */
export interface ReleaseNewPlan {
  level: ReleaseLevel;
  /** The production version the new one is computed from. */
  base: string;
  /** The new version `X.Y.Z`. */
  version: string;
  /** `releases/X.Y.Z-stage.txt`. */
  stageFile: string;
  /** Write the empty stage, commit, push ho-prod (the push reserves the version for the team). */
  steps: PlanStep[];
}

/** Options of the planners that push. */
export interface PushOptions {
  /** The remote to push to (default `origin`); `undefined` with `push: false` plans no push. */
  remote?: string;
  /** Plan the push (default true). False for a project without a remote. */
  push?: boolean;
}

/**
 * Plans `release new patch|minor|major`: the next version after the production version at that
 * level, as an empty `X.Y.Z-stage.txt`. Several stages may exist in parallel (1.3.6 and 1.4.0
 * from production 1.3.5), but a version is prepared once: an existing stage, RC or production
 * file of the computed version is `RELEASE_STAGE_EXISTS`.
 */
export function planReleaseNew(set: ReleaseSet, level: string, options: PushOptions = {}): ReleaseNewPlan {
  const lvl = assertReleaseLevel(level);
  const base = productionVersion(set);
  const version = bumpVersion(base, lvl);
  const existing = set.files.find((f) => f.version === version);
  if (existing !== undefined) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.STAGE_EXISTS,
      `Release ${version} is already prepared (releases/${existing.name})`,
      {
        hint: `Add patches to it with git-prolly dev patch add <patch_id> --to-version ${version}, or promote it first`,
        data: { version, file: existing.name, level: lvl },
      },
    );
  }
  // A stage below the active RC could never be promoted: the RC reaches production first, and
  // releases are promoted in order. (Stages below another *stage* are fine: Pattern 4.)
  const rc = activeRc(set);
  if (rc !== undefined && compareVersions(version, rc.version) < 0) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.ACTIVE_RC,
      `Active RC exists: ${rc.version} (releases/${rc.name}); a ${lvl} release ${version} would come before it and could never be promoted`,
      {
        hint: `Promote the RC to production first (git-prolly dev release promote prod), then run git-prolly dev release new ${lvl} again`,
        data: { version, level: lvl, activeRc: rc.version },
      },
    );
  }
  const stageFile = releaseFilePath({ version, kind: "stage" });
  const steps: PlanStep[] = [
    { kind: "write-file", path: stageFile, content: "" },
    { kind: "commit", paths: [stageFile], message: `Prepare release ${version}-stage` },
  ];
  if (options.push !== false)
    steps.push({ kind: "push", remote: options.remote ?? "origin", refspecs: [`${HO_PROD}:refs/heads/${HO_PROD}`] });
  return { level: lvl, base, version, stageFile, steps };
}
