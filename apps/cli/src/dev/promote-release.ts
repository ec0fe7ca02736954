import { join } from "node:path";
import { recordRelease, writeModel } from "@git-prolly/db-patches";
import {
  applySteps,
  notifyPatchBranches,
  PATCHES_DIR,
  planPromoteProd,
  planPromoteRc,
  RELEASE_ERROR_CODES,
  ReleaseError,
  type PlanStep,
} from "@git-prolly/release-engine";
import type { DevContext } from "./dev-context.js";
import { rebuildDatabase } from "./rebuild-database.js";
import { runTests, testFailureHint } from "./run-tests.js";
import { withHoProd } from "./with-ho-prod.js";

/** The outcome of {@link promoteRelease}. */
export interface PromoteResult {
  target: "rc" | "prod";
  version: string;
  /** `X.Y.Z-rcN` or `X.Y.Z`. */
  release: string;
  file: string;
  tag: string;
  patches: string[];
  notified: string[];
  deletedBranches: string[];
  model: { schema: string; metadata: string } | null;
  commit: string;
}

/** One promotion, whichever the target: what release-engine planned, in the CLI's terms. */
interface Promotion {
  version: string;
  release: string;
  file: string;
  tag: string;
  patches: string[];
  deletedBranches: string[];
  notify: string[];
  steps: PlanStep[];
}

/**
 * `release promote rc|prod` under the origin lock, on release-engine's plans. rc
 * ({@link planPromoteRc}): the smallest stage (an empty one is refused: releases are sequential;
 * an RC of another version is "Active RC exists") becomes the cumulative `X.Y.Z-rcN.txt`, its
 * archived patches are merged into ho-prod, the database is rebuilt and the tests run, a fresh
 * empty stage takes later fixes, tag `vX.Y.Z-rcN`, `ho-patch/<id>` deleted. prod
 * ({@link planPromoteProd}): the active RC becomes the cumulative `X.Y.Z.txt` — without an RC the
 * smallest stage is promoted directly, as half_orm_dev 0.16 does (`withoutRc`) — the database is
 * rebuilt, the release recorded, schema and metadata dumps written to `model/` and the pointer
 * moved, tag `vX.Y.Z`. Both push ho-prod and the tag atomically and then notify the active patch
 * branches that must merge ho-prod.
 */
export async function promoteRelease(ctx: DevContext, target: "rc" | "prod"): Promise<PromoteResult> {
  const { git, project } = ctx;
  const typesFile = project.config.typesFile;
  return withHoProd(ctx, `release promote ${target}`, async (state) => {
    const known = {
      patchBranches: state.patchBranches,
      existingBranches: state.localBranches,
      remoteBranches: state.remoteBranches,
      generatedPaths: [typesFile],
      push: state.origin,
    };
    let promotion: Promotion;
    if (target === "rc") {
      const plan = planPromoteRc(state.releases, known);
      promotion = { ...plan, release: `${plan.version}-rc${plan.rc}`, file: plan.rcFile.path };
    } else {
      const plan = planPromoteProd(state.releases, { ...known, withoutRc: true });
      promotion = { ...plan, release: plan.version, file: plan.prodFile.path };
    }
    const { version, release, tag } = promotion;
    // The merges bring the patches' code into ho-prod; the database and the generated types are rebuilt before the commit.
    const firstOther = promotion.steps.findIndex((s) => s.kind !== "merge");
    const merges = promotion.steps.slice(0, firstOther);
    const rest = promotion.steps.slice(firstOther);
    let model: PromoteResult["model"] = null;
    try {
      await applySteps(git, merges);
      await rebuildDatabase({
        project,
        connection: ctx.connection,
        patchesDir: join(project.root, PATCHES_DIR),
        ids: promotion.patches,
        report: ctx.report,
        ...(target === "prod"
          ? {
              release: version,
              after: async (handle) => {
                await recordRelease(handle, {
                  project: project.config.project,
                  version,
                  changelog: `Release ${version}`,
                });
                const m = await writeModel(handle, {
                  modelDir: join(project.root, "model"),
                  version,
                  project: project.config.project,
                });
                model = { schema: `model/${m.schemaFile}`, metadata: `model/${m.metadataFile ?? ""}` };
              },
            }
          : {}),
      });
      if (target === "rc") {
        ctx.report(`running tests: ${project.config.testCommand}`);
        const tests = await runTests(project.root, project.config.testCommand, ctx.connection);
        if (tests.exitCode !== 0) {
          throw new ReleaseError(
            RELEASE_ERROR_CODES.TESTS_FAILED,
            `Tests failed for patch integration: ${version}-stage was not promoted to ${release}`,
            {
              hint: testFailureHint(
                tests,
                project.root,
                "Fix the failing patch with a new patch added to the stage (git-prolly dev patch new, patch add), then promote again",
              ),
              data: { release, command: tests.command, exitCode: tests.exitCode, output: tests.tail },
            },
          );
        }
      }
      await applySteps(git, rest);
      ctx.report(`${promotion.file} written, tagged ${tag}`);
    } catch (e) {
      await git.tryRun(["merge", "--abort"]);
      await git.tryRun(["reset", "--quiet", "--hard", state.start]);
      await git.tryRun(["clean", "-fdq", "--", "releases", "model"]);
      await git.tryRun(["tag", "-d", tag]);
      for (const b of promotion.deletedBranches) {
        const remote = state.remoteBranches.includes(b) ? `origin/${b}` : undefined;
        if (remote !== undefined) await git.tryRun(["branch", "--quiet", b, remote]); // deleted locally before a refused push
      }
      throw e;
    }
    const notified = state.origin ? await notifyPatchBranches(git, promotion.notify, `${release} promoted`) : [];
    if (notified.length > 0) ctx.report(`notified ${notified.join(", ")}: merge ho-prod`);
    return {
      target,
      version,
      release,
      file: promotion.file,
      tag,
      patches: promotion.patches,
      notified,
      deletedBranches: promotion.deletedBranches,
      model,
      commit: (await git.run(["rev-parse", "HEAD"])).trim(),
    };
  });
}
