import semver from "semver";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";

/** A semver level of `release new`. */
export type ReleaseLevel = "patch" | "minor" | "major";

/** The levels `release new` accepts. */
export const RELEASE_LEVELS: readonly ReleaseLevel[] = ["patch", "minor", "major"];

const PLAIN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** True when `v` is a plain `X.Y.Z` version (no prerelease, no build, no leading zeros). */
export function isReleaseVersion(v: string): boolean {
  return PLAIN.test(v);
}

/** Returns `v` when it is `X.Y.Z`; otherwise throws `RELEASE_INVALID_VERSION`. */
export function assertReleaseVersion(v: string): string {
  if (!isReleaseVersion(v)) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.INVALID_VERSION,
      `Invalid release version: ${JSON.stringify(v)} (expected X.Y.Z, e.g. 1.3.6)`,
      {
        hint: "Give a version as three numbers without a prefix or suffix, e.g. 1.3.6",
        data: { version: v },
      },
    );
  }
  return v;
}

/** Returns `level` when it is patch, minor or major; otherwise throws `RELEASE_INVALID_VERSION`. */
export function assertReleaseLevel(level: string): ReleaseLevel {
  if ((RELEASE_LEVELS as readonly string[]).includes(level)) return level as ReleaseLevel;
  throw new ReleaseError(
    RELEASE_ERROR_CODES.INVALID_VERSION,
    `Invalid release level: ${JSON.stringify(level)} (expected patch, minor or major)`,
    {
      hint: "Use git-prolly dev release new patch, minor or major",
      data: { level },
    },
  );
}

/** Orders two `X.Y.Z` versions (negative, zero, positive), by semver precedence. */
export function compareVersions(a: string, b: string): number {
  return semver.compare(assertReleaseVersion(a), assertReleaseVersion(b));
}

/** The version after `base` at `level`: 1.3.5 → 1.3.6 (patch), 1.4.0 (minor), 2.0.0 (major). */
export function bumpVersion(base: string, level: ReleaseLevel): string {
  const next = semver.inc(assertReleaseVersion(base), level);
  if (next === null) throw new Error(`semver.inc failed on ${base}`);
  return next;
}
