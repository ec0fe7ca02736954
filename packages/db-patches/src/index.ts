/**
 * Apply, dump and version PostgreSQL schemas, on PGlite and on a real server.
 * @packageDocumentation
 */
export { DB_PATCH_ERROR_CODES, DbPatchError, isDbPatchError } from "./errors.js";
export type { DbPatchErrorCode, DbPatchErrorOptions } from "./errors.js";

export { REDACTED, redactUrl, scrubSecrets } from "./redact-url.js";
export { resolveConnection } from "./resolve-connection.js";
export type { ConnectionOptions, ConnectionTarget, PgliteTarget, ServerTarget } from "./resolve-connection.js";
export { DatabaseHandle, openDatabase, PGLITE_VERSION } from "./open-database.js";
export { PgliteDialect } from "./pglite-dialect.js";
export type { PgliteDialectConfig } from "./pglite-dialect.js";
export { lockDataDir } from "./data-dir-lock.js";
export type { DataDirLock, DataDirLockOwner } from "./data-dir-lock.js";

export { NO_TRANSACTION_MARKER, lineOfPosition, splitSql } from "./split-sql.js";
export type { SplitSql, SqlStatement } from "./split-sql.js";
export { PATCH_ID_PATTERN, assertPatchId, planPatch, planPatches, readPatch, renderPlanSql } from "./plan-patches.js";
export type { PatchPlan, PatchSource, PatchSourceFile, PlannedFile, PlannedPatch } from "./plan-patches.js";
export { loadPatchModule } from "./load-patch-module.js";
export type { PatchModule } from "./load-patch-module.js";
export { applyPlan } from "./apply-plan.js";
export type { ApplyEvent, ApplyOptions, ApplyResult } from "./apply-plan.js";
export { advisoryLockKey, withAdvisoryLock } from "./advisory-lock.js";
export type { AdvisoryLockOptions } from "./advisory-lock.js";

export { METADATA_SCHEMA } from "./metadata-schema.js";
export { compareReleaseVersions, parseReleaseVersion } from "./release-version.js";
export type { ReleaseVersion } from "./release-version.js";
export {
  METADATA_DDL,
  METADATA_VERSION,
  currentRelease,
  installMetadata,
  listAppliedPatches,
  listReleases,
  readMetadataInfo,
  recordRelease,
  setProductionFlag,
} from "./metadata.js";
export type { AppliedPatch, InstallMetadataOptions, MetadataInfo, RecordReleaseOptions, ReleaseRecord } from "./metadata.js";
export { checkAppliedPatches } from "./check-applied-patches.js";
export type { PatchCheckReport, PatchMismatch } from "./check-applied-patches.js";

export { RESTRICT_KEY, dumpSchema, normalizeSchemaDump } from "./dump-schema.js";
export type { DumpSchemaOptions } from "./dump-schema.js";
export { dumpMetadata } from "./dump-metadata.js";
export { detectDrift, diffSchemas } from "./detect-drift.js";
export type { DriftReport } from "./detect-drift.js";
export { MODEL_POINTER, modelFileNames, readModel, writeModel } from "./model-files.js";
export type { Model } from "./model-files.js";
export { restoreFromModel } from "./restore-from-model.js";
export type { RestoreFromModelOptions, RestoreResult } from "./restore-from-model.js";
export { createBackup, readBackupManifest, restoreBackup, verifyBackup } from "./backup.js";
export type { BackupInfo, CreateBackupOptions, RestoreBackupOptions } from "./backup.js";
export { runUpgrade } from "./run-upgrade.js";
export type { UpgradeOptions, UpgradeResult, UpgradeStep } from "./run-upgrade.js";

export { generateKyselyTypes, renderKyselyTypes } from "./generate-kysely-types.js";
export type { GenerateTypesOptions } from "./generate-kysely-types.js";
export { introspectCatalog } from "./introspect-catalog.js";
export type { Catalog, CatalogColumn, CatalogRelation, CatalogType } from "./introspect-catalog.js";
