// Vitest global setup of the packages whose tests run their built files in child processes
// (kv-store's and release-engine's test/fixtures/*.mjs import dist/, the CLI's tests run
// bin/run.js): runs the package's `build` script first, so `vitest run` alone, one test file or
// an editor's test runner never tests stale code. The build is incremental: with nothing changed
// it takes a second or two (the CLI's, with its bundle and manifest, a few).
import { execFileSync } from "node:child_process";

/** @param {import("vitest/node").TestProject} project */
export default function setup(project) {
  // Under turbo (`pnpm test`) the test task depends on this package's build, which has just run;
  // building again there would rewrite dist/ files (the reader's bundle) that other packages'
  // test processes, running at the same time, may be loading.
  if (process.env.TURBO_HASH !== undefined) return;
  // Without vitest's NODE_ENV=test: under it `oclif manifest` points the CLI's manifest at src/*.ts,
  // and the built `git-prolly` would then fail outside the tests.
  const { NODE_ENV: _testEnv, ...env } = process.env;
  execFileSync("pnpm", ["run", "--silent", "build"], { cwd: project.config.root, stdio: "inherit", env });
}
