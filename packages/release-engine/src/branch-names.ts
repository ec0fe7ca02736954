import { assertPatchId } from "./patch-id.js";
import { assertReleaseVersion } from "./release-version.js";

/** The production branch: the source of truth every command that changes the project works on. */
export const HO_PROD = "ho-prod";

/** Prefix of patch development branches: `ho-patch/<id>`. */
export const PATCH_BRANCH_PREFIX = "ho-patch/";

/** Prefix of archived patch branches: `ho-release/<X.Y.Z>/<id>`. */
export const ARCHIVE_BRANCH_PREFIX = "ho-release/";

/** Prefix of validation branches: `temp-valid-<X.Y.Z>`. */
export const VALIDATION_BRANCH_PREFIX = "temp-valid-";

/** The ref of the lock on ho-prod on origin. */
export const HO_PROD_LOCK_REF = "refs/git-prolly/lock/ho-prod";

/** Prefix of patch id reservations on origin: `refs/git-prolly/patch-id/<id>`. */
export const PATCH_ID_REF_PREFIX = "refs/git-prolly/patch-id/";

/** `ho-patch/<id>`. */
export function patchBranch(id: string): string {
  return PATCH_BRANCH_PREFIX + assertPatchId(id);
}

/** The patch id of a `ho-patch/<id>` branch name, or undefined when it is not one. */
export function patchIdOfBranch(branch: string): string | undefined {
  if (!branch.startsWith(PATCH_BRANCH_PREFIX)) return undefined;
  const id = branch.slice(PATCH_BRANCH_PREFIX.length);
  return /^\d+(-[a-z0-9]+)*$/.test(id) ? id : undefined;
}

/** `ho-release/<X.Y.Z>/<id>`: the validated patch, kept after RC promotion. */
export function archiveBranch(version: string, id: string): string {
  return `${ARCHIVE_BRANCH_PREFIX}${assertReleaseVersion(version)}/${assertPatchId(id)}`;
}

/** `temp-valid-<X.Y.Z>`. */
export function validationBranch(version: string): string {
  return VALIDATION_BRANCH_PREFIX + assertReleaseVersion(version);
}

/** `refs/git-prolly/patch-id/<id>`. */
export function patchIdRef(id: string): string {
  return PATCH_ID_REF_PREFIX + assertPatchId(id);
}

/** The tag of a release: `vX.Y.Z` or `vX.Y.Z-rcN`. */
export function releaseTag(version: string, rc?: number): string {
  return rc === undefined ? `v${assertReleaseVersion(version)}` : `v${assertReleaseVersion(version)}-rc${rc}`;
}
