import { Command, Flags } from "@oclif/core";
import { openContext, type DevContext } from "./dev-context.js";
import { DEV_EXIT_CODES } from "./dev-exit-codes.js";

interface CodedError {
  code: string;
  message: string;
  hint: string;
  data?: Record<string, unknown>;
}

function isCoded(e: unknown): e is CodedError {
  return e instanceof Error && typeof (e as Partial<CodedError>).code === "string" && typeof (e as Partial<CodedError>).hint === "string";
}

/**
 * Base of the `git-prolly dev` commands: `--json`, `-C <dir>`, `--database-url`, and errors as one
 * line plus a hint (or a JSON `error` object) with the documented exit code, no stack trace.
 */
export abstract class DevCommand extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    dir: Flags.directory({ char: "C", description: "Run as if started in this directory", helpGroup: "GLOBAL" }),
    "database-url": Flags.string({
      description: "PostgreSQL URL (default: DATABASE_URL, else PG* variables, else embedded PGlite in .pglite/)",
      helpGroup: "GLOBAL",
    }),
  };

  /** The directory the command runs in. */
  protected cwd(flags: { dir?: string | undefined }): string {
    return flags.dir ?? process.cwd();
  }

  /** The project, its Git repository and its database, with progress lines printed as `  <line>`. */
  protected context(flags: { dir?: string | undefined; "database-url"?: string | undefined }): DevContext {
    return openContext(this.cwd(flags), { databaseUrl: flags["database-url"] }, (line) => this.log(`  ${line}`));
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (!isCoded(err)) return super.catch(err);
    process.exitCode = DEV_EXIT_CODES[err.code] ?? 1;
    if (this.jsonEnabled()) {
      this.logJson({ error: { code: err.code, message: err.message, hint: err.hint, data: err.data ?? {} } });
      return undefined;
    }
    const lines = [`error: ${err.message}`];
    const output = err.data?.["output"];
    if (typeof output === "string" && output !== "") lines.push(...output.split("\n").map((l) => `  | ${l}`));
    if (err.data?.["databaseRestored"] === true) lines.push("The database was rolled back to production state.");
    lines.push(`hint: ${err.hint}`);
    if (process.env["DEBUG"] !== undefined && err.stack !== undefined) lines.push(err.stack);
    process.stderr.write(`${lines.join("\n")}\n`);
    return undefined;
  }
}
