import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordRelease, writeModel } from "@git-prolly/db-patches";
import { merge } from "./add-patch.js";
import type { DevContext } from "./dev-context.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { notifyPatchBranches } from "./notify-branches.js";
import { withOriginLock } from "./origin-lock.js";
import { archivedBranch, PATCHES_DIR } from "./patch-sources.js";
import { rebuildDatabase } from "./rebuild-database.js";
import {
  activeRcs,
  rcsOf,
  readReleasesDir,
  releaseContext,
  renderPatchList,
  RELEASES_DIR,
  stages,
} from "./release-files.js";
import {
  HO_PROD,
  PATCH_BRANCH_PREFIX,
  pushAtomic,
  requireClean,
  requireHoProd,
  syncWithOrigin,
} from "./repository-checks.js";
import { runTests } from "./run-tests.js";

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

/**
 * `release promote rc`: the smallest stage becomes `X.Y.Z-rcN.txt` (cumulative: every patch of
 * rc1…rcN), its patches' code is merged into ho-prod, the database is rebuilt and the tests run,
 * a fresh empty stage of the same version is prepared for fixes, tag `vX.Y.Z-rcN`, patch branches
 * deleted, active patch branches notified. `release promote prod`: the active RC's version (or
 * the smallest stage) becomes `X.Y.Z.txt` (cumulative), the release is recorded, schema and
 * metadata dumps go to `model/` and the pointer moves, tag `vX.Y.Z`. Both run under the origin lock
 * and push ho-prod and the tag in one atomic push.
 */
export async function promoteRelease(ctx: DevContext, target: "rc" | "prod"): Promise<PromoteResult> {
  const { git, project } = ctx;
  await requireHoProd(git);
  await requireClean(git);
  return withOriginLock(git, HO_PROD, `release promote ${target}`, async () => {
    await syncWithOrigin(git);
    const state = readReleasesDir(project.root);
    const rcs = activeRcs(state);
    const smallest = stages(state)[0];
    let version: string;
    if (target === "rc") {
      if (smallest === undefined) {
        throw new DevError(DEV_ERROR_CODES.NO_STAGE, "No stage releases found", {
          hint: "Prepare a release first: git-prolly dev release new patch",
        });
      }
      // The smallest stage with patches: the empty stage an RC leaves for its fixes does not hold back the next version.
      version = (stages(state).find((s) => s.patches.length > 0) ?? smallest).version;
      const candidate = stages(state).find((s) => s.version === version)!;
      const other = rcs.find((r) => r.version !== version);
      if (other !== undefined) {
        throw new DevError(
          DEV_ERROR_CODES.ACTIVE_RC,
          `Active RC exists: ${other.version}-rc${other.rc} must be promoted to production before ${version}-stage`,
          {
            hint: "Promote the current RC first: git-prolly dev release promote prod, then git-prolly dev release promote rc",
            data: { activeRc: `${other.version}-rc${other.rc}`, stage: version },
          },
        );
      }
      if (candidate.patches.length === 0) {
        throw new DevError(DEV_ERROR_CODES.STAGE_EMPTY, `Release ${version}-stage has no patches to promote`, {
          hint: `Add patches first: git-prolly dev patch add <patch_id> --to-version ${version}`,
          data: { version },
        });
      }
    } else {
      const rc = rcs[0];
      if (rc === undefined && smallest === undefined) {
        throw new DevError(DEV_ERROR_CODES.NO_STAGE, "No stage releases found", {
          hint: "Prepare a release first (git-prolly dev release new patch), add patches, then promote it.",
        });
      }
      version = rc?.version ?? smallest!.version;
    }
    const context = releaseContext(state, version);
    const start = (await git.run(["rev-parse", "HEAD"])).trim();
    const rcNumber = rcsOf(state, version).length + 1;
    const release = target === "rc" ? `${version}-rc${rcNumber}` : version;
    const tag = `v${release}`;
    const cumulative = [...context.rc, ...context.stage];
    let model: PromoteResult["model"] = null;
    try {
      for (const id of context.stage) await merge(ctx, archivedBranch(version, id), id);
      await rebuildDatabase({
        project,
        connection: ctx.connection,
        patchesDir: join(project.root, PATCHES_DIR),
        ids: cumulative,
        ...(target === "prod" ? { release: version } : {}),
        report: ctx.report,
        ...(target === "prod"
          ? {
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
          throw new DevError(
            DEV_ERROR_CODES.TESTS_FAILED,
            `Tests failed for patch integration: ${version}-stage was not promoted`,
            {
              hint: "Fix the failing patch with a new patch added to the stage, then promote again.",
              data: { release, command: tests.command, exitCode: tests.exitCode, output: tests.tail },
            },
          );
        }
      }
      const dir = join(project.root, RELEASES_DIR);
      const file = `${RELEASES_DIR}/${release}.txt`;
      writeFileSync(join(project.root, file), renderPatchList(cumulative));
      if (target === "rc") writeFileSync(join(dir, `${version}-stage.txt`), "");
      else rmSync(join(dir, `${version}-stage.txt`), { force: true });
      await git.run(["add", "-A", "--", RELEASES_DIR, "model", project.config.typesFile]);
      await git.run([
        "commit",
        "--quiet",
        "-m",
        target === "rc"
          ? `Promote ${version}-stage to ${release}`
          : `Promote ${version} to production release ${version}`,
      ]);
      await git.run(["tag", "-a", tag, "-m", `Release ${release}`]);
      await pushAtomic(git, [HO_PROD, `refs/tags/${tag}`]);
      ctx.report(`${file} written, tagged ${tag}`);
    } catch (e) {
      await git.tryRun(["merge", "--abort"]);
      await git.tryRun(["reset", "--quiet", "--hard", start]);
      await git.tryRun(["tag", "-d", tag]);
      throw e;
    }
    const deleted: string[] = [];
    if (target === "rc") {
      for (const id of context.stage) {
        const branch = `${PATCH_BRANCH_PREFIX}${id}`;
        if ((await git.tryRun(["branch", "-D", branch])).code === 0) deleted.push(branch);
        if ((await git.revParse(`refs/remotes/origin/${branch}`)) !== undefined) {
          await git.tryRun(["push", "--quiet", "origin", `:refs/heads/${branch}`]);
          if (!deleted.includes(branch)) deleted.push(branch);
        }
      }
    }
    const released = new Set(readReleasesDir(project.root).files.flatMap((f) => f.patches));
    const notified = await notifyPatchBranches(git, `${release} promoted`, released);
    if (notified.length > 0) ctx.report(`notified ${notified.join(", ")}: merge ho-prod`);
    return {
      target,
      version,
      release,
      file: `${RELEASES_DIR}/${release}.txt`,
      tag,
      patches: cumulative,
      notified,
      deletedBranches: deleted,
      model,
      commit: (await git.run(["rev-parse", "HEAD"])).trim(),
    };
  });
}
