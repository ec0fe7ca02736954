/** Stable error codes of release-engine. The CLI maps them to exit codes; never rename one. */
export const RELEASE_ERROR_CODES = {
  /** The command must run on `ho-prod`. Message: "Must be on ho-prod branch". */
  NOT_ON_HO_PROD: "RELEASE_NOT_ON_HO_PROD",
  /** The command must run on a `ho-patch/<id>` branch. Message: "Must be on ho-patch/* branch". */
  NOT_ON_PATCH_BRANCH: "RELEASE_NOT_ON_PATCH_BRANCH",
  /** The working tree or index has changes. Message: "Repository is not clean". */
  NOT_CLEAN: "RELEASE_NOT_CLEAN",
  /** The local branch and its origin counterpart have diverged (or the local one is ahead). Message: "Repository not synced with origin". */
  NOT_SYNCED: "RELEASE_NOT_SYNCED",
  /** There is no `X.Y.Z-stage.txt` to work on. Message: "No stage releases found". */
  NO_STAGE: "RELEASE_NO_STAGE",
  /** An RC of another version is active. Message: "Active RC exists". */
  ACTIVE_RC: "RELEASE_ACTIVE_RC",
  /** The test command failed on the validation branch. Message: "Tests failed for patch integration". */
  TESTS_FAILED: "RELEASE_TESTS_FAILED",
  /** A version is not `X.Y.Z` (or a level is not patch|minor|major). */
  INVALID_VERSION: "RELEASE_INVALID_VERSION",
  /** A patch id does not match `^\d+(-[a-z0-9]+)*$`. */
  INVALID_PATCH_ID: "RELEASE_INVALID_PATCH_ID",
  /** A file of `releases/` is malformed (bad line, duplicate id). */
  INVALID_RELEASE_FILE: "RELEASE_INVALID_RELEASE_FILE",
  /** Another client holds the lock on origin. */
  LOCKED: "RELEASE_LOCKED",
  /** The lock this process held was taken or removed by someone else. */
  LOCK_LOST: "RELEASE_LOCK_LOST",
  /** The patch id is already reserved on origin (by another developer, or earlier). */
  PATCH_ID_RESERVED: "RELEASE_PATCH_ID_RESERVED",
  /** `X.Y.Z-stage.txt` already exists for the computed version. */
  STAGE_EXISTS: "RELEASE_STAGE_EXISTS",
  /** Several stages exist and no `--to-version` says which one. */
  MULTIPLE_STAGES: "RELEASE_MULTIPLE_STAGES",
  /** `--to-version X.Y.Z` names no stage. */
  STAGE_NOT_FOUND: "RELEASE_STAGE_NOT_FOUND",
  /** The stage has no patch (nothing to promote). */
  EMPTY_STAGE: "RELEASE_EMPTY_STAGE",
  /** The patch is already listed in the release. */
  PATCH_ALREADY_IN_RELEASE: "RELEASE_PATCH_ALREADY_IN_RELEASE",
  /** `release promote prod` without an active RC, or with stage patches no RC holds. */
  NO_ACTIVE_RC: "RELEASE_NO_ACTIVE_RC",
  /** An RC or production release file was edited after it was committed. */
  IMMUTABLE_FILE_CHANGED: "RELEASE_IMMUTABLE_FILE_CHANGED",
  /** `--to-release X.Y.Z` is not a production release after the database's version. */
  UNKNOWN_RELEASE: "RELEASE_UNKNOWN_RELEASE",
  /** A branch a plan needs does not exist. */
  BRANCH_NOT_FOUND: "RELEASE_BRANCH_NOT_FOUND",
  /** A merge stopped on conflicts (the merge was aborted). */
  MERGE_CONFLICT: "RELEASE_MERGE_CONFLICT",
  /** A git command failed; the message carries git's own words. */
  GIT_FAILED: "RELEASE_GIT_FAILED",
} as const;

/** One of {@link RELEASE_ERROR_CODES}. */
export type ReleaseErrorCode = (typeof RELEASE_ERROR_CODES)[keyof typeof RELEASE_ERROR_CODES];

/** Options of a {@link ReleaseError}. */
export interface ReleaseErrorOptions {
  /** What the user can do next. */
  hint: string;
  /** Structured details; never secrets. */
  data?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The only error type release-engine throws on purpose.
 *
 * @example
 * ```ts
 * try {
 *   planPromoteRc(releases);
 * } catch (e) {
 *   if (isReleaseError(e, "RELEASE_ACTIVE_RC")) console.error(e.message, e.hint);
 * }
 * ```
 */
export class ReleaseError extends Error {
  override readonly name = "ReleaseError";
  /** Stable machine-readable code. */
  readonly code: ReleaseErrorCode;
  /** What to do next. */
  readonly hint: string;
  /** Structured details (never secrets). */
  readonly data: Record<string, unknown>;

  constructor(code: ReleaseErrorCode, message: string, options: ReleaseErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }

  /** A plain object for logs and `--json` output. */
  toJSON(): { name: string; code: ReleaseErrorCode; message: string; hint: string; data: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}

/** True when `e` is a {@link ReleaseError}, optionally with the given code. */
export function isReleaseError(e: unknown, code?: ReleaseErrorCode): e is ReleaseError {
  return e instanceof ReleaseError && (code === undefined || e.code === code);
}

/**
 * The seed's "Tests failed for patch integration" error, for the caller that ran the tests on the
 * validation branch (release-engine plans the branch; the CLI runs the tests).
 */
export function testsFailedError(patchId: string, version: string, output: string, cause?: unknown): ReleaseError {
  return new ReleaseError(
    RELEASE_ERROR_CODES.TESTS_FAILED,
    `Tests failed for patch integration: ${patchId} was not added to ${version}-stage`,
    {
      hint: `Fix your tests or code on ho-patch/${patchId} (git-prolly dev patch apply, run the tests), then git checkout ho-prod and git-prolly dev patch add ${patchId} again`,
      data: { patchId, version, output: output.slice(-4000) },
      cause,
    },
  );
}
