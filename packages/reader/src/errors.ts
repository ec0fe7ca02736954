/** Stable error codes of the reader (API: never renamed or reused). */
export const READER_ERROR_CODES = {
  /** The dataset directory does not exist. */
  NOT_FOUND: "READER_NOT_FOUND",
  /** The directory (or the directory at the ref) holds no git-prolly manifest. */
  NOT_A_DATASET: "READER_NOT_A_DATASET",
  /** The dataset or a node uses a format version this build does not read. */
  FORMAT_UNSUPPORTED: "READER_FORMAT_UNSUPPORTED",
  /** A node file or object the tree names is missing. */
  NODE_MISSING: "READER_NODE_MISSING",
  /** A node's bytes are not a valid node, or do not fit where the tree puts them. */
  NODE_CORRUPT: "READER_NODE_CORRUPT",
  /** `{ ref }` was given but no Git repository contains the dataset directory. */
  REPOSITORY_NOT_FOUND: "READER_REPOSITORY_NOT_FOUND",
  /** The ref names no branch, tag or commit. */
  UNKNOWN_REF: "READER_UNKNOWN_REF",
  /** A short commit id matches several objects. */
  AMBIGUOUS_REF: "READER_AMBIGUOUS_REF",
  /** A Git object, pack or index is unreadable or does not match its id. */
  OBJECT_CORRUPT: "READER_OBJECT_CORRUPT",
  /** A key that is empty, too long, or not a string or Uint8Array. */
  INVALID_KEY: "READER_INVALID_KEY",
  /** `getOrThrow` of an absent key. */
  KEY_NOT_FOUND: "READER_KEY_NOT_FOUND",
  /** The decoder given to `get` threw on the stored value. */
  DECODE_FAILED: "READER_DECODE_FAILED",
  /** The file system refused a read (permissions, I/O error). */
  IO_ERROR: "READER_IO_ERROR",
} as const;

/** One of {@link READER_ERROR_CODES}. */
export type ReaderErrorCode = (typeof READER_ERROR_CODES)[keyof typeof READER_ERROR_CODES];

/**
 * The only error type the reader throws: a stable `code`, a `hint` saying what to do next,
 * structured `data` and the underlying `cause`.
 *
 * @example
 * ```ts
 * try { open("./config"); } catch (e) { if (e instanceof ReaderError && e.code === "READER_NOT_FOUND") … }
 * ```
 */
export class ReaderError extends Error {
  override readonly name = "ReaderError";
  /** Stable machine-readable code. */
  readonly code: ReaderErrorCode;
  /** What to do next. */
  readonly hint: string;
  /** Structured details (paths, ids, refs). */
  readonly data: Record<string, unknown>;

  constructor(code: ReaderErrorCode, message: string, options: { hint: string; data?: Record<string, unknown>; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }

  /** A plain object for logs and JSON output. */
  toJSON(): { name: string; code: ReaderErrorCode; message: string; hint: string; data: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}

/** @internal The hint of format errors. */
export const UPGRADE = "The data was written by a newer git-prolly: upgrade @git-prolly/reader.";

/** @internal A corrupt node or object error. */
export function corrupt(code: "READER_NODE_CORRUPT" | "READER_OBJECT_CORRUPT", what: string, data: Record<string, unknown>, cause?: unknown): ReaderError {
  return new ReaderError(code, what, {
    hint: "Restore the damaged files from Git (`git checkout -- <dataset>`) or use a fresh clone.",
    data,
    cause,
  });
}
