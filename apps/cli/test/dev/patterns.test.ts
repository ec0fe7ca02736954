/**
 * Seed 003's Common Patterns 2–6 on the real server through the built CLI (Pattern 1 is the Quick
 * Start, on PGlite): planned development, team collaboration (patches validated together),
 * multiple stages with --to-version and sequential promotion, incremental RCs, production deployment.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  cli,
  cliEnv,
  developPatch,
  git,
  ok,
  read,
  scratch,
  TEST_COMMAND,
  typesTest,
  uniqueDb,
  write,
} from "./support/dev-cli.js";

const env = cliEnv("server");
const box = scratch();
const root = join(box.dir, "app");
const table = (name: string) => ({ "01.sql": `CREATE TABLE ${name} (id SERIAL PRIMARY KEY, label TEXT);\n` });
afterAll(() => box.dispose());

describe("Common Patterns on the server", { timeout: 600_000 }, () => {
  it("Pattern 2 (planned) and Pattern 3 (team collaboration)", async () => {
    await ok(
      box.dir,
      ["dev", "init", "app", "--database", uniqueDb("app"), "--git-origin", box.origin, "--test-command", TEST_COMMAND],
      env,
    );
    await ok(root, ["dev", "release", "new", "minor"], env);
    await developPatch(root, env, "1-auth", table("accounts"), { "auth.test.mjs": typesTest("accounts") });
    await ok(root, ["dev", "patch", "add", "1-auth"], env);
    // two developers, two patches from the same ho-prod
    await developPatch(root, env, "2-dashboard", table("dashboards"));
    await developPatch(root, env, "3-reports", table("reports"), { "reports.test.mjs": typesTest("reports") });
    await ok(root, ["dev", "patch", "add", "2-dashboard"], env);
    const both = await ok(root, ["dev", "patch", "add", "3-reports"], env);
    expect(both.stdout).toContain("temp-valid-0.1.0: merged 1-auth, 2-dashboard, 3-reports");
    expect(both.stdout).toMatch(/applied 2-dashboard[\s\S]*applied 3-reports/);
    expect(read(root, "releases/0.1.0-stage.txt")).toBe("1-auth\n2-dashboard\n3-reports\n");
  });

  it("Pattern 4: multiple stages, --to-version, sequential promotion", async () => {
    await ok(root, ["dev", "release", "new", "patch"], env); // 0.0.1 beside 0.1.0
    await ok(root, ["dev", "patch", "new", "5-hotfix"], env);
    write(root, "Patches/5-hotfix/01.sql", "COMMENT ON TABLE accounts IS 'hotfix';\n");
    git(root, ["add", "."]);
    git(root, ["commit", "--quiet", "-m", "hotfix"], env);
    git(root, ["checkout", "--quiet", "ho-prod"]);
    // 5-hotfix was developed against the 0.1.0 work (accounts): it needs it, so it cannot go to 0.0.1 alone
    let r = await cli(root, ["dev", "patch", "add", "5-hotfix"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Multiple stage releases found: 0.0.1, 0.1.0");
    expect(r.stderr).toContain("--to-version 0.0.1");
    r = await cli(root, ["dev", "patch", "add", "5-hotfix", "--to-version=0.0.1"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('relation "accounts" does not exist');
    expect(r.stderr).toContain("Patches/5-hotfix/01.sql:1");
    expect(read(root, "releases/0.0.1-stage.txt")).toBe("");
    // sequential releases: the empty smallest stage is not skipped in favour of 0.1.0
    r = await cli(root, ["dev", "release", "promote", "rc", "--json"], env);
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe("RELEASE_EMPTY_STAGE");
    expect(r.json.error.message).toContain("Release 0.0.1-stage has no patch: releases are promoted in order");
    await developPatch(root, env, "6-hotfix", table("settings"));
    await ok(root, ["dev", "patch", "add", "6-hotfix", "--to-version=0.0.1"], env);
    const rc = await ok(root, ["dev", "release", "promote", "rc", "--json"], env);
    expect(rc.json).toMatchObject({ release: "0.0.1-rc1", patches: ["6-hotfix"] });
    expect(rc.json.notified).toEqual(["ho-patch/5-hotfix"]);
    expect(git(box.origin, ["log", "-1", "--format=%s", "ho-patch/5-hotfix"])).toContain(
      "0.0.1-rc1 promoted (MERGE REQUIRED)",
    );
    r = await cli(root, ["dev", "release", "promote", "rc"], env);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("Active RC exists: 0.0.1-rc1 must be promoted to production before 0.1.0-stage");
    expect(r.stderr).toContain("git-prolly dev release promote prod");
    const prod = await ok(root, ["dev", "release", "promote", "prod", "--json"], env);
    expect(prod.json).toMatchObject({ release: "0.0.1", patches: ["6-hotfix"] });
  });

  it("Pattern 5: incremental RC (rc2 after a fix), cumulative release files", async () => {
    const rc1 = await ok(root, ["dev", "release", "promote", "rc", "--json"], env);
    expect(rc1.json).toMatchObject({ release: "0.1.0-rc1", patches: ["1-auth", "2-dashboard", "3-reports"] });
    expect(rc1.json.deletedBranches).toEqual(["ho-patch/1-auth", "ho-patch/2-dashboard", "ho-patch/3-reports"]);
    expect(git(box.origin, ["branch", "--list", "ho-patch/1-auth"])).toBe("");
    await developPatch(root, env, "4-rc1-fix", {
      "01.sql": "ALTER TABLE reports ADD COLUMN fixed BOOLEAN DEFAULT true;\n",
    });
    await ok(root, ["dev", "patch", "add", "4-rc1-fix"], env);
    // production takes what an RC validated: the fix must go through rc2 first
    const early = await cli(root, ["dev", "release", "promote", "prod", "--json"], env);
    expect(early.code).toBe(3);
    expect(early.json.error).toMatchObject({ code: "RELEASE_NO_ACTIVE_RC" });
    expect(early.json.error.message).toContain("0.1.0-stage has patches no RC holds: 4-rc1-fix");
    const rc2 = await ok(root, ["dev", "release", "promote", "rc", "--json"], env);
    expect(rc2.json).toMatchObject({ release: "0.1.0-rc2", tag: "v0.1.0-rc2" });
    expect(read(root, "releases/0.1.0-rc1.txt")).toBe("1-auth\n2-dashboard\n3-reports\n"); // immutable
    expect(read(root, "releases/0.1.0-rc2.txt")).toBe("1-auth\n2-dashboard\n3-reports\n4-rc1-fix\n");
    await ok(root, ["dev", "release", "promote", "prod"], env);
    expect(read(root, "releases/0.1.0.txt")).toBe("1-auth\n2-dashboard\n3-reports\n4-rc1-fix\n");
  });

  it("Pattern 6: production deployment (update, dry run, --to-release, upgrade)", async () => {
    const prodDir = join(box.dir, "app-prod");
    await ok(
      box.dir,
      ["dev", "clone", box.origin, "app-prod", "--production", "--database", uniqueDb("app_prod")],
      env,
    );
    const update = await ok(prodDir, ["dev", "update"], env);
    expect(update.stdout).toContain("→ 0.0.1 - 1 patch: 6-hotfix");
    expect(update.stdout).toContain("→ 0.1.0 - 4 patches: 1-auth, 2-dashboard, 3-reports, 4-rc1-fix");
    const dry = await ok(prodDir, ["dev", "upgrade", "--dry-run", "--json"], env);
    expect(dry.json).toMatchObject({ dryRun: true, from: "0.0.0", to: "0.1.0", backup: null });
    expect(dry.json.sql).toContain("ALTER TABLE reports ADD COLUMN fixed BOOLEAN DEFAULT true;");
    const bad = await cli(prodDir, ["dev", "upgrade", "--to-release", "9.9.9"], env);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("Target version 9.9.9 not in upgrade path");
    expect((await ok(prodDir, ["dev", "upgrade", "--to-release", "0.0.1", "--json"], env)).json).toMatchObject({
      from: "0.0.0",
      to: "0.0.1",
    });
    // status tells the database's release, not only the repository's
    const half = await ok(prodDir, ["dev", "status"], env);
    expect(half.stdout).toContain("Production release: 0.1.0");
    expect(half.stdout).toContain("Database: at 0.0.1; to upgrade: 0.1.0 (git-prolly dev upgrade)");
    expect((await ok(prodDir, ["dev", "upgrade", "--json"], env)).json).toMatchObject({ from: "0.0.1", to: "0.1.0" });
    // a production clone's database is never reset
    const again = await ok(
      box.dir,
      [
        "dev",
        "clone",
        box.origin,
        "app-prod-2",
        "--production",
        "--database",
        JSON.parse(read(prodDir, ".git/git-prolly-dev.local.json")).database,
        "--json",
      ],
      env,
    );
    expect(again.json).toMatchObject({ databaseState: "kept", release: "0.1.0" });
    const status = await ok(prodDir, ["dev", "status", "--json"], env);
    expect(status.json).toMatchObject({
      production: true,
      productionVersion: "0.1.0",
      branch: "ho-prod",
      database: { release: "0.1.0", upgrades: [] },
    });
  });
});
