import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import { productionReleases, releaseManifest, type ReleaseSet } from "./release-set.js";
import { assertReleaseVersion, compareVersions } from "./release-version.js";

/** One release an upgrade applies. */
export interface UpgradeRelease {
  version: string;
  /** The release's full, cumulative patch list, in application order. */
  patches: string[];
}

/** The plan of `upgrade [--to-release X.Y.Z]`. */
export interface UpgradePlan {
  /** The database's version. */
  from: string;
  /** The version after the upgrade (= `from` when there is nothing to do). */
  to: string;
  /** Production releases after `from` up to `to`, oldest first. */
  releases: UpgradeRelease[];
}

/**
 * Plans `upgrade`: the production releases after the database's version `current`, in order, up
 * to `toRelease` (default: the latest), each with its full patch list ({@link releaseManifest}).
 * A `toRelease` equal to `current` plans nothing; one that is not a production release after
 * `current` is `RELEASE_UNKNOWN_RELEASE`.
 */
export function planUpgrade(set: ReleaseSet, current: string, toRelease?: string): UpgradePlan {
  assertReleaseVersion(current);
  const after = productionReleases(set).filter((f) => compareVersions(f.version, current) > 0);
  if (toRelease !== undefined) {
    assertReleaseVersion(toRelease);
    // Already there: nothing to do, as `upgrade` without a target on an up-to-date database.
    if (toRelease === current) return { from: current, to: current, releases: [] };
    if (!after.some((f) => f.version === toRelease)) {
      throw new ReleaseError(
        RELEASE_ERROR_CODES.UNKNOWN_RELEASE,
        `Target version ${toRelease} not in upgrade path from ${current}`,
        {
          hint:
            after.length === 0
              ? `The database is at ${current}: nothing to upgrade (run git-prolly dev update)`
              : `Available: ${after.map((f) => f.version).join(", ")}`,
          data: { current, toRelease, available: after.map((f) => f.version) },
        },
      );
    }
  }
  const chosen = after.filter((f) => toRelease === undefined || compareVersions(f.version, toRelease) <= 0);
  const releases = chosen.map((f) => ({ version: f.version, patches: releaseManifest(set, f.version) }));
  return { from: current, to: releases.at(-1)?.version ?? current, releases };
}
