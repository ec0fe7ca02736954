/** Codes of errors the CLI itself raises (see `exit-codes.ts`). */
export type CliErrorCode =
  | "CLI_USAGE"
  | "CLI_UNKNOWN_COMMAND"
  | "CLI_BAD_INPUT"
  | "CLI_BAD_FORMAT"
  | "CLI_FILE_NOT_FOUND"
  | "CLI_FILE_UNREADABLE"
  | "CLI_BAD_DIRECTORY"
  | "CLI_KEY_NOT_FOUND"
  | "CLI_MERGE_CONFLICTS"
  | "CLI_NOT_A_REPOSITORY"
  | "CLI_PROOF_INVALID"
  | "CLI_NOTHING_TO_COMMIT";

/** Options of a {@link CliError}. */
export interface CliErrorOptions {
  /** What the user can do next. */
  hint: string;
  /** Structured details (printed with `--json`; never secrets). */
  data?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An error raised by a command itself (bad input, a missing key, unresolved conflicts). Shaped
 * like every package's errors: a stable `code`, a `hint`, structured `data`, a `cause`.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly code: CliErrorCode;
  readonly hint: string;
  readonly data: Record<string, unknown>;

  constructor(code: CliErrorCode, message: string, options: CliErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }
}
