import { CodedError, type CodedErrorOptions } from "./coded-error.js";

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
  | "CLI_NOTHING_TO_COMMIT"
  | "CLI_WRITE_FAILED";

/** Options of a {@link CliError}. */
export type CliErrorOptions = CodedErrorOptions;

/** An error raised by a command itself (bad input, a missing key, unresolved conflicts). */
export class CliError extends CodedError<CliErrorCode> {
  override readonly name = "CliError";
}
