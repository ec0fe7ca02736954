import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DevContext } from "./dev-context.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { withOriginLock } from "./origin-lock.js";
import { archivedBranch, PATCHES_DIR } from "./patch-sources.js";
import { rebuildDatabase } from "./rebuild-database.js";
import { readReleasesDir, releaseContext, renderPatchList, stages, type ReleaseState } from "./release-files.js";
import {
  HO_PROD,
  PATCH_BRANCH_PREFIX,
  pushAtomic,
  requireClean,
  requireHoProd,
  syncWithOrigin,
} from "./repository-checks.js";
import { runTests, type TestRun } from "./run-tests.js";

/** The outcome of {@link addPatch}. */
export interface AddPatchResult {
  patch: string;
  release: string;
  stageFile: string;
  archivedAs: string;
  tests: { command: string; exitCode: number; durationMs: number };
  commit: string;
}

/** The validation branch of a release. */
export function validationBranch(version: string): string {
  return `temp-valid-${version}`;
}

/** The stage a patch goes to: `--to-version`, else the only stage. */
export function chooseStage(state: ReleaseState, toVersion: string | undefined): string {
  const all = stages(state);
  if (toVersion !== undefined) {
    if (!all.some((s) => s.version === toVersion)) {
      throw new DevError(DEV_ERROR_CODES.STAGE_NOT_FOUND, `Stage release ${toVersion} not found`, {
        hint:
          all.length === 0
            ? "Prepare it first: git-prolly dev release new patch|minor|major"
            : `Stages: ${all.map((s) => s.version).join(", ")}`,
        data: { version: toVersion, stages: all.map((s) => s.version) },
      });
    }
    return toVersion;
  }
  if (all.length === 0) {
    throw new DevError(DEV_ERROR_CODES.NO_STAGE, "No stage releases found", {
      hint: "Prepare a release first: git-prolly dev release new patch",
    });
  }
  if (all.length > 1) {
    throw new DevError(
      DEV_ERROR_CODES.MULTIPLE_STAGES,
      `Multiple stage releases found: ${all.map((s) => s.version).join(", ")}`,
      {
        hint: `Say which one: --to-version ${all[0]!.version}`,
        data: { stages: all.map((s) => s.version) },
      },
    );
  }
  return all[0]!.version;
}

/**
 * `patch add <id>` on ho-prod, under the origin lock: on `temp-valid-<X.Y.Z>` merges every patch
 * already in the stage and then this one, rebuilds the database with them, runs the project's
 * tests. Only when everything passes is the id added to the stage file on ho-prod, committed and
 * pushed, and the validated `ho-patch/<id>` archived as `ho-release/<X.Y.Z>/<id>` (the patch branch itself is deleted at RC promotion). On any failure nothing is
 * committed and the validation branch is deleted.
 */
