import { applySteps, planReleaseNew, type ReleaseLevel } from "@git-prolly/release-engine";
import type { DevContext } from "./dev-context.js";
import { withHoProd } from "./with-ho-prod.js";

/** The outcome of {@link newRelease}. */
export interface NewReleaseResult {
  version: string;
  level: ReleaseLevel;
  from: string;
  stageFile: string;
  commit: string;
}

/**
 * `release new <level>`: release-engine's {@link planReleaseNew} (the next version after the
 * production version, as an empty `releases/X.Y.Z-stage.txt`), committed on ho-prod and pushed
 * (which reserves the version), under the origin lock.
 */
export async function newRelease(ctx: DevContext, level: ReleaseLevel): Promise<NewReleaseResult> {
  const { git } = ctx;
  return withHoProd(ctx, `release new ${level}`, async (state) => {
    const plan = planReleaseNew(state.releases, level, { push: state.origin });
    try {
      await applySteps(git, plan.steps);
    } catch (e) {
      await git.tryRun(["reset", "--quiet", "--hard", state.start]);
      throw e;
    }
    ctx.report(`prepared ${plan.stageFile} (${plan.level}: ${plan.base} → ${plan.version})`);
    return {
      version: plan.version,
      level: plan.level,
      from: plan.base,
      stageFile: plan.stageFile,
      commit: (await git.run(["rev-parse", "HEAD"])).trim(),
    };
  });
}
