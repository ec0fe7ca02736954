import { hot } from "./hot.js";
import { reportError } from "./lib/report-error.js";
import { stdout } from "./lib/std-output.js";

/**
 * The whole CLI in one call: applies `-C`, tries the fast paths, then runs the command through
 * oclif. `bin/run.js` uses it when the hot bundle (`dist/hot/`, see `src/hot.ts`) is missing;
 * otherwise it calls {@link runCommand} with what the hot bundle left over.
 *
 * @param argv the arguments after `node bin/run.js`
 * @param root the CLI package's directory (oclif reads its `package.json`)
 */
export async function main(argv: readonly string[], root: string): Promise<void> {
  const rest = await hot(argv);
  if (rest !== undefined) await runCommand(rest, root);
}

/**
 * Runs one command through oclif (loaded only now, so fast paths can skip it), after `-C` has been
 * applied. Errors are printed as `error:`/`hint:` lines and set the exit code from `exit-codes.ts`.
 *
 * @param argv the command and its arguments (global options already applied)
 * @param root the CLI package's directory
 */
export async function runCommand(argv: readonly string[], root: string): Promise<void> {
  const oclif = await import("@oclif/core");
  try {
    await oclif.run([...argv], root);
    // oclif's flush writes to process.stdout; after a failed write (stdout.closed) that would
    // throw again from oclif's stream error handler, with a stack trace.
    if (!stdout.closed) await oclif.flush();
  } catch (error) {
    const exit = (error as { oclif?: { exit?: number }; code?: unknown }).oclif?.exit;
    if ((error as { code?: unknown }).code === "EEXIT") {
      process.exitCode = exit ?? 0;
      return;
    }
    reportError(error, { json: argv.includes("--json") });
  }
}
