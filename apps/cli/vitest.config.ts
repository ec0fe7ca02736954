import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "@git-prolly/cli",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    globalSetup: ["test/dev/support/global-setup.ts"],
  },
});
