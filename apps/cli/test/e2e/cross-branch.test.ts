// Seed 000, "Cross-Branch Data Testing" and "Scenario 2: Hotfix Testing": on a hotfix branch, the
// data of config/ switches to other branches while the code — committed and uncommitted — stays
// in place; `git worktree add` checkouts of other branches read their own data. The seed's
// test_cross_branch.sh runs unmodified (its `cargo test` is the app's node test, see sandbox.ts).
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MONOREPO_CONFIG, buildMonorepo, listEntries, runSeedBlock } from "./support/monorepo.js";
import { type AppTestRecord, Sandbox } from "./support/sandbox.js";
import { seedBlock } from "./support/seed-blocks.js";

const HOTFIX = "hotfix/memory-leak-fix";
const COMMITTED_CODE = "pub fn release_buffers() { /* hotfix */ }\n";
const UNCOMMITTED_LINE = "// edited in vim: uncommitted hotfix\n";
const READ = JSON.stringify({ config: ["db:host", "db:timeout", "features:beta_features"] });
const REQUIRE = JSON.stringify({ config: ["db:host", "db:timeout"] });

function dataOf(branch: keyof typeof MONOREPO_CONFIG): Record<string, string | null> {
  const c = MONOREPO_CONFIG[branch];
  return {
    "db:host": c["db:host"] ?? null,
    "db:timeout": c["db:timeout"] ?? null,
    "features:beta_features": c["features:beta_features"] ?? null,
  };
}

