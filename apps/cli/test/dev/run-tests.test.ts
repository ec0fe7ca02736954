/**
 * The project's test command as `patch add` and `promote rc` run it: the project's own
 * `node_modules/.bin` comes first on the PATH (as with `npm test`), and a test runner that is not
 * installed is told apart from failing tests, with a hint to install the project's dependencies.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTests, testCommandMissing, testFailureHint } from "../../src/dev/run-tests.js";

const root = mkdtempSync(join(tmpdir(), "gp-run-tests-"));
const pgliteDir = join(root, ".pglite", "db");
const pglite = { kind: "pglite" as const, pgliteDir, env: {} };
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("runTests", () => {
  it("finds the project's local test runner in node_modules/.bin and passes the database", async () => {
    const bin = join(root, "node_modules", ".bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "local-runner"), '#!/bin/sh\necho "db=$GIT_PROLLY_PGLITE_DIR"\nexit 0\n');
    chmodSync(join(bin, "local-runner"), 0o755);
    const run = await runTests(root, "local-runner", pglite);
    expect(run.exitCode).toBe(0);
    expect(run.tail).toBe(`db=${pgliteDir}`);
    expect(testCommandMissing(run)).toBe(false);
    expect(testFailureHint(run, root, "fix your tests")).toBe("fix your tests");
  });

  it("tells a missing test runner from failing tests, with an install hint", async () => {
    const missing = await runTests(root, "no-such-test-runner-gp", pglite);
    expect(testCommandMissing(missing)).toBe(true);
    expect(testFailureHint(missing, root, "fix your tests")).toContain(`cd ${root} && npm install`);
    const failing = await runTests(root, "echo '# fail 1'; exit 1", pglite);
    expect(failing.exitCode).toBe(1);
    expect(failing.tail).toBe("# fail 1");
    expect(testFailureHint(failing, root, "fix your tests")).toBe("fix your tests");
  });
});
