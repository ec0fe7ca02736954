import { archiveBranch, HO_PROD, patchBranch, releaseTag } from "./branch-names.js";
import { patchBranchesToNotify } from "./patch-branches-to-notify.js";
import type { PlanStep } from "./plan-step.js";
import type { PushOptions } from "./plan-release-new.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import { releaseFilePath, serializePatchList } from "./release-file.js";
import { activeRc, productionVersion, rcsOf, releaseContext, stageOf, stages, type ReleaseSet } from "./release-set.js";
import { compareVersions } from "./release-version.js";
import { resolveBranch } from "./resolve-branch.js";

/** The plan of `release promote rc`. */
export interface PromoteRcPlan {
  version: string;
  /** The N of the new `X.Y.Z-rcN.txt` (2 after fixes to rc1). */
  rc: number;
  /** `releases/X.Y.Z-rcN.txt` and its cumulative content (every patch of rc1…rcN). */
  rcFile: { path: string; content: string };
  /** The patches this RC adds (the stage's). */
  newPatches: string[];
  /** Every patch of the RC, in order. */
  patches: string[];
  /** Archived branches merged into ho-prod, in order: the patch code enters ho-prod here. */
  merges: string[];
  /** `ho-patch/<id>` branches deleted (locally and on the remote). */
  deletedBranches: string[];
  /** `vX.Y.Z-rcN`. */
  tag: string;
  /** Active `ho-patch/*` branches (other patches) whose owners must merge ho-prod. */
  notify: string[];
  /** What to tell the owners of `notify` (one line, for the CLI's output or a notification commit). */
  notice: string;
  /** Merge, replace the stage by the RC and a fresh empty stage, commit, tag, delete branches, push atomically. */
  steps: PlanStep[];
}

/** Options of {@link planPromoteRc}. */
export interface PromoteRcOptions extends PushOptions {
  /** The `ho-patch/*` branches that exist (local or on origin, short names). Default: every patch of the RC is assumed to have one. */
  patchBranches?: readonly string[];
  /**
   * Local branch names; when given, an archived branch neither local nor in `remoteBranches`
   * falls back to `ho-patch/<id>`, or is `RELEASE_BRANCH_NOT_FOUND`.
   */
  existingBranches?: readonly string[];
  /** The remote's branches (as last fetched); a branch only there is merged as `origin/<name>`. Default: `patchBranches`. */
  remoteBranches?: readonly string[];
  /**
   * Generated files (the Kysely types): their merge conflicts take the merged patch's version,
   * and the RC commit stages them (the caller regenerates them after the merges).
   */
  generatedPaths?: readonly string[];
}

/**
 * Plans `release promote rc`. Rules: a single active RC (an RC of another version is
 * `RELEASE_ACTIVE_RC`, "Active RC exists"); sequential releases (the smallest stage is promoted,
 * and an empty smallest stage is `RELEASE_EMPTY_STAGE`, never skipped); incremental RCs (with
 * `X.Y.Z-rc1.txt` and patches added to `X.Y.Z-stage.txt` since, the plan is `X.Y.Z-rc2.txt`).
 * The RC file is cumulative and never edited afterwards; a fresh empty stage of the same version
 * takes later fixes.
 */
