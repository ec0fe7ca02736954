/** Stable error codes of the reader (API: never renamed or reused). */
export const READER_ERROR_CODES = {
  /** The dataset directory does not exist. */ NOT_FOUND: "READER_NOT_FOUND",
  /** The directory (or the directory at the ref) holds no git-prolly manifest. */ NOT_A_DATASET: "READER_NOT_A_DATASET",
  /** The dataset or a node uses a format version this build does not read. */ FORMAT_UNSUPPORTED: "READER_FORMAT_UNSUPPORTED",
  /** A node file or object the tree names is missing. */ NODE_MISSING: "READER_NODE_MISSING",
  /** A node's bytes are not a valid node, or do not fit where the tree puts them. */ NODE_CORRUPT: "READER_NODE_CORRUPT",
  /** `{ ref }` was given but no Git repository contains the dataset directory. */ REPOSITORY_NOT_FOUND: "READER_REPOSITORY_NOT_FOUND",
  /** The ref names no branch, tag or commit. */ UNKNOWN_REF: "READER_UNKNOWN_REF",
  /** A short commit id matches several objects. */ AMBIGUOUS_REF: "READER_AMBIGUOUS_REF",
  /** A Git object, pack or index is unreadable or does not match its id. */ OBJECT_CORRUPT: "READER_OBJECT_CORRUPT",
  /** A key that is empty, too long, or not a string or Uint8Array. */ INVALID_KEY: "READER_INVALID_KEY",
  /** `getOrThrow` of an absent key. */ KEY_NOT_FOUND: "READER_KEY_NOT_FOUND",
  /** The decoder given to `get` threw on the stored value. */ DECODE_FAILED: "READER_DECODE_FAILED",
  /** The file system refused a read (permissions, I/O error). */ IO_ERROR: "READER_IO_ERROR",
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
  /** Stable machine-readable code. */ readonly code: ReaderErrorCode;
  /** What to do next. */ readonly hint: string;
  /** Structured details (paths, ids, refs). */ readonly data: Record<string, unknown>;

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

/** What to do next, per code. */
const HINTS: Record<keyof typeof READER_ERROR_CODES, string> = {
  NOT_FOUND: "Check the path (relative to the current directory) and that the data was deployed.",
  NOT_A_DATASET: "Open a dataset directory (with prolly.json and root); in a bare repository, pass { ref }; with a ref, check `git ls-tree <ref> <dir>/`.",
  FORMAT_UNSUPPORTED: "Upgrade @git-prolly/reader: a newer git-prolly wrote this data.",
  NODE_MISSING: "Restore the files (`git checkout -- <dataset>`); in a shallow clone, `git fetch --unshallow`.",
  NODE_CORRUPT: "Restore the files from Git (`git checkout -- <dataset>`) or use a fresh clone.",
  REPOSITORY_NOT_FOUND: "A ref needs the .git repository; without one, read the checked-out files (no ref).",
  UNKNOWN_REF: "Name a branch, tag or commit (`git branch -a`, `git tag`); fetch it first if it is remote.",
  AMBIGUOUS_REF: "Give more digits of the commit id.",
  OBJECT_CORRUPT: "Run `git fsck`; restore the repository from a fresh clone.",
  INVALID_KEY: "Keys are non-empty strings or Uint8Arrays of at most 65,536 bytes.",
  KEY_NOT_FOUND: "Check the key's spelling; `git-prolly list` shows the keys.",
  DECODE_FAILED: "The value is not what the decoder expects; see it with `git-prolly get`.",
  IO_ERROR: "Check the file's permissions and the disk.",
};

/** @internal A ReaderError with the code's hint. */
export function fail(code: ReaderErrorCode, message: string, data: Record<string, unknown> = {}, cause?: unknown): ReaderError {
  return new ReaderError(code, message, { hint: HINTS[code.slice(7) as keyof typeof HINTS], data, cause });
}
