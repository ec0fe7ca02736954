/** Options of a {@link CodedError}. */
export interface CodedErrorOptions {
  /** What the user can do next. */
  hint: string;
  /** Structured details (printed with `--json`; never secrets). */
  data?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The shape of the errors the CLI raises itself ({@link CliError}, the dev layer's `DevError`),
 * as every package's errors are: a stable `code`, a one-line message, a `hint` that says what to
 * do next, structured `data`, a `cause`.
 */
export abstract class CodedError<Code extends string> extends Error {
  readonly code: Code;
  readonly hint: string;
  readonly data: Record<string, unknown>;

  constructor(code: Code, message: string, options: CodedErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }

  /** The JSON shape printed by `--json`. */
  toJSON(): { code: Code; message: string; hint: string; data: Record<string, unknown> } {
    return { code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}
