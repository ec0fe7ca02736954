/** Stable codes of the `git-prolly dev` workflow errors (mapped to exit codes in `lib/exit-codes.ts`). */
export const DEV_ERROR_CODES = {
  NOT_ON_HO_PROD: "DEV_NOT_ON_HO_PROD",
  NOT_ON_PATCH_BRANCH: "DEV_NOT_ON_PATCH_BRANCH",
  REPO_NOT_CLEAN: "DEV_REPO_NOT_CLEAN",
  NOT_SYNCED: "DEV_NOT_SYNCED",
  NO_STAGE: "DEV_NO_STAGE",
  ACTIVE_RC: "DEV_ACTIVE_RC",
  TESTS_FAILED: "DEV_TESTS_FAILED",
  NOT_A_PROJECT: "DEV_NOT_A_PROJECT",
  DIRECTORY_EXISTS: "DEV_DIRECTORY_EXISTS",
  INVALID_ARGUMENT: "DEV_INVALID_ARGUMENT",
  PATCH_EXISTS: "DEV_PATCH_EXISTS",
  PATCH_NOT_FOUND: "DEV_PATCH_NOT_FOUND",
  PATCH_IN_RELEASE: "DEV_PATCH_IN_RELEASE",
  MULTIPLE_STAGES: "DEV_MULTIPLE_STAGES",
  STAGE_NOT_FOUND: "DEV_STAGE_NOT_FOUND",
  STAGE_EXISTS: "DEV_STAGE_EXISTS",
  STAGE_EMPTY: "DEV_STAGE_EMPTY",
  NO_RC: "DEV_NO_RC",
  MERGE_CONFLICT: "DEV_MERGE_CONFLICT",
  NO_ORIGIN: "DEV_NO_ORIGIN",
  GIT_FAILED: "DEV_GIT_FAILED",
  UNKNOWN_RELEASE: "DEV_UNKNOWN_RELEASE",
  NOT_PRODUCTION: "DEV_NOT_PRODUCTION",
} as const;

/** One of {@link DEV_ERROR_CODES}. */
export type DevErrorCode = (typeof DEV_ERROR_CODES)[keyof typeof DEV_ERROR_CODES];

/** Options of a {@link DevError}. */
export interface DevErrorOptions {
  /** What the user can do next. */
  hint: string;
  /** Structured details (never secrets). */
  data?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An error of the `git-prolly dev` workflow: a stable `code`, a one-line message (the seed's
 * troubleshooting wording where it has one), a `hint` that says what to do next, `data`, `cause`.
 */
export class DevError extends Error {
  override readonly name = "DevError";
  readonly code: DevErrorCode;
  readonly hint: string;
  readonly data: Record<string, unknown>;

  constructor(code: DevErrorCode, message: string, options: DevErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }

  /** The JSON shape printed by `--json`. */
  toJSON(): { code: string; message: string; hint: string; data: Record<string, unknown> } {
    return { code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}
