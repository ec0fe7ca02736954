/**
 * Release files, semver and promotion rules of the `git-prolly dev` workflow: pure planners
 * return plans (data), {@link applySteps} performs them through a narrow {@link GitPort}; an atomic
 * lock and patch id reservations on origin (refs created with a lease).
 * @packageDocumentation
 */
export {
  RELEASE_ERROR_CODES,
  ReleaseError,
  type ReleaseErrorCode,
  type ReleaseErrorOptions,
  isReleaseError,
  testsFailedError,
} from "./release-error.js";
export {
  type ReleaseLevel,
  RELEASE_LEVELS,
  assertReleaseVersion,
  bumpVersion,
  compareVersions,
} from "./release-version.js";
export { assertPatchId } from "./patch-id.js";
export { HO_PROD, HO_PROD_LOCK_REF, PATCH_BRANCH_PREFIX, archiveBranch, validationBranch } from "./branch-names.js";
export {
  type ReleaseFile,
  type ReleaseFileName,
  type ReleaseKind,
  parsePatchList,
  parseReleaseFileName,
  releaseFileName,
  serializePatchList,
} from "./release-file.js";
export {
  type ContextRelease,
  type ReleaseEntry,
  type ReleaseSet,
  type ReleaseStatus,
  activeRc,
  applyContext,
  buildReleaseSet,
  productionVersion,
  rcsOf,
  releaseContext,
  releaseManifest,
  releaseOfPatch,
  releaseStatus,
  stageOf,
  stages,
} from "./release-set.js";
export { readReleasesAt, readReleasesDir } from "./read-releases.js";
export {
  type ImmutableViolation,
  assertImmutableReleases,
  findImmutableViolations,
} from "./verify-immutable-releases.js";
export { type PlanStep, describeStep } from "./plan-step.js";
export { selectStage } from "./select-stage.js";
export { type KnownBranches, resolveBranch } from "./resolve-branch.js";
export { type PushOptions, type ReleaseNewPlan, planReleaseNew } from "./plan-release-new.js";
export { type PatchNewOptions, type PatchNewPlan, PATCHES_DIR, planPatchNew } from "./plan-patch-new.js";
export { type PatchAddOptions, type PatchAddPlan, planPatchAdd } from "./plan-patch-add.js";
export { type PromoteRcOptions, type PromoteRcPlan, planPromoteRc } from "./plan-promote-rc.js";
export { type PromoteProdOptions, type PromoteProdPlan, MODEL_DIR, planPromoteProd } from "./plan-promote-prod.js";
export { type UpgradePlan, type UpgradeRelease, planUpgrade } from "./plan-upgrade.js";
export { type ApplyStepsOptions, applySteps } from "./apply-steps.js";
export { type NotifyOptions, notifyPatchBranches } from "./notify-patch-branches.js";
export { patchBranchesToNotify } from "./patch-branches-to-notify.js";
export type { GitPort, LeasedPush, LeasedPushOutcome, MergeOutcome } from "./git-port.js";
export { GitCli } from "./git-cli.js";
export {
  type SyncOutcome,
  requireClean,
  requireHoProd,
  requirePatchBranch,
  syncWithOrigin,
} from "./repository-checks.js";
export {
  type HeldLock,
  type LockOwner,
  type LockState,
  type OriginLockOptions,
  acquireOriginLock,
  readOriginLock,
  withOriginLock,
} from "./origin-lock.js";
export {
  type PatchIdReservation,
  type ReservePatchIdOptions,
  releasePatchIdReservation,
  reservePatchId,
} from "./reserve-patch-id.js";
