import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareReleaseVersions, parseReleaseVersion, type ReleaseVersion } from "@git-prolly/db-patches";
import type { Git } from "./git.js";

/** The directory of release files. */
export const RELEASES_DIR = "releases";

/** One file of `releases/`: `X.Y.Z-stage.txt`, `X.Y.Z-rcN.txt` or `X.Y.Z.txt`. */
export interface ReleaseFile {
  /** `X.Y.Z`. */
  version: string;
  kind: "stage" | "rc" | "prod";
  /** The N of `-rcN` (0 otherwise). */
  rc: number;
  name: string;
  /** The patch ids listed, in order. */
  patches: string[];
}

/** Every release file of the project, in version order (rcs before the production file of a version). */
export interface ReleaseState {
  files: ReleaseFile[];
}

const FILE_RE = /^(\d+\.\d+\.\d+)(?:-(stage|rc([1-9]\d*)))?\.txt$/;

/** Parses the patch ids of a release file (one per line, `#` comments and blank lines ignored). */
export function parsePatchList(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter((l) => l !== "");
}

/** Renders a patch list. */
export function renderPatchList(ids: readonly string[]): string {
  return ids.map((id) => `${id}\n`).join("");
}

function build(entries: { name: string; text: string }[]): ReleaseState {
  const files: ReleaseFile[] = [];
  for (const e of entries) {
    const m = FILE_RE.exec(e.name);
    if (m === null) continue;
    const kind = m[2] === undefined ? "prod" : m[2] === "stage" ? "stage" : "rc";
    files.push({
      version: m[1]!,
      kind,
      rc: m[3] === undefined ? 0 : Number(m[3]),
      name: e.name,
      patches: parsePatchList(e.text),
    });
  }
  const rank = { rc: 0, prod: 1, stage: 2 } as const;
  files.sort((a, b) => compareVersions(a.version, b.version) || rank[a.kind] - rank[b.kind] || a.rc - b.rc);
  return { files };
}

/** Reads `releases/` of a working tree. */
export function readReleasesDir(root: string): ReleaseState {
  const dir = join(root, RELEASES_DIR);
  if (!existsSync(dir)) return { files: [] };
  return build(
    readdirSync(dir).map((name) => ({ name, text: FILE_RE.test(name) ? readFileSync(join(dir, name), "utf8") : "" })),
  );
}

/** Reads `releases/` at a Git revision (so a patch branch sees ho-prod's releases). */
export async function readReleasesAt(git: Git, rev: string): Promise<ReleaseState> {
  const names = (await git.listDir(rev, RELEASES_DIR)).filter((n) => FILE_RE.test(n));
  const entries = await Promise.all(
    names.map(async (name) => ({ name, text: (await git.show(rev, `${RELEASES_DIR}/${name}`)) ?? "" })),
  );
  return build(entries);
}

/** Compares `X.Y.Z` versions. */
export function compareVersions(a: string, b: string): number {
  return compareReleaseVersions(parseReleaseVersion(a), parseReleaseVersion(b));
}

/** Parses `X.Y.Z`. */
export function parseVersion(v: string): ReleaseVersion {
  return parseReleaseVersion(v);
}

/** The highest production release (`X.Y.Z.txt`), `0.0.0` when none. */
export function productionVersion(state: ReleaseState): string {
  const prods = state.files.filter((f) => f.kind === "prod");
  return prods.at(-1)?.version ?? "0.0.0";
}

/** Stage files, smallest version first. */
export function stages(state: ReleaseState): ReleaseFile[] {
  return state.files.filter((f) => f.kind === "stage");
}

/** RC files of versions not yet in production, in order. */
export function activeRcs(state: ReleaseState): ReleaseFile[] {
  const prod = new Set(state.files.filter((f) => f.kind === "prod").map((f) => f.version));
  return state.files.filter((f) => f.kind === "rc" && !prod.has(f.version));
}

/** The RC files of one version, in order. */
export function rcsOf(state: ReleaseState, version: string): ReleaseFile[] {
  return state.files.filter((f) => f.kind === "rc" && f.version === version);
}

/** The production file of a version. */
export function prodOf(state: ReleaseState, version: string): ReleaseFile | undefined {
  return state.files.find((f) => f.kind === "prod" && f.version === version);
}

/** Production releases newer than `current`, up to `to` (inclusive), in order. */
export function productionPath(state: ReleaseState, current: string, to?: string): ReleaseFile[] {
  return state.files.filter(
    (f) =>
      f.kind === "prod" &&
      compareVersions(f.version, current) > 0 &&
      (to === undefined || compareVersions(f.version, to) <= 0),
  );
}

/** The next version after `base` at a semver level. */
export function bumpVersion(base: string, level: "patch" | "minor" | "major"): string {
  const v = parseReleaseVersion(base);
  if (level === "major") return `${v.major + 1}.0.0`;
  if (level === "minor") return `${v.major}.${v.minor + 1}.0`;
  return `${v.major}.${v.minor}.${v.patch + 1}`;
}

/**
 * Every patch of a version in application order: the cumulative list of its latest RC (RC files
 * are cumulative: rcN lists every patch of rc1…rcN) followed by its stage's patches.
 */
export function releaseContext(state: ReleaseState, version: string): { rc: string[]; stage: string[] } {
  const rc = rcsOf(state, version).at(-1)?.patches ?? [];
  const stage = state.files.find((f) => f.kind === "stage" && f.version === version)?.patches ?? [];
  return { rc: [...rc], stage: stage.filter((id) => !rc.includes(id)) };
}