describe("seed 000: cross-branch data testing", { timeout: 300_000 }, () => {
  let sb: Sandbox;
  let app: string;
  let hotfixHead: string;
  beforeAll(() => {
    sb = Sandbox.create();
    app = buildMonorepo(sb);
    // The hotfix: a committed code change, then an uncommitted edit (the seed's `vim`).
    sb.git(app, "checkout", "-q", "-b", HOTFIX, "main");
    sb.write("myapp/src/memory_manager.rs", COMMITTED_CODE);
    sb.git(app, "add", "src/memory_manager.rs");
    sb.git(app, "commit", "-q", "-m", "Fix the memory leak");
    sb.ok("vim", ["src/memory_manager.rs"], { cwd: app });
    sb.write("myapp/src/scratch.rs", "// untracked work in progress\n");
    hotfixHead = sb.git(app, "rev-parse", "HEAD");
  }, 300_000);
  afterAll(() => sb?.dispose());

  function expectCodeInPlace(record: AppTestRecord | undefined): void {
    expect(record?.codeBranch).toBe(HOTFIX);
    expect(record?.src["memory_manager.rs"]).toBe(COMMITTED_CODE + UNCOMMITTED_LINE);
    expect(record?.src["scratch.rs"]).toBe("// untracked work in progress\n");
  }

  it("test_cross_branch.sh, unmodified: every branch's data is tested while the hotfix code stays", () => {
    const script = join(app, "test_cross_branch.sh");
    sb.write(script, seedBlock("Cross-Branch Data Testing", "Solution 2: KV Data Branch Switching"));
    chmodSync(script, 0o755);
    sb.takeAppTestLog();
    const r = sb.run("./test_cross_branch.sh", [], { cwd: app, env: { E2E_READ: READ, E2E_REQUIRE: REQUIRE } });
    expect(r.status, r.stderr).toBe(0);
    for (const branch of ["staging", "production", "production-sample"])
      expect(r.stdout).toContain(`✅ Tests PASSED with ${branch} data`);
    expect(r.stdout).not.toContain("❌");
    expect(r.stdout).toContain("Cross-branch testing complete!");
    expect(r.stderr).not.toMatch(/error:/);

    const records = sb.takeAppTestLog();
    expect(records.map((x) => x.followed["config"])).toEqual(["staging", "production", "production-sample"]);
    expect(records.map((x) => x.datasets["config"])).toEqual([
      dataOf("staging"),
      dataOf("production"),
      dataOf("production-sample"),
    ]);
    for (const record of records) expectCodeInPlace(record);

    // Restored: the dataset follows the repository's branch again; HEAD never moved; only the
    // hotfix's own uncommitted work shows in git status; the data branches were not written.
    expect(sb.prollyOk(["current-branch"], { cwd: `${app}/config` }).trim()).toBe(HOTFIX);
    expect(sb.git(app, "rev-parse", "HEAD")).toBe(hotfixHead);
    expect(sb.git(app, "symbolic-ref", "--short", "HEAD")).toBe(HOTFIX);
    const status = sb
      .ok("git", ["status", "--porcelain"], { cwd: app })
      .split("\n")
      .filter((l) => l !== "");
    expect(status.sort()).toEqual([" M src/memory_manager.rs", "?? src/scratch.rs", "?? test_cross_branch.sh"]);
    expect(listEntries(sb, `${app}/config`)).toEqual(MONOREPO_CONFIG.main);
    for (const branch of ["staging", "production", "production-sample"] as const) {
      expect(listEntries(sb, `${app}/config`, branch)).toEqual(MONOREPO_CONFIG[branch]);
    }
  });

  it("while the data follows another branch, status and current-branch say so, and HEAD stays", () => {
    const config = `${app}/config`;
    sb.prollyOk(["checkout", "staging"], { cwd: config });
    try {
      expect(sb.prollyOk(["current-branch"], { cwd: config }).trim()).toBe("staging");
      const status = sb.prollyOk(["status"], { cwd: config });
      expect(status).toContain("staging");
      expect(status).toContain(HOTFIX);
      expect(sb.git(app, "symbolic-ref", "--short", "HEAD")).toBe(HOTFIX);
      expect(sb.prollyOk(["get", "db:host"], { cwd: config }).trim()).toBe("staging-db.example.com");
      // The other dataset and the code are untouched.
      expect(sb.prollyOk(["current-branch"], { cwd: `${app}/user-data` }).trim()).toBe(HOTFIX);
      expect(readFileSync(join(app, "src/memory_manager.rs"), "utf8")).toBe(COMMITTED_CODE + UNCOMMITTED_LINE);
    } finally {
      sb.prollyOk(["checkout", HOTFIX], { cwd: config });
    }
    expect(sb.prollyOk(["current-branch"], { cwd: config }).trim()).toBe(HOTFIX);
    expect(sb.git(app, "status", "--porcelain", "--", "config")).toBe("");
  });

  it("a commit while the data follows another branch goes onto that branch, HEAD untouched", () => {
    const config = `${app}/config`;
    const stagingBefore = sb.git(app, "rev-parse", "staging");
    sb.prollyOk(["checkout", "staging"], { cwd: config });
    sb.prollyOk(["set", "cache:ttl", "300"], { cwd: config });
    sb.prollyOk(["commit", "-m", "Staging cache"], { cwd: config });
    expect(sb.git(app, "rev-parse", "staging~1")).toBe(stagingBefore);
    expect(sb.git(app, "log", "-1", "--format=%s", "staging")).toBe("Staging cache");
    expect(sb.git(app, "rev-parse", "HEAD")).toBe(hotfixHead);
    // The staging commit replaced config/ only: the hotfix's code is not in it.
    expect(
      sb
        .git(app, "diff", "--name-only", stagingBefore, "staging")
        .split("\n")
        .every((p) => p.startsWith("config/")),
    ).toBe(true);
    expect(sb.prollyOk(["get", "cache:ttl", "--ref", "staging"], { cwd: config }).trim()).toBe("300");
    sb.prollyOk(["checkout", HOTFIX], { cwd: config });
    expect(sb.run("git-prolly", ["get", "cache:ttl"], { cwd: config }).status).toBe(3);
    expect(sb.git(app, "status", "--porcelain", "--", "config")).toBe("");
    // Put staging back as the other tests expect it.
    sb.git(app, "update-ref", "refs/heads/staging", stagingBefore);
  });

  it("Solution 1, unmodified: git worktree checkouts of other branches read their own data", () => {
    sb.takeAppTestLog();
    runSeedBlock(
      sb,
      seedBlock("Cross-Branch Data Testing", "Solution 1: Git Worktrees (Recommended)"),
      app,
      {},
      { E2E_READ: READ, E2E_REQUIRE: REQUIRE },
    );
    const records = sb.takeAppTestLog();
    expect(records.map((x) => x.cwd)).toEqual([
      sb.path("myapp-staging"),
      sb.path("myapp-production"),
      sb.path("myapp-sample"),
    ]);
    expect(records.map((x) => x.codeBranch)).toEqual(["staging", "production", "production-sample"]);
    expect(records.map((x) => x.datasets["config"])).toEqual([
      dataOf("staging"),
      dataOf("production"),
      dataOf("production-sample"),
    ]);
    expect(records.every((x) => x.passed)).toBe(true);
    expect(records.map((x) => x.followed["config"])).toEqual(["staging", "production", "production-sample"]);
    // Cleaned up, and the main worktree is as it was.
    for (const dir of ["myapp-staging", "myapp-production", "myapp-sample"])
      expect(existsSync(sb.path(dir))).toBe(false);
    expect(sb.git(app, "rev-parse", "HEAD")).toBe(hotfixHead);
  });

  it("Scenario 2, unmodified: hotfix tested against production then staging data, then merged", () => {
    // The scenario starts its own hotfix branch from the repository's current one.
    sb.git(app, "stash", "-q", "-u");
    sb.git(app, "checkout", "-q", "main");
    sb.git(app, "branch", "-q", "-D", HOTFIX);
    const stagingBefore = sb.git(app, "rev-parse", "staging");
    const productionBefore = sb.git(app, "rev-parse", "production");
    sb.takeAppTestLog();
    runSeedBlock(
      sb,
      seedBlock("Common Scenarios", "Scenario 2: Hotfix Testing"),
      app,
      {},
      { E2E_READ: READ, E2E_REQUIRE: REQUIRE },
    );
    const records = sb.takeAppTestLog();
    expect(records.map((x) => x.args)).toEqual([
      ["test", "--test", "memory_tests"],
      ["test", "--test", "memory_tests"],
    ]);
    expect(records.map((x) => x.codeBranch)).toEqual([HOTFIX, HOTFIX]);
    expect(records.map((x) => x.followed["config"])).toEqual(["production", "staging"]);
    expect(records.map((x) => x.datasets["config"])).toEqual([dataOf("production"), dataOf("staging")]);
    for (const record of records) expect(record.src["memory_manager.rs"]).toBe(UNCOMMITTED_LINE);
    // `git checkout main` then carried the uncommitted edit over, as Git does, and nothing was
    // committed onto a data branch behind the user's back.
    expect(sb.git(app, "symbolic-ref", "--short", "HEAD")).toBe("main");
    expect(sb.git(app, "rev-parse", "staging")).toBe(stagingBefore);
    expect(sb.git(app, "rev-parse", "production")).toBe(productionBefore);
    expect(readFileSync(join(app, "src/memory_manager.rs"), "utf8")).toBe(UNCOMMITTED_LINE);
  });
});
