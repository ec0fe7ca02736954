import { parsePatchList, parseReleaseFileName, type ReleaseFile } from "./release-file.js";
import { compareVersions } from "./release-version.js";

/** Every release file of a project, sorted: by version, then rc1…rcN, then prod, then stage. */
export interface ReleaseSet {
  readonly files: readonly ReleaseFile[];
}

/** A file of `releases/` as read from a directory or a Git revision. */
export interface ReleaseEntry {
  name: string;
  text: string;
}

const RANK = { rc: 0, prod: 1, stage: 2 } as const;

/** Builds a {@link ReleaseSet} from the files of `releases/`; names that are not release files are ignored. */
export function buildReleaseSet(entries: readonly ReleaseEntry[]): ReleaseSet {
  const files: ReleaseFile[] = [];
  for (const e of entries) {
    const parsed = parseReleaseFileName(e.name);
    if (parsed === undefined) continue;
    files.push({ ...parsed, name: e.name, patches: parsePatchList(e.text, `releases/${e.name}`) });
  }
  files.sort(
    (a, b) => compareVersions(a.version, b.version) || RANK[a.kind] - RANK[b.kind] || (a.rc ?? 0) - (b.rc ?? 0),
  );
  return { files };
}

/** Production releases (`X.Y.Z.txt`), oldest first. */
export function productionReleases(set: ReleaseSet): ReleaseFile[] {
  return set.files.filter((f) => f.kind === "prod");
}

/** The production version: the highest `X.Y.Z.txt`, or `0.0.0` when there is none. */
export function productionVersion(set: ReleaseSet): string {
  return productionReleases(set).at(-1)?.version ?? "0.0.0";
}

/** True when the version has a production file. */
export function isReleased(set: ReleaseSet, version: string): boolean {
  return set.files.some((f) => f.kind === "prod" && f.version === version);
}

/** Stage files of versions not yet in production, smallest version first. */
export function stages(set: ReleaseSet): ReleaseFile[] {
  return set.files.filter((f) => f.kind === "stage" && !isReleased(set, f.version));
}

/** The stage file of a version, if any. */
export function stageOf(set: ReleaseSet, version: string): ReleaseFile | undefined {
  return set.files.find((f) => f.kind === "stage" && f.version === version);
}

/** The RC files of a version, rc1 first. */
export function rcsOf(set: ReleaseSet, version: string): ReleaseFile[] {
  return set.files.filter((f) => f.kind === "rc" && f.version === version);
}

/**
 * The active RC: the latest `X.Y.Z-rcN.txt` of a version that has no production file yet.
 * There is at most one such version (single active RC); if a repository holds several, the
 * smallest is returned.
 */
export function activeRc(set: ReleaseSet): ReleaseFile | undefined {
  const versions = [
    ...new Set(set.files.filter((f) => f.kind === "rc" && !isReleased(set, f.version)).map((f) => f.version)),
  ];
  const v = versions[0];
  return v === undefined ? undefined : rcsOf(set, v).at(-1);
}

/**
 * The full, cumulative patch list of a version, in application order: every patch of its RC
 * files (rc1, rc2, …), then of its production file, then of its stage, each id once. A patch that
 * went through rc1 is never lost because rc2 or the production file lists only later patches (the
 * half_orm_dev 0.16 defect): incremental and cumulative files give the same manifest.
 */
export function releaseManifest(set: ReleaseSet, version: string): string[] {
  const out: string[] = [];
  for (const f of set.files) {
    if (f.version !== version) continue;
    for (const id of f.patches) if (!out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * What `patch apply` replays for a version: the patches already in its RCs, then the patches of
 * its stage not in an RC (each id once).
 */
export function releaseContext(set: ReleaseSet, version: string): { rc: string[]; stage: string[] } {
  const rc: string[] = [];
  for (const f of rcsOf(set, version)) for (const id of f.patches) if (!rc.includes(id)) rc.push(id);
  const stage = (stageOf(set, version)?.patches ?? []).filter((id) => !rc.includes(id));
  return { rc, stage };
}

/** The release (version) that lists a patch id, if any. */
export function releaseOfPatch(set: ReleaseSet, patchId: string): string | undefined {
  return set.files.find((f) => f.patches.includes(patchId))?.version;
}

/** Where a project stands, for `dev status`. */
export interface ReleaseStatus {
  /** The production version (`0.0.0` before the first release). */
  production: string;
  /** The active RC, e.g. `1.3.5-rc2`, with its cumulative patches. */
  activeRc: { name: string; version: string; rc: number; patches: string[] } | undefined;
  /** Stages, smallest first, with the patches not yet in an RC. */
  stages: { version: string; patches: string[] }[];
}

/** Summarizes a release set: production version, active RC, stages. */
export function releaseStatus(set: ReleaseSet): ReleaseStatus {
  const rc = activeRc(set);
  return {
    production: productionVersion(set),
    activeRc:
      rc === undefined
        ? undefined
        : {
            name: `${rc.version}-rc${rc.rc ?? 1}`,
            version: rc.version,
            rc: rc.rc ?? 1,
            patches: releaseContext(set, rc.version).rc,
          },
    stages: stages(set).map((s) => ({ version: s.version, patches: releaseContext(set, s.version).stage })),
  };
}

/** One version of an {@link applyContext}: the patches to replay for it, in order. */
export interface ContextRelease {
  version: string;
  /** `rc` patches are in an RC file; `stage` ones only in the stage. */
  patches: { id: string; from: "rc" | "stage" }[];
}

/**
 * What `patch apply` replays on top of production for a patch: every unreleased version up to
 * the patch's target, in order (RC patches, then stage patches of each), then the patch itself
 * when no release lists it yet. The target is the version that lists the patch, else `toVersion`,
 * else the smallest unreleased version (active RC or smallest stage). A patch for 1.4.0 is thus
 * tested on top of 1.3.6, which production will have first.
 */
export function applyContext(
  set: ReleaseSet,
  patchId: string,
  toVersion?: string,
): { releases: ContextRelease[]; patch: string | undefined } {
  const unreleased = [
    ...new Set(set.files.filter((f) => f.kind !== "prod" && !isReleased(set, f.version)).map((f) => f.version)),
  ];
  const listed = set.files.find(
    (f) => f.kind !== "prod" && !isReleased(set, f.version) && f.patches.includes(patchId),
  )?.version;
  const target = listed ?? toVersion ?? unreleased[0];
  const releases: ContextRelease[] = [];
  for (const version of unreleased) {
    if (target === undefined || compareVersions(version, target) > 0) break;
    const { rc, stage } = releaseContext(set, version);
    releases.push({
      version,
      patches: [
        ...rc.map((id) => ({ id, from: "rc" as const })),
        ...stage.map((id) => ({ id, from: "stage" as const })),
      ],
    });
  }
  return { releases, patch: listed === undefined && releaseOfPatch(set, patchId) === undefined ? patchId : undefined };
}
