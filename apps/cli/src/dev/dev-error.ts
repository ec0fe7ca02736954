import { CodedError, type CodedErrorOptions } from "../lib/coded-error.js";

/**
 * Stable codes of the errors only the CLI's `dev` layer raises: the project on disk, its
 * configuration and database (mapped to exit codes in `lib/exit-codes.ts`). Every rule of the
 * workflow (branches, releases, locks, reservations) is release-engine's `ReleaseError`.
 */
export const DEV_ERROR_CODES = {
  /** No `.git-prolly-dev.json` above the directory, or it is invalid. */
  NOT_A_PROJECT: "DEV_NOT_A_PROJECT",
  /** `init`/`clone` target directory (or database) already in use. */
  DIRECTORY_EXISTS: "DEV_DIRECTORY_EXISTS",
  /** A package or database name `init` cannot use. */
  INVALID_ARGUMENT: "DEV_INVALID_ARGUMENT",
  /** `Patches/<id>/` missing on the patch branch. */
  PATCH_NOT_FOUND: "DEV_PATCH_NOT_FOUND",
  /** `--git-origin` cannot be reached. */
  NO_ORIGIN: "DEV_NO_ORIGIN",
  /** `upgrade` outside a production clone, or a database without git-prolly metadata. */
  NOT_PRODUCTION: "DEV_NOT_PRODUCTION",
  /** Ctrl-C (or SIGTERM) stopped the command; what it had done was undone. */
  INTERRUPTED: "DEV_INTERRUPTED",
} as const;

/** One of {@link DEV_ERROR_CODES}. */
export type DevErrorCode = (typeof DEV_ERROR_CODES)[keyof typeof DEV_ERROR_CODES];

/** Options of a {@link DevError}. */
export type DevErrorOptions = CodedErrorOptions;

/**
 * An error of the `git-prolly dev` workflow: a stable `code`, a one-line message (the seed's
 * troubleshooting wording where it has one), a `hint` that says what to do next, `data`, `cause`.
 */
export class DevError extends CodedError<DevErrorCode> {
  override readonly name = "DevError";
}
