/**
 * Apply, dump and version PostgreSQL schemas, on PGlite and on a real server.
 * @packageDocumentation
 */
export { DB_PATCH_ERROR_CODES, DbPatchError, isDbPatchError } from "./errors.js";
export type { DbPatchErrorCode, DbPatchErrorOptions } from "./errors.js";

export { REDACTED, redactUrl, scrubSecrets } from "./connection/redact-url.js";
export { resolveConnection } from "./connection/resolve-connection.js";
export type {
  ConnectionOptions,
  ConnectionTarget,
  PgliteTarget,
  ServerTarget,
} from "./connection/resolve-connection.js";
export { DatabaseHandle, openDatabase, PGLITE_VERSION } from "./connection/open-database.js";
export { PgliteDialect } from "./connection/pglite-dialect.js";
export type { PgliteDialectConfig } from "./connection/pglite-dialect.js";
export { lockDataDir } from "./connection/data-dir-lock.js";
export type { DataDirLock, DataDirLockOwner } from "./connection/data-dir-lock.js";

export { NO_TRANSACTION_MARKER, lineOfPosition, splitSql } from "./planning/split-sql.js";
export type { SplitSql, SqlStatement } from "./planning/split-sql.js";
export {
  PATCH_ID_PATTERN,
  assertPatchId,
  planPatch,
  planPatches,
  readPatch,
  renderPlanSql,
} from "./planning/plan-patches.js";
export type { PatchPlan, PatchSource, PatchSourceFile, PlannedFile, PlannedPatch } from "./planning/plan-patches.js";
export { loadPatchModule } from "./planning/load-patch-module.js";
export type { PatchModule } from "./planning/load-patch-module.js";
export { applyPlan } from "./applying/apply-plan.js";
export type { ApplyEvent, ApplyOptions, ApplyResult } from "./applying/apply-plan.js";
export { advisoryLockKey, withAdvisoryLock } from "./applying/advisory-lock.js";
export type { AdvisoryLockOptions } from "./applying/advisory-lock.js";

export { METADATA_SCHEMA } from "./metadata/metadata-schema.js";
export { compareReleaseVersions, parseReleaseVersion } from "./planning/release-version.js";
export type { ReleaseVersion } from "./planning/release-version.js";
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
} from "./metadata/metadata.js";
export type {
  AppliedPatch,
  InstallMetadataOptions,
  MetadataInfo,
  RecordReleaseOptions,
  ReleaseRecord,
} from "./metadata/metadata.js";
export { checkAppliedPatches } from "./applying/check-applied-patches.js";
export type { PatchCheckReport, PatchMismatch } from "./applying/check-applied-patches.js";

export { RESTRICT_KEY, dumpSchema, normalizeSchemaDump } from "./models/dump-schema.js";
export type { DumpSchemaOptions } from "./models/dump-schema.js";
export { dumpMetadata } from "./metadata/dump-metadata.js";
export { detectDrift, diffSchemas } from "./models/detect-drift.js";
export type { DriftReport } from "./models/detect-drift.js";
export { MODEL_POINTER, modelFileNames, readModel, writeModel } from "./models/model-files.js";
export type { Model } from "./models/model-files.js";
export { restoreFromModel } from "./models/restore-from-model.js";
export type { RestoreFromModelOptions, RestoreResult } from "./models/restore-from-model.js";
export { createBackup, readBackupManifest, restoreBackup, verifyBackup } from "./backups/backup.js";
export type { BackupInfo, CreateBackupOptions, RestoreBackupOptions } from "./backups/backup.js";
export { runUpgrade } from "./applying/run-upgrade.js";
export type { UpgradeOptions, UpgradeResult, UpgradeStep } from "./applying/run-upgrade.js";

export { generateKyselyTypes, renderKyselyTypes } from "./models/generate-kysely-types.js";
export type { GenerateTypesOptions } from "./models/generate-kysely-types.js";
export { introspectCatalog } from "./models/introspect-catalog.js";
export type { Catalog, CatalogColumn, CatalogRelation, CatalogType } from "./models/introspect-catalog.js";
