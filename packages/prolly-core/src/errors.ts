/** Stable error codes of prolly-core. */
export const PROLLY_ERROR_CODES = {
  /** Bytes given to a decoder are not a valid node, index or tree object. */
  MALFORMED_NODE: "PROLLY_MALFORMED_NODE",
  /** A node uses a format version this build does not know. */
  UNSUPPORTED_FORMAT: "PROLLY_UNSUPPORTED_FORMAT",
  /** A node id is not in the store. */
  NODE_NOT_FOUND: "PROLLY_NODE_NOT_FOUND",
  /** A key is empty or longer than the format allows. */
  INVALID_KEY: "PROLLY_INVALID_KEY",
  /** A value is longer than the format allows. */
  INVALID_VALUE: "PROLLY_INVALID_VALUE",
  /** Input that must be sorted and unique is not. */
  UNSORTED_INPUT: "PROLLY_UNSORTED_INPUT",
  /** A node id is not 40 lowercase hexadecimal digits. */
  INVALID_NODE_ID: "PROLLY_INVALID_NODE_ID",
  /** Chunking parameters are out of range. */
  INVALID_CONFIG: "PROLLY_INVALID_CONFIG",
  /** A proof cannot be decoded. */
  MALFORMED_PROOF: "PROLLY_MALFORMED_PROOF",
} as const;

/** One of {@link PROLLY_ERROR_CODES}. */
export type ProllyErrorCode = (typeof PROLLY_ERROR_CODES)[keyof typeof PROLLY_ERROR_CODES];

/** Options of a {@link ProllyError}. */
export interface ProllyErrorOptions {
  /** What the caller can do next. */
  hint: string;
  /** Structured details (never secrets). */
  data?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The only error type prolly-core throws on bad input or a broken store.
 *
 * @example
 * ```ts
 * try { decodeLeaf(bytes); } catch (e) { if (e instanceof ProllyError && e.code === "PROLLY_MALFORMED_NODE") … }
 * ```
 */
export class ProllyError extends Error {
  override readonly name = "ProllyError";
  /** Stable machine-readable code. */
  readonly code: ProllyErrorCode;
  /** What to do next. */
  readonly hint: string;
  /** Structured details. */
  readonly data: Record<string, unknown>;

  constructor(code: ProllyErrorCode, message: string, options: ProllyErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }

  /** A plain object for logs and `--json` output. */
  toJSON(): { name: string; code: ProllyErrorCode; message: string; hint: string; data: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}

/**
 * True when `error` is a {@link ProllyError} (optionally with `code`). Checks the shape, not
 * `instanceof`, so it also recognises errors from a second copy of the package (as
 * `isGitStoreError` and `isDbPatchError` do).
 */
export function isProllyError(error: unknown, code?: ProllyErrorCode): error is ProllyError {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; code?: unknown };
  return e.name === "ProllyError" && typeof e.code === "string" && (code === undefined || e.code === code);
}

/** @internal Shorthand for a malformed-input error. */
export function malformed(what: string, data: Record<string, unknown> = {}): ProllyError {
  return new ProllyError(PROLLY_ERROR_CODES.MALFORMED_NODE, `malformed node: ${what}`, {
    hint: "The object is corrupted or was not written by git-prolly; restore it from a clone or re-import the data.",
    data,
  });
}
