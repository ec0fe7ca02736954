import { fastPath } from "./fast/fast-path.js";
import { applyGlobalOptions } from "./lib/global-options.js";
import { debugEnabled, reportError } from "./lib/report-error.js";

/**
 * The entry point of the hot bundle (`dist/hot/hot.js`, one CommonJS file that `bin/run.js`
 * compiles from a V8 code cache): applies `-C` and runs `get`, `set`, `commit` or `textconv` on
 * their fast paths. Everything else, `--help` included, is handed back for oclif, and so is every
 * command under `DEBUG`: the bundle is minified and source maps do not apply to `vm.Script` code,
 * so only the unbundled commands print stack traces that name real functions and files.
 *
 * @param argv the arguments after `node bin/run.js`
 * @returns the arguments left for `runCommand` of `src/main.ts` (global options applied), or `undefined`
 *   when the command has run (its exit code set)
 */
export async function hot(argv: readonly string[]): Promise<string[] | undefined> {
  let rest: string[];
  try {
    rest = applyGlobalOptions(argv);
  } catch (error) {
    reportError(error, { json: argv.includes("--json") });
    return undefined;
  }
  if (debugEnabled()) return rest;
  return (await fastPath(rest)) ? undefined : rest;
}
