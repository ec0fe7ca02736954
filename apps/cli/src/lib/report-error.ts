import { EXIT, type ExitCode, exitCodeFor } from "./exit-codes.js";
import { toJson } from "./json-output.js";
import { stderr, stdout } from "./std-output.js";
import { stylesFor } from "./terminal.js";

/** An error as the CLI prints it. */
export interface ErrorReport {
  /** The stable code (`KV_KEY_NOT_FOUND`, `CLI_USAGE`, …). */
  code: string;
  /** One line: what went wrong. */
  message: string;
  /** One line: what to do next. */
  hint: string | undefined;
  /** Structured details. */
  data: Record<string, unknown> | undefined;
  /** The exit code (from `exit-codes.ts`). */
  exit: ExitCode;
}

// eslint-disable-next-line no-control-regex -- ANSI escapes are what it strips
const ANSI = /\u001b\[[0-9;]*m/g;

function oneLine(text: string): string {
  return text
    .replace(ANSI, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^(See more help with|Note:|Alternatively,)/.test(line))
    .join(" ")
    .replace(/\s+/g, " ")
    .replace(/:\s*:/g, ":");
}

/**
 * oclif's other usage messages on one line, a listed `name  description` row as
 * `name (description)`, without the "See more help" lines.
 */
function usageMessage(raw: string): string {
  const lines = raw.replace(ANSI, "").split("\n");
  const named = lines.map((line) => /^\s*(\S+)\s{2,}(\S.*)$/.exec(line));
  const text = lines
    .map((line, i) => {
      const m = named[i];
      return m ? `${m[1]} (${m[2]!.trim()})` : line;
    })
    .join("\n");
  return oneLine(text)
    .replace(/^The following errors? occurred:\s*/i, "")
    .replace(/Missing required flag ([\w-]+)/gi, (_, flag: string) => `missing required flag --${flag}`)
    .replace(/^parsing (--\S+) (\S)/i, (_, flag: string, c: string) => `${flag}: ${c.toLowerCase()}`)
    .replace(/^./, (c) => c.toLowerCase());
}

/**
 * oclif's missing-argument error from its structured `args` (name, description, options), not
 * from its text, which oclif wraps to the terminal's width: "missing 1 required arg: key (the
 * key)". `undefined` for any other error.
 */
function missingArgsMessage(error: object): string | undefined {
  const args = field(error, "args");
  if (!/^Missing \d+ required arg/.test(String(field(error, "message")))) return undefined;
  if (!Array.isArray(args) || args.length === 0) return undefined;
  const described = args.map((arg: { name?: unknown; description?: unknown; options?: unknown }) => {
    const name = typeof arg.name === "string" ? arg.name : "?";
    const options = Array.isArray(arg.options) ? `${arg.options.join("|")}: ` : "";
    const description = typeof arg.description === "string" ? oneLine(arg.description) : "";
    return description === "" && options === "" ? name : `${name} (${options}${description})`;
  });
  return `missing ${args.length} required argument${args.length === 1 ? "" : "s"}: ${described.join(", ")}`;
}

function field(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

/** Whether `error` is oclif's `this.exit(n)` signal (not a failure to report). */
export function isExitSignal(error: unknown): error is { oclif: { exit: number } } {
  return typeof error === "object" && error !== null && field(error, "code") === "EEXIT";
}

/**
 * Turns any thrown value into an {@link ErrorReport}: package errors keep their `code` and `hint`;
 * oclif's usage errors become `CLI_USAGE` / `CLI_UNKNOWN_COMMAND` (exit 2); Node's file errors
 * (`ENOENT`, `EACCES`, `EISDIR`) become `CLI_FILE_*`; anything else is a failure (exit 1).
 */
export function describeError(error: unknown, bin = "git-prolly", command?: string): ErrorReport {
  if (typeof error !== "object" || error === null) {
    return { code: "CLI_FAILURE", message: String(error), hint: undefined, data: undefined, exit: EXIT.FAILURE };
  }
  const code = field(error, "code");
  const message = oneLine(String(field(error, "message") ?? "unknown error"));
  const hint = field(error, "hint");
  const data = field(error, "data");
  const oclif = field(error, "oclif") as { exit?: number } | undefined;
  if (typeof code === "string" && typeof hint === "string") {
    return {
      code,
      message,
      hint: oneLine(hint),
      data: typeof data === "object" && data !== null ? (data as Record<string, unknown>) : undefined,
      exit: exitCodeFor(code),
    };
  }
  if (oclif !== undefined && typeof oclif === "object") {
    const unknown = /^command (.+) not found$/.exec(message);
    if (unknown) {
      return {
        code: "CLI_UNKNOWN_COMMAND",
        message: `unknown command '${unknown[1]!.replace(/:/g, " ")}'`,
        hint: `run '${bin} --help' for the list of commands`,
        data: { command: unknown[1] },
        exit: EXIT.USAGE,
      };
    }
    return {
      code: "CLI_USAGE",
      message: missingArgsMessage(error) ?? usageMessage(String(field(error, "message") ?? message)),
      hint: `run '${bin} ${command === undefined ? "<command>" : command.replace(/:/g, " ")} --help' for usage`,
      data: undefined,
      exit: EXIT.USAGE,
    };
  }
  if (code === "ENOENT" || code === "EACCES" || code === "EISDIR" || code === "ENOTDIR" || code === "EPERM") {
    const path = field(error, "path");
    const what =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : code === "ENOTDIR"
            ? "not a directory"
            : "permission denied";
    return {
      code: code === "ENOENT" ? "CLI_FILE_NOT_FOUND" : "CLI_FILE_UNREADABLE",
      message: typeof path === "string" ? `cannot read '${path}': ${what}` : message,
      hint: "check the path and its permissions",
      data: typeof path === "string" ? { path } : undefined,
      exit: EXIT.USAGE,
    };
  }
  return {
    code: typeof code === "string" ? code : "CLI_FAILURE",
    message,
    hint: typeof hint === "string" ? oneLine(hint) : undefined,
    data: undefined,
    exit: typeof code === "string" ? exitCodeFor(code) : EXIT.FAILURE,
  };
}

/** Options of {@link reportError}. */
export interface ReportOptions {
  /** Also print `{ "error": … }` on stdout (the command ran with `--json`). */
  json?: boolean;
  /** The binary's name in hints. */
  bin?: string;
  /** The command that failed (oclif's id, `dev:patch:apply`), named in usage hints. */
  command?: string;
}

/**
 * Prints `error: <message>` and `hint: <hint>` on stderr (plus the stack when `DEBUG` is set, and
 * `{ "error": … }` on stdout with `--json`), sets `process.exitCode` and returns it.
 */
export function reportError(error: unknown, options: ReportOptions = {}): ExitCode {
  const report = describeError(error, options.bin, options.command);
  const s = stylesFor(stderr);
  let text = `${s.red("error:")} ${report.message}\n`;
  if (report.hint !== undefined && report.hint !== "") text += `${s.yellow("hint:")} ${report.hint}\n`;
  if (debugEnabled() && error instanceof Error && error.stack !== undefined) text += `${error.stack}\n`;
  stderr.write(text);
  if (options.json === true) {
    const body: Record<string, unknown> = { code: report.code, message: report.message };
    if (report.hint !== undefined) body["hint"] = report.hint;
    if (report.data !== undefined) body["data"] = report.data;
    stdout.write(`${toJson({ error: body })}\n`);
  }
  process.exitCode = report.exit;
  return report.exit;
}

/** Whether `DEBUG` asks for stack traces. */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env["DEBUG"];
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}
