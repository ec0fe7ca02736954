import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "@git-prolly/cli",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // The tests run bin/run.js: build first (see the script), then the dev tests' PostgreSQL.
    globalSetup: ["../../scripts/vitest-build-first.mjs", "test/dev/support/global-setup.ts"],
    // The dev end-to-end files mostly wait on child processes (the CLI, git, PostgreSQL): three at
    // once on two cores ran the dev suite in 456 s instead of 681 s (shared machine).
    maxWorkers: 3,
  },
});
