/**
 * Release files, semver and promotion rules of the `git-prolly dev` workflow: pure planners
 * return plans (data), {@link applySteps} performs them through a narrow {@link GitPort}; an atomic
 * lock and patch id reservations on origin (refs created with a lease).
 * @packageDocumentation
 */
export { RELEASE_ERROR_CODES, ReleaseError, isReleaseError, testsFailedError } from "./release-error.js";
export type { ReleaseErrorCode, ReleaseErrorOptions } from "./release-error.js";

export {
  RELEASE_LEVELS,
  assertReleaseLevel,
  assertReleaseVersion,
  bumpVersion,
  compareVersions,
  isReleaseVersion,
} from "./release-version.js";
export type { ReleaseLevel } from "./release-version.js";
export { PATCH_ID_PATTERN, assertPatchId, isPatchId } from "./patch-id.js";
export {
  ARCHIVE_BRANCH_PREFIX,
  HO_PROD,
  HO_PROD_LOCK_REF,
  PATCH_BRANCH_PREFIX,
  PATCH_ID_REF_PREFIX,
  VALIDATION_BRANCH_PREFIX,
  archiveBranch,
  patchBranch,
  patchIdOfBranch,
  patchIdRef,
  releaseTag,
  validationBranch,
} from "./branch-names.js";

export {
  RELEASES_DIR,
  parsePatchList,
  parseReleaseFileName,
  releaseFileName,
  releaseFilePath,
  serializePatchList,
} from "./release-file.js";
export type { ReleaseFile, ReleaseFileName, ReleaseKind } from "./release-file.js";
export {
  activeRc,
  applyContext,
  buildReleaseSet,
  isReleased,
  productionReleases,
  productionVersion,
  rcsOf,
  releaseContext,
  releaseManifest,
  releaseOfPatch,
  releaseStatus,
  stageOf,
  stages,
} from "./release-set.js";
export type { ContextRelease, ReleaseEntry, ReleaseSet, ReleaseStatus } from "./release-set.js";
export { readReleasesAt, readReleasesDir } from "./read-releases.js";
export { assertImmutableReleases, findImmutableViolations } from "./verify-immutable-releases.js";
export type { ImmutableViolation } from "./verify-immutable-releases.js";

export { describeStep } from "./plan-step.js";
export type { PlanStep } from "./plan-step.js";
export { selectStage } from "./select-stage.js";
export { resolveBranch } from "./resolve-branch.js";
export type { KnownBranches } from "./resolve-branch.js";
export { planReleaseNew } from "./plan-release-new.js";
export type { PushOptions, ReleaseNewPlan } from "./plan-release-new.js";
export { PATCHES_DIR, planPatchNew } from "./plan-patch-new.js";
export type { PatchNewOptions, PatchNewPlan } from "./plan-patch-new.js";
export { planPatchAdd } from "./plan-patch-add.js";
export type { PatchAddOptions, PatchAddPlan } from "./plan-patch-add.js";
export { planPromoteRc } from "./plan-promote-rc.js";
export type { PromoteRcOptions, PromoteRcPlan } from "./plan-promote-rc.js";
export { MODEL_DIR, planPromoteProd } from "./plan-promote-prod.js";
export type { PromoteProdOptions, PromoteProdPlan } from "./plan-promote-prod.js";
export { planUpgrade } from "./plan-upgrade.js";
export type { UpgradePlan, UpgradeRelease } from "./plan-upgrade.js";
export { applySteps } from "./apply-steps.js";
export { notifyPatchBranches } from "./notify-patch-branches.js";
export { patchBranchesToNotify } from "./patch-branches-to-notify.js";
export type { NotifyOptions } from "./notify-patch-branches.js";
export type { ApplyStepsOptions } from "./apply-steps.js";

export type { GitPort, LeasedPush, LeasedPushOutcome, MergeOutcome } from "./git-port.js";
export { GitCli } from "./git-cli.js";
export { requireClean, requireHoProd, requirePatchBranch, syncWithOrigin } from "./repository-checks.js";
export type { SyncOutcome } from "./repository-checks.js";

export {
  acquireOriginLock,
  defaultRemote,
  formatLockMessage,
  lockTtlMs,
  lockedError,
  parseLockMessage,
  readOriginLock,
  withOriginLock,
} from "./origin-lock.js";
export type { HeldLock, LockOwner, LockState, OriginLockOptions } from "./origin-lock.js";
export { releasePatchIdReservation, reservePatchId } from "./reserve-patch-id.js";
export type { PatchIdReservation, ReservePatchIdOptions } from "./reserve-patch-id.js";