export function planPromoteRc(set: ReleaseSet, options: PromoteRcOptions = {}): PromoteRcPlan {
  const rc = activeRc(set);
  const all = stages(set);
  let version: string;
  if (rc !== undefined) {
    const own = stageOf(set, rc.version);
    const fresh = own === undefined ? [] : releaseContext(set, rc.version).stage;
    if (fresh.length === 0) {
      const other =
        all.find((s) => s.version !== rc.version && s.patches.length > 0) ?? all.find((s) => s.version !== rc.version);
      if (other !== undefined) {
        throw new ReleaseError(
          RELEASE_ERROR_CODES.ACTIVE_RC,
          `Active RC exists: ${rc.version}-rc${rc.rc ?? 1} must be promoted to production before ${other.version}-stage`,
          {
            hint: "Promote the current RC first: git-prolly dev release promote prod, then git-prolly dev release promote rc",
            data: { activeRc: `${rc.version}-rc${rc.rc ?? 1}`, stage: other.version },
          },
        );
      }
      if (own === undefined) {
        throw new ReleaseError(RELEASE_ERROR_CODES.NO_STAGE, "No stage releases found", {
          hint: "Prepare a release first: git-prolly dev release new patch",
          data: { activeRc: rc.name },
        });
      }
      throw new ReleaseError(
        RELEASE_ERROR_CODES.EMPTY_STAGE,
        `Release ${rc.version}-stage has no patch since ${rc.version}-rc${rc.rc ?? 1}`,
        {
          hint: `Add fixes first (git-prolly dev patch add <patch_id> --to-version ${rc.version}), or promote the RC: git-prolly dev release promote prod`,
          data: { version: rc.version, activeRc: rc.name },
        },
      );
    }
    version = rc.version;
  } else {
    const first = all[0];
    if (first === undefined) {
      throw new ReleaseError(RELEASE_ERROR_CODES.NO_STAGE, "No stage releases found", {
        hint: "Prepare a release first: git-prolly dev release new patch",
        data: {},
      });
    }
    if (first.patches.length === 0) {
      throw new ReleaseError(
        RELEASE_ERROR_CODES.EMPTY_STAGE,
        `Release ${first.version}-stage has no patch: releases are promoted in order, smallest first`,
        {
          hint: `Add patches to it (git-prolly dev patch add <patch_id> --to-version ${first.version}) or delete releases/${first.name} on ho-prod`,
          data: { version: first.version, stages: all.map((s) => s.version) },
        },
      );
    }
    version = first.version;
  }
  const prod = productionVersion(set);
  if (compareVersions(version, prod) <= 0) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.INVALID_VERSION,
      `Release ${version}-stage is not after production ${prod}: releases are sequential`,
      {
        hint: `Move its patches to a later stage (git-prolly dev release new patch, then patch add --to-version) and delete releases/${version}-stage.txt on ho-prod`,
        data: { version, production: prod },
      },
    );
  }
  const { rc: before, stage: newPatches } = releaseContext(set, version);
  const n = rcsOf(set, version).length + 1;
  const patches = [...before, ...newPatches];
  const rcPath = releaseFilePath({ version, kind: "rc", rc: n });
  const stagePath = releaseFilePath({ version, kind: "stage" });
  const tag = releaseTag(version, n);
  const branches = {
    existingBranches: options.existingBranches,
    remoteBranches: options.remoteBranches ?? options.patchBranches,
    remote: options.remote,
  };
  const merges = newPatches.map((id) => {
    const archived = archiveBranch(version, id);
    const ref = resolveBranch(archived, branches) ?? resolveBranch(patchBranch(id), branches);
    if (ref !== undefined) return ref;
    throw new ReleaseError(RELEASE_ERROR_CODES.BRANCH_NOT_FOUND, `Archived branch not found: ${archived}`, {
      hint: `Fetch it (git fetch origin ${archived}:${archived}), or restore ${patchBranch(id)}`,
      data: { patchId: id, branch: archived },
    });
  });
  const known = options.patchBranches;
  const deletedBranches = newPatches.map(patchBranch).filter((b) => known === undefined || known.includes(b));
  const notify = patchBranchesToNotify(set, known ?? [], deletedBranches, patches);
  const remote = options.remote ?? "origin";
  // Only branches the remote has are deleted there: deleting a missing ref would fail the atomic push.
  const onRemote = branches.remoteBranches;
  const deletedOnRemote = deletedBranches.filter((b) => onRemote === undefined || onRemote.includes(b));
  const steps: PlanStep[] = [
    ...merges.map((ref, i): PlanStep => ({
      kind: "merge",
      ref,
      message: `Integrate patch ${newPatches[i]} into ${version}-rc${n}`,
      ...(options.generatedPaths === undefined ? {} : { resolveTheirs: [...options.generatedPaths] }),
    })),
    { kind: "write-file", path: rcPath, content: serializePatchList(patches) },
    { kind: "write-file", path: stagePath, content: "" },
    {
      kind: "commit",
      paths: [rcPath, stagePath, ...(options.generatedPaths ?? [])],
      message: `Promote ${version}-stage to ${version}-rc${n}`,
    },
    { kind: "tag", name: tag, at: "HEAD", message: `Release candidate ${version}-rc${n}` },
    ...deletedBranches.map((name): PlanStep => ({ kind: "delete-branch", name, force: true })),
  ];
  if (options.push !== false) {
    steps.push({
      kind: "push",
      remote,
      refspecs: [
        `${HO_PROD}:refs/heads/${HO_PROD}`,
        `refs/tags/${tag}:refs/tags/${tag}`,
        ...deletedOnRemote.map((b) => `:refs/heads/${b}`),
      ],
    });
  }
  const notice = `ho-prod moved to ${tag}: merge it into your patch branch (git checkout <branch> && git pull && git merge origin/${HO_PROD})`;
  return {
    version,
    rc: n,
    notice,
    rcFile: { path: rcPath, content: serializePatchList(patches) },
    newPatches,
    patches,
    merges,
    deletedBranches,
    tag,
    notify,
    steps,
  };
}
