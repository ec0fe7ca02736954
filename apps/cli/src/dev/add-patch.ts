import { join } from "node:path";
import {
  applySteps,
  HO_PROD,
  PATCHES_DIR,
  planPatchAdd,
  releaseContext,
  ReleaseError,
  testsFailedError,
  type PlanStep,
} from "@git-prolly/release-engine";
import type { DevContext } from "./dev-context.js";
import { catchInterruption } from "./interruption.js";
import { rebuildDatabase } from "./rebuild-database.js";
import { runTests, testFailureHint, type TestRun } from "./run-tests.js";
import { withHoProd } from "./with-ho-prod.js";

/** The outcome of {@link addPatch}. */
export interface AddPatchResult {
  patch: string;
  release: string;
  stageFile: string;
  archivedAs: string;
  tests: { command: string; exitCode: number; durationMs: number };
  commit: string;
}

/**
 * `patch add <id> [--to-version]` on ho-prod, under the origin lock: release-engine's
 * {@link planPatchAdd} chooses the stage and plans `temp-valid-<X.Y.Z>` (every patch of the stage,
 * then this one, merged; a conflict only in the generated types takes the patch's version). On it
 * the database is rebuilt with the release's RC and stage patches plus this one and the project's
 * tests run. Only when everything passes is the id added to the stage file on ho-prod, committed,
 * `ho-patch/<id>` archived as `ho-release/<X.Y.Z>/<id>` and both pushed atomically; on any failure
 * nothing is committed and the validation branch is deleted.
 */
export async function addPatch(ctx: DevContext, id: string, toVersion?: string): Promise<AddPatchResult> {
  const { git, project } = ctx;
  return withHoProd(ctx, `patch add ${id}`, async (state) => {
    const plan = planPatchAdd(state.releases, id, {
      ...(toVersion === undefined ? {} : { toVersion }),
      existingBranches: state.localBranches,
      remoteBranches: state.remoteBranches,
      generatedPaths: [project.config.typesFile],
      push: state.origin,
    });
    const context = releaseContext(state.releases, plan.version);
    let tests: TestRun;
    // A validation branch left by a killed run would make the plan's create-branch fail.
    if (state.localBranches.includes(plan.validationBranch)) await git.tryRun(["branch", "-D", plan.validationBranch]);
    const interruption = catchInterruption(`patch add ${id}`, ctx.report);
    try {
      await applySteps(git, plan.validate);
      interruption.check();
      ctx.report(`${plan.validationBranch}: merged ${[...context.stage, id].join(", ")}`);
      await rebuildDatabase({
        project,
        connection: ctx.connection,
        patchesDir: join(project.root, PATCHES_DIR),
        ids: [...context.rc, ...context.stage, id],
        report: ctx.report,
      });
      interruption.check();
      ctx.report(`running tests: ${project.config.testCommand}`);
      tests = await runTests(project.root, project.config.testCommand, ctx.connection);
      interruption.check();
      if (tests.exitCode !== 0) {
        const failed = testsFailedError(id, plan.version, tests.tail);
        throw new ReleaseError(failed.code, failed.message, {
          hint: testFailureHint(tests, project.root, failed.hint),
          data: { ...failed.data, command: tests.command, exitCode: tests.exitCode },
        });
      }
      ctx.report(`tests passed (${Math.round(tests.durationMs)} ms)`);
    } catch (e) {
      await undo(ctx, plan.cleanup);
      throw e;
    } finally {
      interruption.dispose();
    }
    try {
      await applySteps(git, plan.integrate);
    } catch (e) {
      await undo(ctx, [
        { kind: "checkout", branch: HO_PROD, force: true },
        { kind: "reset-hard", to: state.start },
        { kind: "delete-branch", name: plan.archiveBranch, force: true },
        { kind: "delete-branch", name: plan.validationBranch, force: true },
      ]);
      throw e;
    }
    ctx.report(`added ${id} to ${plan.stageFile.path}; archived as ${plan.archiveBranch}`);
    return {
      patch: id,
      release: plan.version,
      stageFile: plan.stageFile.path,
      archivedAs: plan.archiveBranch,
      tests: { command: tests.command, exitCode: tests.exitCode, durationMs: Math.round(tests.durationMs) },
      commit: (await git.run(["rev-parse", "HEAD"])).trim(),
    };
  });
}

/** Runs recovery steps one by one, each allowed to fail: the original error is what the user must see. */
async function undo(ctx: DevContext, steps: readonly PlanStep[]): Promise<void> {
  await ctx.git.tryRun(["merge", "--abort"]);
  for (const step of steps) await applySteps(ctx.git, [step]).catch(() => undefined);
}