export async function addPatch(ctx: DevContext, id: string, toVersion?: string): Promise<AddPatchResult> {
  const { git, project } = ctx;
  await requireHoProd(git);
  await requireClean(git);
  return withOriginLock(git, HO_PROD, `patch add ${id}`, async () => {
    await syncWithOrigin(git);
    const state = readReleasesDir(project.root);
    const version = chooseStage(state, toVersion);
    if (!existsSync(join(project.root, PATCHES_DIR, id))) {
      throw new DevError(DEV_ERROR_CODES.PATCH_NOT_FOUND, `Patch directory not found: ${PATCHES_DIR}/${id}/`, {
        hint: `Create the patch first: git-prolly dev patch new ${id}`,
        data: { id },
      });
    }
    const listed = state.files.find((f) => f.patches.includes(id));
    if (listed !== undefined) {
      throw new DevError(
        DEV_ERROR_CODES.PATCH_IN_RELEASE,
        `Patch ${id} is already in release ${listed.name.replace(/\.txt$/, "")}`,
        {
          hint: "A patch is added to one release once; create a new patch for further changes.",
          data: { id, file: listed.name },
        },
      );
    }
    const branch = `${PATCH_BRANCH_PREFIX}${id}`;
    if ((await git.revParse(`refs/heads/${branch}`)) === undefined) {
      if ((await git.revParse(`refs/remotes/origin/${branch}`)) === undefined) {
        throw new DevError(DEV_ERROR_CODES.PATCH_NOT_FOUND, `Branch ${branch} not found`, {
          hint: `Create the patch with git-prolly dev patch new ${id}, or fetch it: git fetch origin ${branch}`,
          data: { id, branch },
        });
      }
      await git.run(["branch", "--quiet", branch, `origin/${branch}`]);
    }
    const context = releaseContext(state, version);
    const temp = validationBranch(version);
    const start = (await git.run(["rev-parse", HO_PROD])).trim();
    let tests: TestRun;
    await git.tryRun(["branch", "-D", temp]);
    await git.run(["checkout", "--quiet", "-b", temp]);
    try {
      for (const sid of context.stage) await merge(ctx, archivedBranch(version, sid), sid);
      await merge(ctx, branch, id);
      appendToStage(project.root, version, id);
      await git.run(["commit", "--quiet", "-am", `[git-prolly] validate ${id} in ${version}-stage`]);
      ctx.report(`${temp}: merged ${[...context.stage, id].join(", ")}`);
      await rebuildDatabase({
        project,
        connection: ctx.connection,
        patchesDir: join(project.root, PATCHES_DIR),
        ids: [...context.rc, ...context.stage, id],
        report: ctx.report,
      });
      ctx.report(`running tests: ${project.config.testCommand}`);
      tests = await runTests(project.root, project.config.testCommand, ctx.connection);
      if (tests.exitCode !== 0) {
        throw new DevError(
          DEV_ERROR_CODES.TESTS_FAILED,
          `Tests failed for patch integration: ${id} was not added to ${version}-stage`,
          {
            hint: `Fix your patch or its tests on ${branch} (git-prolly dev patch apply, then ${project.config.testCommand}), then run patch add again.`,
            data: { id, release: version, command: tests.command, exitCode: tests.exitCode, output: tests.tail },
          },
        );
      }
      ctx.report(`tests passed (${Math.round(tests.durationMs)} ms)`);
    } finally {
      await git.tryRun(["merge", "--abort"]);
      await git.tryRun(["reset", "--quiet", "--hard"]);
      await git.run(["checkout", "--quiet", HO_PROD]);
      await git.tryRun(["branch", "-D", temp]);
    }
    const stageFile = appendToStage(project.root, version, id);
    const archive = archivedBranch(version, id);
    try {
      await git.run(["commit", "--quiet", "-am", `Add ${id} to release ${version}-stage`]);
      await git.run(["branch", "--quiet", "-f", archive, branch]);
      await pushAtomic(git, [HO_PROD, `${archive}:refs/heads/${archive}`]);
    } catch (e) {
      await git.tryRun(["reset", "--quiet", "--hard", start]);
      await git.tryRun(["branch", "-D", archive]);
      throw e;
    }
    const commit = (await git.run(["rev-parse", "HEAD"])).trim();
    ctx.report(`added ${id} to releases/${version}-stage.txt; ${branch} archived as ${archive}`);
    return {
      patch: id,
      release: version,
      stageFile: stageFile,
      archivedAs: archive,
      tests: { command: tests.command, exitCode: tests.exitCode, durationMs: Math.round(tests.durationMs) },
      commit,
    };
  });
}

/** Merges a branch (local, else origin's) into the current branch; a conflict is `DEV_MERGE_CONFLICT`. */
export async function merge(ctx: DevContext, branch: string, id: string): Promise<void> {
  const ref = (await ctx.git.revParse(`refs/heads/${branch}`)) !== undefined ? branch : `origin/${branch}`;
  const r = await ctx.git.tryRun([
    "merge",
    "--quiet",
    "--no-ff",
    "--no-edit",
    "-m",
    `[git-prolly] merge ${id} for validation`,
    ref,
  ]);
  if (r.code !== 0) {
    const conflicts = (await ctx.git.tryRun(["diff", "--name-only", "--diff-filter=U"])).stdout
      .split("\n")
      .filter((l) => l !== "");
    // The generated types are rebuilt from the database after the merges: a conflict there alone is no conflict.
    const generated = ctx.project.config.typesFile;
    if (conflicts.length > 0 && conflicts.every((c) => c === generated)) {
      await ctx.git.run(["checkout", "--theirs", "--", generated]);
      await ctx.git.run(["add", "--", generated]);
      await ctx.git.run(["commit", "--quiet", "--no-edit"]);
      return;
    }
    throw new DevError(DEV_ERROR_CODES.MERGE_CONFLICT, `Merge conflict integrating ${id} (${ref})`, {
      hint: `Merge ho-prod into ho-patch/${id} and resolve the conflicts there (git checkout ho-patch/${id} && git merge ho-prod), then retry.`,
      data: { id, ref, conflicts, output: (r.stderr || r.stdout).trim().split("\n").slice(-5).join("\n") },
    });
  }
}

function appendToStage(root: string, version: string, id: string): string {
  const name = `releases/${version}-stage.txt`;
  const state = readReleasesDir(root);
  const stage = state.files.find((f) => f.kind === "stage" && f.version === version);
  writeFileSync(join(root, name), renderPatchList([...(stage?.patches ?? []), id]));
  return name;
}
