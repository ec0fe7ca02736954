import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DevContext } from "./dev-context.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { withOriginLock } from "./origin-lock.js";
import { bumpVersion, productionVersion, readReleasesDir, RELEASES_DIR } from "./release-files.js";
import { HO_PROD, pushAtomic, requireClean, requireHoProd, syncWithOrigin } from "./repository-checks.js";

/** A semantic-version level. */
export type ReleaseLevel = "patch" | "minor" | "major";

/** The outcome of {@link newRelease}. */
export interface NewReleaseResult {
  version: string;
  level: ReleaseLevel;
  from: string;
  stageFile: string;
  commit: string;
}

/**
 * `release new <level>`: prepares the next release after the production version as an empty
 * `releases/X.Y.Z-stage.txt`, committed on ho-prod and pushed (which reserves the version).
 */
export async function newRelease(ctx: DevContext, level: ReleaseLevel): Promise<NewReleaseResult> {
  const { git, project } = ctx;
  await requireHoProd(git);
  await requireClean(git);
  return withOriginLock(git, HO_PROD, `release new ${level}`, async () => {
    await syncWithOrigin(git);
    const state = readReleasesDir(project.root);
    const from = productionVersion(state);
    const version = bumpVersion(from, level);
    const taken = state.files.find((f) => f.version === version);
    if (taken !== undefined) {
      throw new DevError(
        DEV_ERROR_CODES.STAGE_EXISTS,
        `Release ${version} already exists (${RELEASES_DIR}/${taken.name})`,
        {
          hint: `Add patches to it (git-prolly dev patch add <id> --to-version ${version}) or promote it.`,
          data: { version, file: taken.name },
        },
      );
    }
    const stageFile = `${RELEASES_DIR}/${version}-stage.txt`;
    mkdirSync(join(project.root, RELEASES_DIR), { recursive: true });
    writeFileSync(join(project.root, stageFile), "");
    await git.run(["add", "--", stageFile]);
    await git.run(["commit", "--quiet", "-m", `Prepare release ${version}-stage`]);
    try {
      await pushAtomic(git, [HO_PROD]);
    } catch (e) {
      await git.tryRun(["reset", "--quiet", "--hard", "HEAD~1"]);
      throw e;
    }
    ctx.report(`prepared ${stageFile} (${level}: ${from} → ${version})`);
    return { version, level, from, stageFile, commit: (await git.run(["rev-parse", "HEAD"])).trim() };
  });
}
