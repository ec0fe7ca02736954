import { Flags } from "@oclif/core";
import { reportError } from "../lib/report-error.js";
import { openContext, type DevContext } from "./dev-context.js";
import { StdinSafeCommand } from "../lib/stdin-safe-command.js";
import { stderr } from "../lib/std-output.js";

/**
 * Base of the `git-prolly dev` commands: `--json` (the command's result), `--database-url`, and
 * errors through the CLI's one reporter (`error:` + `hint:` lines, exit code from
 * `lib/exit-codes.ts`); a failed validation also shows the tail of the test output.
 * `-C <dir>` is applied by the entry point before the command runs.
 */
export abstract class DevCommand extends StdinSafeCommand {
  static override enableJsonFlag = true;
  static override baseFlags = {
    "database-url": Flags.string({
      description: "PostgreSQL URL (default: DATABASE_URL, else PG* variables, else embedded PGlite in .pglite/)",
      helpGroup: "GLOBAL",
    }),
  };

  /** The directory the command runs in. */
  protected cwd(_flags?: unknown): string {
    return process.cwd();
  }

  /** The project, its Git repository and its database, with progress lines printed as `  <line>`. */
  protected context(flags: { "database-url"?: string | undefined }): DevContext {
    return openContext(process.cwd(), { databaseUrl: flags["database-url"] }, (line) => this.log(`  ${line}`));
  }

  protected override async catch(err: Error & { exitCode?: number; code?: unknown }): Promise<unknown> {
    if (err.code === "EEXIT") throw err;
    const data = (err as { data?: Record<string, unknown> }).data;
    if (!this.jsonEnabled() && data !== undefined) {
      const output = data["output"];
      if (typeof output === "string" && output !== "")
        stderr.write(
          `${output
            .split("\n")
            .map((l) => `  | ${l}`)
            .join("\n")}\n`,
        );
      if (data["databaseRestored"] === true) stderr.write("The database was rolled back to production state.\n");
    }
    reportError(err, {
      json: this.jsonEnabled(),
      bin: this.config.bin,
      ...(this.id === undefined ? {} : { command: this.id }),
    });
    return undefined;
  }
}
