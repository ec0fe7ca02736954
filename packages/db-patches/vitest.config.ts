import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "@git-prolly/db-patches",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["./test/support/global-setup.ts"],
    // PGlite opens take ~0.6 s and a server restore a few hundred ms; two cores in CI.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
