import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";

/** A release version: `X.Y.Z` (production) or `X.Y.Z-rcN` (also `-alphaN`, `-betaN`). */
export interface ReleaseVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `""` for a production release. */
  readonly preRelease: "" | "alpha" | "beta" | "rc";
  /** 0 for a production release. */
  readonly preReleaseNum: number;
  /** Canonical text: `1.2.0`, `1.2.0-rc1`. */
  readonly text: string;
}

const VERSION_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(alpha|beta|rc)\.?([1-9]\d*))?$/;

/**
 * Parses `X.Y.Z`, `X.Y.Z-rcN` or `X.Y.Z-rc.N` (also alpha/beta) into its parts.
 *
 * @throws {@link DbPatchError} `DB_INVALID_VERSION`.
 */
export function parseReleaseVersion(text: string): ReleaseVersion {
  const m = VERSION_RE.exec(text);
  if (m === null) {
    throw new DbPatchError(DB_PATCH_ERROR_CODES.INVALID_VERSION, `invalid release version: ${JSON.stringify(text)}`, {
      hint: "A release version is X.Y.Z or X.Y.Z-rcN (for example 1.4.0 or 1.4.0-rc2).",
      data: { version: text },
    });
  }
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const preRelease = (m[4] ?? "") as ReleaseVersion["preRelease"];
  const preReleaseNum = m[5] === undefined ? 0 : Number(m[5]);
  const text2 = `${major}.${minor}.${patch}${preRelease === "" ? "" : `-${preRelease}${preReleaseNum}`}`;
  return { major, minor, patch, preRelease, preReleaseNum, text: text2 };
}

const PRE_RANK: Readonly<Record<ReleaseVersion["preRelease"], number>> = { alpha: 0, beta: 1, rc: 2, "": 3 };

/** Orders versions: 1.2.0-alpha1 < 1.2.0-rc1 < 1.2.0-rc2 < 1.2.0 < 1.2.1. */
export function compareReleaseVersions(a: ReleaseVersion, b: ReleaseVersion): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.patch - b.patch ||
    PRE_RANK[a.preRelease] - PRE_RANK[b.preRelease] ||
    a.preReleaseNum - b.preReleaseNum
  );
}
