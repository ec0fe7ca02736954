import { patchIdOfBranch } from "./branch-names.js";
import { releaseOfPatch, type ReleaseSet } from "./release-set.js";

/**
 * The active patch branches whose owners must merge ho-prod after a promotion: every
 * `ho-patch/<id>` of `branches` except those `excluded` (deleted by the promotion) and those whose
 * patch is already in a release of `set` or in `released` (archived: their branches need no notice).
 */
export function patchBranchesToNotify(
  set: ReleaseSet,
  branches: readonly string[],
  excluded: readonly string[] = [],
  released: readonly string[] = [],
): string[] {
  return branches.filter((b) => {
    const id = patchIdOfBranch(b);
    return id !== undefined && !excluded.includes(b) && !released.includes(id) && releaseOfPatch(set, id) === undefined;
  });
}
