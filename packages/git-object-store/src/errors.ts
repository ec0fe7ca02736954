/** Stable error codes of git-object-store. Codes are API: never renamed, never reused. */
export const GIT_ERROR_CODES = {
  /** No Git repository at or above the given path. */
  REPO_NOT_FOUND: "GIT_REPO_NOT_FOUND",
  /** An object id is not in the object database. */
  OBJECT_NOT_FOUND: "GIT_OBJECT_NOT_FOUND",
  /** An object's bytes do not match its id, or cannot be inflated or parsed. */
  OBJECT_CORRUPT: "GIT_OBJECT_CORRUPT",
  /** An object exists but is of another type than the caller needs. */
  WRONG_OBJECT_TYPE: "GIT_WRONG_OBJECT_TYPE",
  /** A string is not a 40-hex object id. */
  INVALID_OBJECT_ID: "GIT_INVALID_OBJECT_ID",
  /** A ref name breaks Git's ref-name rules (git check-ref-format). */
  INVALID_REF_NAME: "GIT_INVALID_REF_NAME",
  /** A ref does not exist. */
  REF_NOT_FOUND: "GIT_REF_NOT_FOUND",
  /** A compare-and-swap ref update found another value than expected. */
  REF_MOVED: "GIT_REF_MOVED",
  /** A lock file (`<ref>.lock`, `index.lock`, …) is held by another process. */
  LOCKED: "GIT_LOCKED",
  /** A revision expression cannot be parsed. */
  INVALID_REVISION: "GIT_INVALID_REVISION",
  /** A revision names nothing in the repository. */
  UNKNOWN_REVISION: "GIT_UNKNOWN_REVISION",
  /** A short object id matches more than one object. */
  AMBIGUOUS_REVISION: "GIT_AMBIGUOUS_REVISION",
  /** A path inside a tree is empty, absolute or has `.`/`..`/`.git` components. */
  INVALID_PATH: "GIT_INVALID_PATH",
  /** The repository uses a feature this package does not read (e.g. SHA-256 objects). */
  UNSUPPORTED: "GIT_UNSUPPORTED",
  /** The `git` executable failed or is missing. */
  COMMAND_FAILED: "GIT_COMMAND_FAILED",
  /** An object was used after it was finished or closed (a pack writer finished twice). */
  INVALID_STATE: "GIT_INVALID_STATE",
  /** A worker thread of a bulk write (compression, file writing) failed or died. */
  WORKER_FAILED: "GIT_WORKER_FAILED",
  /** Writing a file (a pack, its index) failed midway; nothing was put in place. */
  WRITE_FAILED: "GIT_WRITE_FAILED",
} as const;

/** One of {@link GIT_ERROR_CODES}. */
export type GitErrorCode = (typeof GIT_ERROR_CODES)[keyof typeof GIT_ERROR_CODES];

/** Options of a {@link GitStoreError}. */
export interface GitStoreErrorOptions {
  /** What the caller can do next. */
  hint: string;
  /** Structured details (never secrets). */
  data?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The only error type git-object-store throws on bad input or a broken repository.
 *
 * @example
 * ```ts
 * try { await refs.update("refs/heads/main", next, { expected: old }); }
 * catch (e) { if (isGitStoreError(e, "GIT_REF_MOVED")) retry(); else throw e; }
 * ```
 */
export class GitStoreError extends Error {
  override readonly name = "GitStoreError";
  /** Stable machine-readable code. */
  readonly code: GitErrorCode;
  /** What to do next. */
  readonly hint: string;
  /** Structured details. */
  readonly data: Record<string, unknown>;

  constructor(code: GitErrorCode, message: string, options: GitStoreErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }

  /** A plain object for logs and `--json` output. */
  toJSON(): { name: string; code: GitErrorCode; message: string; hint: string; data: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}

/**
 * True when `error` is a {@link GitStoreError} (optionally with `code`). Checks the shape, not
 * `instanceof`, so it also recognises errors from a second copy of the package.
 */
export function isGitStoreError(error: unknown, code?: GitErrorCode): error is GitStoreError {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; code?: unknown };
  return e.name === "GitStoreError" && typeof e.code === "string" && (code === undefined || e.code === code);
}

/** @internal */
export function objectNotFound(id: string): GitStoreError {
  return new GitStoreError(GIT_ERROR_CODES.OBJECT_NOT_FOUND, `object ${id} not found`, {
    hint: "The repository is missing objects: fetch them from a remote, or check the id.",
    data: { id },
  });
}

/** @internal */
export function objectCorrupt(id: string, what: string, cause?: unknown): GitStoreError {
  return new GitStoreError(GIT_ERROR_CODES.OBJECT_CORRUPT, `object ${id} is corrupt: ${what}`, {
    hint: "Run `git fsck` to find damaged objects, then restore them from a clone or a backup.",
    data: { id },
    cause,
  });
}
