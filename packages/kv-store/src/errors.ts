import { MAX_VALUE_BYTES, PROLLY_ERROR_CODES, ProllyError } from "@git-prolly/prolly-core";
import { GIT_ERROR_CODES, isGitStoreError } from "@git-prolly/git-object-store";

/** Stable error codes of kv-store. Codes are API: never renamed, never reused. */
export const KV_ERROR_CODES = {
  /** A key is empty or longer than 64 KiB. */
  INVALID_KEY: "KV_INVALID_KEY",
  /** A value is longer than 100 MiB. */
  VALUE_TOO_LARGE: "KV_VALUE_TOO_LARGE",
  /** A key that must exist does not. */
  KEY_NOT_FOUND: "KV_KEY_NOT_FOUND",
  /** The path is not inside a dataset (no `prolly.json` there or above). */
  NOT_A_DATASET: "KV_NOT_A_DATASET",
  /** `init` found files in the way of a new dataset. */
  PATH_IN_USE: "KV_PATH_IN_USE",
  /** The dataset was written by a newer or unknown format. */
  UNKNOWN_FORMAT: "KV_UNKNOWN_FORMAT",
  /** The command would discard staged or unstaged dataset changes. */
  UNCOMMITTED_CHANGES: "KV_UNCOMMITTED_CHANGES",
  /** The branch moved while committing (another writer committed first). */
  BRANCH_MOVED: "KV_BRANCH_MOVED",
  /** A branch to create already exists. */
  BRANCH_EXISTS: "KV_BRANCH_EXISTS",
  /** A branch does not exist. */
  BRANCH_NOT_FOUND: "KV_BRANCH_NOT_FOUND",
  /** A branch to delete has commits HEAD does not contain. */
  BRANCH_NOT_MERGED: "KV_BRANCH_NOT_MERGED",
  /** The checked-out branch cannot be deleted. */
  CURRENT_BRANCH: "KV_CURRENT_BRANCH",
  /** A branch or ref name breaks Git's ref-name rules. */
  INVALID_REF_NAME: "KV_INVALID_REF_NAME",
  /** A revision names nothing. */
  UNKNOWN_REF: "KV_UNKNOWN_REF",
  /** A short commit id matches several objects. */
  AMBIGUOUS_REF: "KV_AMBIGUOUS_REF",
  /** The branch has no commits yet. */
  NO_COMMITS: "KV_NO_COMMITS",
  /** Files outside the dataset conflict in a merge (key conflicts are returned as data). */
  MERGE_CONFLICT: "KV_MERGE_CONFLICT",
  /** A stored object is damaged. */
  OBJECT_CORRUPT: "KV_OBJECT_CORRUPT",
  /** A stored object is missing. */
  OBJECT_MISSING: "KV_OBJECT_MISSING",
  /** Another process holds a lock. */
  LOCKED: "KV_LOCKED",
  /** The `git` executable failed. */
  GIT_FAILED: "KV_GIT_FAILED",
  /** An argument is out of range. */
  INVALID_ARGUMENT: "KV_INVALID_ARGUMENT",
  /** `set`, `commit` or `merge` while the dataset follows a tag or a commit (read-only). */
  READ_ONLY: "KV_READ_ONLY",
  /** `import(…, { sorted: true })` got entries that are not in strictly increasing key order. */
  UNSORTED_INPUT: "KV_UNSORTED_INPUT",
} as const;

/** One of {@link KV_ERROR_CODES}. */
export type KvErrorCode = (typeof KV_ERROR_CODES)[keyof typeof KV_ERROR_CODES];

/** Options of a {@link KvStoreError}. */
export interface KvStoreErrorOptions {
  /** What the caller can do next. */
  hint: string;
  /** Structured details (never secrets). */
  data?: Record<string, unknown>;
  /** The underlying error (a ProllyError or GitStoreError is kept here). */
  cause?: unknown;
}

/**
 * The only error type kv-store throws.
 *
 * @example
 * ```ts
 * try { await store.checkout("main"); }
 * catch (e) { if (isKvStoreError(e, "KV_UNCOMMITTED_CHANGES")) console.error(e.message, e.hint); }
 * ```
 */
export class KvStoreError extends Error {
  override readonly name = "KvStoreError";
  readonly code: KvErrorCode;
  readonly hint: string;
  readonly data: Record<string, unknown>;

  constructor(code: KvErrorCode, message: string, options: KvStoreErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }

