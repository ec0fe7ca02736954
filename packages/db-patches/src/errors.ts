/** Stable error codes of db-patches. The CLI maps them to exit codes; never rename one. */
export const DB_PATCH_ERROR_CODES = {
  /** Options passed to a function are contradictory or malformed. */
  INVALID_OPTIONS: "DB_INVALID_OPTIONS",
  /** The server could not be reached or refused the login. */
  CONNECTION_FAILED: "DB_CONNECTION_FAILED",
  /** Another process (or another handle in this process) has the PGlite data directory open. */
  PGLITE_LOCKED: "DB_PGLITE_LOCKED",
  /** The project's advisory lock is held by another session and was not released in time. */
  LOCK_TIMEOUT: "DB_LOCK_TIMEOUT",
  /** A patch id does not match `^\d+(-[a-z0-9]+)*$`. */
  INVALID_PATCH_ID: "DB_INVALID_PATCH_ID",
  /** `Patches/<id>/` does not exist. */
  PATCH_NOT_FOUND: "DB_PATCH_NOT_FOUND",
  /** A patch directory holds a file that is neither `.sql`, `.ts`/`.js`/`.mjs`/`.mts` nor `README.md`. */
  UNEXPECTED_FILE: "DB_UNEXPECTED_FILE",
  /** A SQL file cannot be split: an unterminated string, identifier, comment or dollar quote. */
  SQL_UNTERMINATED: "DB_SQL_UNTERMINATED",
  /** A SQL file uses something the engine cannot run through a driver (psql meta-command, COPY FROM STDIN). */
  UNSUPPORTED_SQL: "DB_UNSUPPORTED_SQL",
  /** A SQL file controls transactions itself (BEGIN, COMMIT, ROLLBACK…). */
  PATCH_TRANSACTION_CONTROL: "DB_PATCH_TRANSACTION_CONTROL",
  /** A statement of a patch failed; the patch (or release) was rolled back. */
  PATCH_SQL_FAILED: "DB_PATCH_SQL_FAILED",
  /** A `.ts`/`.js` patch module threw. */
  PATCH_MODULE_FAILED: "DB_PATCH_MODULE_FAILED",
  /** A `.ts`/`.js` patch module has no `default` export that is a function. */
  PATCH_MODULE_INVALID: "DB_PATCH_MODULE_INVALID",
  /** A `.ts` patch module cannot be loaded: no TypeScript loader is available. */
  TS_LOADER_MISSING: "DB_TS_LOADER_MISSING",
  /** A plan lists a patch that is already applied, and the caller asked for that to be an error. */
  PATCH_ALREADY_APPLIED: "DB_PATCH_ALREADY_APPLIED",
  /** An applied patch's files differ from the files on disk. */
  PATCH_CHECKSUM_MISMATCH: "DB_PATCH_CHECKSUM_MISMATCH",
  /** The database has no `git_prolly` metadata schema. */
  METADATA_MISSING: "DB_METADATA_MISSING",
  /** The metadata schema was written by a newer git-prolly, or belongs to another project. */
  METADATA_INCOMPATIBLE: "DB_METADATA_INCOMPATIBLE",
  /** A release version is not `X.Y.Z` or `X.Y.Z-rcN`. */
  INVALID_VERSION: "DB_INVALID_VERSION",
  /** The release is already recorded in this database. */
  RELEASE_EXISTS: "DB_RELEASE_EXISTS",
  /** A PostgreSQL client program (pg_dump, pg_restore) is missing. */
  TOOL_NOT_FOUND: "DB_TOOL_NOT_FOUND",
  /** pg_dump (server or PGlite) failed. */
  DUMP_FAILED: "DB_DUMP_FAILED",
  /** The model directory or its pointer file is missing or malformed. */
  MODEL_INVALID: "DB_MODEL_INVALID",
  /** Restoring a model, snapshot or backup failed. */
  RESTORE_FAILED: "DB_RESTORE_FAILED",
  /** The target database is marked as production and would have been reset. */
  PRODUCTION_RESET_REFUSED: "DB_PRODUCTION_RESET_REFUSED",
  /** Writing a backup failed, or a backup does not pass verification. */
  BACKUP_FAILED: "DB_BACKUP_FAILED",
  /** An upgrade step failed; the database was restored from its backup. */
  UPGRADE_FAILED: "DB_UPGRADE_FAILED",
} as const;

/** One of {@link DB_PATCH_ERROR_CODES}. */
export type DbPatchErrorCode = (typeof DB_PATCH_ERROR_CODES)[keyof typeof DB_PATCH_ERROR_CODES];

/** Options of a {@link DbPatchError}. */
export interface DbPatchErrorOptions {
  /** What the user can do next. */
  hint: string;
  /** Structured details; never passwords or other secrets. */
  data?: Record<string, unknown>;
  /** The underlying error (already scrubbed of secrets by the thrower). */
  cause?: unknown;
}

/**
 * The only error type db-patches throws on purpose.
 *
 * @example
 * ```ts
 * try {
 *   await applyPlan(handle, plan);
 * } catch (e) {
 *   if (e instanceof DbPatchError && e.code === "DB_PATCH_SQL_FAILED") console.error(e.message, e.hint);
 * }
 * ```
 */
export class DbPatchError extends Error {
  override readonly name = "DbPatchError";
  /** Stable machine-readable code. */
  readonly code: DbPatchErrorCode;
  /** What to do next. */
  readonly hint: string;
  /** Structured details (never secrets). */
  readonly data: Record<string, unknown>;

  constructor(code: DbPatchErrorCode, message: string, options: DbPatchErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }

  /** A plain object for logs and `--json` output. */
  toJSON(): { name: string; code: DbPatchErrorCode; message: string; hint: string; data: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}

/** True when `e` is a {@link DbPatchError}, optionally with the given code. */
export function isDbPatchError(e: unknown, code?: DbPatchErrorCode): e is DbPatchError {
  return e instanceof DbPatchError && (code === undefined || e.code === code);
}
