/**
 * The one table of git-prolly's exit codes, keyed by error code. Every command exits through
 * {@link exitCodeFor}; packages' error codes that are not listed exit with {@link EXIT.FAILURE}.
 * The classes are documented in `apps/cli/README.md` ("Exit codes").
 */

/** Exit-code classes. Numbers are API: never renumbered, never reused. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** Any other failure (Git failed, an unexpected error). */
  FAILURE: 1,
  /** Usage or bad input: unknown command or flag, missing argument, invalid key, ref name or file. */
  USAGE: 2,
  /** Not found: a key, ref, branch or commit that does not exist. */
  NOT_FOUND: 3,
  /** Conflict: merge conflicts, a branch that exists or moved, a path in use. */
  CONFLICT: 4,
  /** Not a dataset or not a Git repository. */
  NOT_A_DATASET: 5,
  /** Locked or busy: another process holds a lock. */
  LOCKED: 6,
  /** Uncommitted changes would be discarded. */
  UNCOMMITTED: 7,
  /** Integrity: a damaged or missing object, an unknown format, a proof that does not verify. */
  INTEGRITY: 8,
} as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Error code → exit code. Add new codes here (one line each); keep each package's codes together.
 */
export const EXIT_CODES: Readonly<Record<string, ExitCode>> = {
  // CLI
  CLI_USAGE: EXIT.USAGE,
  CLI_UNKNOWN_COMMAND: EXIT.USAGE,
  CLI_BAD_INPUT: EXIT.USAGE,
  CLI_BAD_FORMAT: EXIT.USAGE,
  CLI_FILE_NOT_FOUND: EXIT.USAGE,
  CLI_FILE_UNREADABLE: EXIT.USAGE,
  CLI_BAD_DIRECTORY: EXIT.USAGE,
  CLI_KEY_NOT_FOUND: EXIT.NOT_FOUND,
  CLI_MERGE_CONFLICTS: EXIT.CONFLICT,
  CLI_NOT_A_REPOSITORY: EXIT.NOT_A_DATASET,
  CLI_PROOF_INVALID: EXIT.INTEGRITY,
  CLI_NOTHING_TO_COMMIT: EXIT.FAILURE,
  // kv-store
  KV_INVALID_KEY: EXIT.USAGE,
  KV_VALUE_TOO_LARGE: EXIT.USAGE,
  KV_INVALID_REF_NAME: EXIT.USAGE,
  KV_INVALID_ARGUMENT: EXIT.USAGE,
  KV_UNSORTED_INPUT: EXIT.USAGE,
  KV_AMBIGUOUS_REF: EXIT.USAGE,
  KV_KEY_NOT_FOUND: EXIT.NOT_FOUND,
  KV_UNKNOWN_REF: EXIT.NOT_FOUND,
  KV_BRANCH_NOT_FOUND: EXIT.NOT_FOUND,
  KV_NO_COMMITS: EXIT.NOT_FOUND,
  KV_MERGE_CONFLICT: EXIT.CONFLICT,
  KV_BRANCH_MOVED: EXIT.CONFLICT,
  KV_BRANCH_EXISTS: EXIT.CONFLICT,
  KV_BRANCH_NOT_MERGED: EXIT.CONFLICT,
  KV_CURRENT_BRANCH: EXIT.CONFLICT,
  KV_PATH_IN_USE: EXIT.CONFLICT,
  KV_READ_ONLY: EXIT.CONFLICT,
  KV_NOT_A_DATASET: EXIT.NOT_A_DATASET,
  KV_LOCKED: EXIT.LOCKED,
  KV_UNCOMMITTED_CHANGES: EXIT.UNCOMMITTED,
  KV_OBJECT_CORRUPT: EXIT.INTEGRITY,
  KV_OBJECT_MISSING: EXIT.INTEGRITY,
  KV_UNKNOWN_FORMAT: EXIT.INTEGRITY,
  KV_GIT_FAILED: EXIT.FAILURE,
  // git-object-store
  GIT_REPO_NOT_FOUND: EXIT.NOT_A_DATASET,
  GIT_LOCKED: EXIT.LOCKED,
  GIT_REF_MOVED: EXIT.CONFLICT,
  GIT_UNKNOWN_REVISION: EXIT.NOT_FOUND,
  GIT_REF_NOT_FOUND: EXIT.NOT_FOUND,
  GIT_OBJECT_NOT_FOUND: EXIT.INTEGRITY,
  GIT_OBJECT_CORRUPT: EXIT.INTEGRITY,
  GIT_INVALID_REVISION: EXIT.USAGE,
  GIT_INVALID_REF_NAME: EXIT.USAGE,
  GIT_INVALID_PATH: EXIT.USAGE,
  GIT_INVALID_OBJECT_ID: EXIT.USAGE,
  GIT_AMBIGUOUS_REVISION: EXIT.USAGE,
  // prolly-core
  PROLLY_INVALID_KEY: EXIT.USAGE,
  PROLLY_INVALID_VALUE: EXIT.USAGE,
  PROLLY_INVALID_CONFIG: EXIT.USAGE,
  PROLLY_UNSORTED_INPUT: EXIT.USAGE,
  PROLLY_MALFORMED_PROOF: EXIT.INTEGRITY,
  PROLLY_MALFORMED_NODE: EXIT.INTEGRITY,
  PROLLY_NODE_NOT_FOUND: EXIT.INTEGRITY,
  PROLLY_UNSUPPORTED_FORMAT: EXIT.INTEGRITY,
  PROLLY_INVALID_NODE_ID: EXIT.USAGE,
};

/** The exit code of an error code ({@link EXIT.FAILURE} when the code is not in the table). */
export function exitCodeFor(code: string | undefined): ExitCode {
  if (code === undefined) return EXIT.FAILURE;
  return EXIT_CODES[code] ?? EXIT.FAILURE;
}
