/** Stable error codes of lock-file. Codes are API: never renamed, never reused. */
export const LOCK_ERROR_CODES = {
  /** Another process (or another handle of this one) holds the lock past the timeout. */
  HELD: "LOCK_HELD",
  /** A released or committed lock was written to or committed again. */
  RELEASED: "LOCK_RELEASED",
} as const;

/** One of {@link LOCK_ERROR_CODES}. */
export type LockErrorCode = (typeof LOCK_ERROR_CODES)[keyof typeof LOCK_ERROR_CODES];

/** Options of a {@link LockFileError}. */
export interface LockFileErrorOptions {
  /** What the caller can do next. */
  hint: string;
  /** Structured details (never secrets). */
  data?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The error lock-file throws for a held or misused lock. The packages that take locks wrap it
 * in their own error (`GIT_LOCKED`, `DB_PGLITE_LOCKED`) with this one as `cause`.
 */
export class LockFileError extends Error {
  override readonly name = "LockFileError";
  /** Stable machine-readable code. */
  readonly code: LockErrorCode;
  /** What to do next. */
  readonly hint: string;
  /** Structured details: `lockPath`, and `owner` when the lock names one. */
  readonly data: Record<string, unknown>;

  constructor(code: LockErrorCode, message: string, options: LockFileErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }
}

/** True when `error` is a {@link LockFileError} (optionally with `code`); checks the shape, not `instanceof`. */
export function isLockFileError(error: unknown, code?: LockErrorCode): error is LockFileError {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; code?: unknown };
  return e.name === "LockFileError" && typeof e.code === "string" && (code === undefined || e.code === code);
}