  /** A plain object for logs and `--json` output. */
  toJSON(): { name: string; code: KvErrorCode; message: string; hint: string; data: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}

/** True when `error` is a {@link KvStoreError} (optionally with `code`), by shape. */
export function isKvStoreError(error: unknown, code?: KvErrorCode): error is KvStoreError {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; code?: unknown };
  return e.name === "KvStoreError" && typeof e.code === "string" && (code === undefined || e.code === code);
}

const FROM_PROLLY: Partial<Record<string, KvErrorCode>> = {
  [PROLLY_ERROR_CODES.INVALID_KEY]: "KV_INVALID_KEY",
  [PROLLY_ERROR_CODES.INVALID_VALUE]: "KV_VALUE_TOO_LARGE",
  [PROLLY_ERROR_CODES.NODE_NOT_FOUND]: "KV_OBJECT_MISSING",
  [PROLLY_ERROR_CODES.MALFORMED_NODE]: "KV_OBJECT_CORRUPT",
  [PROLLY_ERROR_CODES.UNSUPPORTED_FORMAT]: "KV_UNKNOWN_FORMAT",
  [PROLLY_ERROR_CODES.UNSORTED_INPUT]: "KV_UNSORTED_INPUT",
  [PROLLY_ERROR_CODES.INVALID_NODE_ID]: "KV_OBJECT_CORRUPT",
  [PROLLY_ERROR_CODES.INVALID_CONFIG]: "KV_INVALID_ARGUMENT",
  [PROLLY_ERROR_CODES.MALFORMED_PROOF]: "KV_INVALID_ARGUMENT",
};

/** Hints that name kv-store's API rather than prolly-core's. */
const HINTS: Partial<Record<KvErrorCode, string>> = {
  KV_VALUE_TOO_LARGE:
    `Keep values at most ${MAX_VALUE_BYTES} bytes; ` +
    "store large files next to the dataset and keep their path as the value.",
  KV_UNSORTED_INPUT:
    "Sort the entries by key (bytewise, without duplicates), or import them without `{ sorted: true }`.",
};

const FROM_GIT: Partial<Record<string, KvErrorCode>> = {
  [GIT_ERROR_CODES.OBJECT_CORRUPT]: "KV_OBJECT_CORRUPT",
  [GIT_ERROR_CODES.OBJECT_NOT_FOUND]: "KV_OBJECT_MISSING",
  [GIT_ERROR_CODES.WRONG_OBJECT_TYPE]: "KV_OBJECT_CORRUPT",
  [GIT_ERROR_CODES.UNKNOWN_REVISION]: "KV_UNKNOWN_REF",
  [GIT_ERROR_CODES.INVALID_REVISION]: "KV_UNKNOWN_REF",
  [GIT_ERROR_CODES.AMBIGUOUS_REVISION]: "KV_AMBIGUOUS_REF",
  [GIT_ERROR_CODES.INVALID_REF_NAME]: "KV_INVALID_REF_NAME",
  [GIT_ERROR_CODES.REF_MOVED]: "KV_BRANCH_MOVED",
  [GIT_ERROR_CODES.LOCKED]: "KV_LOCKED",
  [GIT_ERROR_CODES.REPO_NOT_FOUND]: "KV_NOT_A_DATASET",
  [GIT_ERROR_CODES.COMMAND_FAILED]: "KV_GIT_FAILED",
  [GIT_ERROR_CODES.INVALID_PATH]: "KV_INVALID_ARGUMENT",
  [GIT_ERROR_CODES.UNSUPPORTED]: "KV_GIT_FAILED",
  [GIT_ERROR_CODES.INVALID_OBJECT_ID]: "KV_UNKNOWN_REF",
  [GIT_ERROR_CODES.REF_NOT_FOUND]: "KV_UNKNOWN_REF",
};

/**
 * Converts errors of the layers below into a {@link KvStoreError} with the same message and hint,
 * keeping the original as `cause`. Other errors pass through unchanged.
 * @internal
 */
export function toKvError(error: unknown): unknown {
  if (isKvStoreError(error)) return error;
  if (error instanceof ProllyError || isGitStoreError(error)) {
    const e = error as { code: string; message: string; hint: string; data: Record<string, unknown> };
    const code =
      error instanceof ProllyError
        ? (FROM_PROLLY[e.code] ?? "KV_INVALID_ARGUMENT")
        : (FROM_GIT[e.code] ?? "KV_GIT_FAILED");
    return new KvStoreError(code, e.message, { hint: HINTS[code] ?? e.hint, data: e.data, cause: error });
  }
  return error;
}
