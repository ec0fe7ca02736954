import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "@git-prolly/reader",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The tests run built files in child processes: build first (see the script).
    globalSetup: ["../../scripts/vitest-build-first.mjs"],
  },
});
