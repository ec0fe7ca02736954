import { fastPath } from "./fast/fast-path.js";
import { applyGlobalOptions } from "./lib/global-options.js";
import { reportError } from "./lib/report-error.js";

/**
 * The entry point behind `bin/run.js`: applies `-C`, then runs the command through oclif (loaded
 * only now, so fast paths can skip it). Errors are printed as `error:`/`hint:` lines and set the
 * exit code from `exit-codes.ts`.
 *
 * @param argv the arguments after `node bin/run.js`
 * @param root `import.meta.url` of `bin/run.js` (oclif finds `package.json` from it)
 */
export async function main(argv: readonly string[], root: string): Promise<void> {
  let rest: string[];
  try {
    rest = applyGlobalOptions(argv);
  } catch (error) {
    reportError(error, { json: argv.includes("--json") });
    return;
  }
  if (await fastPath(rest)) return;
  const oclif = await import("@oclif/core");
  try {
    await oclif.run(rest, root);
    await oclif.flush();
  } catch (error) {
    const exit = (error as { oclif?: { exit?: number }; code?: unknown }).oclif?.exit;
    if ((error as { code?: unknown }).code === "EEXIT") {
      process.exitCode = exit ?? 0;
      return;
    }
    reportError(error, { json: rest.includes("--json") });
  }
}
