/**
 * Seed 003's Quick Start (Pattern 1, exploratory development) through the built CLI on PGlite,
 * with a bare repository as origin, then the troubleshooting errors users get.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliEnv, git, ok, read, scratch, TEST_COMMAND, typesTest, write } from "./support/dev-cli.js";

const env = cliEnv("pglite");
const box = scratch();
const root = join(box.dir, "myproject");

afterAll(() => box.dispose());

describe("Quick Start on PGlite", () => {
  beforeAll(async () => {
    const init = await ok(
      box.dir,
      [
        "dev",
        "init",
        "myproject",
        "--database",
        "mydb",
        "--git-origin",
        box.origin,
        "--test-command",
        TEST_COMMAND,
        "--json",
      ],
      env,
    );
    expect(init.json).toMatchObject({ project: "myproject", backend: "pglite", release: "0.0.0", origin: box.origin });
  }, 120_000);

  it("init made a TypeScript project on ho-prod with the database at 0.0.0", () => {
    const pkg = JSON.parse(read(root, "package.json")) as { scripts: { test: string } };
    expect(pkg.scripts.test).toBe(TEST_COMMAND);
    for (const p of [
      "tsconfig.json",
      "src/index.ts",
      "tests",
      "Patches",
      "releases",
      "model/schema-0.0.0.sql",
      "model/metadata-0.0.0.sql",
      "model/schema.sql",
    ]) {
      expect(existsSync(join(root, p)), p).toBe(true);
    }
    expect(read(root, ".gitignore")).toMatch(/^backups\/$/m);
    expect(read(root, ".gitignore")).toMatch(/^\.pglite\/$/m);
    expect(read(root, "model/metadata-0.0.0.sql")).toContain("0.0.0");
    expect(git(root, ["branch", "--show-current"])).toBe("ho-prod");
    expect(git(box.origin, ["rev-parse", "ho-prod"])).toBe(git(root, ["rev-parse", "HEAD"]));
    expect(read(root, ".git-prolly-dev.json")).not.toMatch(/password|postgres:\/\//i);
  });

  it("init refuses an existing directory and leaves it alone", async () => {
    const r = await cli(box.dir, ["dev", "init", "myproject", "--database", "other"], env);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("Directory 'myproject' already exists");
    expect(r.stderr).toContain("hint:");
  });

  it("patch new → apply → tests → commit → release new minor → patch add", async () => {
    const created = await ok(root, ["dev", "patch", "new", "001-users", "--json"], env);
    expect(created.json).toMatchObject({ id: "001-users", branch: "ho-patch/001-users" });
    expect(git(root, ["branch", "--show-current"])).toBe("ho-patch/001-users");
    expect(git(box.origin, ["for-each-ref", "--format=%(refname)", "refs/git-prolly/patch-id/"])).toBe(
      "refs/git-prolly/patch-id/001",
    ); // the number is reserved, as half_orm_dev's ho-patch/<n> tag
    write(root, "Patches/001-users/01_users.sql", "CREATE TABLE users (id SERIAL PRIMARY KEY, username TEXT);\n");
    write(root, "tests/public/users/users-creation.test.mjs", typesTest("users"));
    const applied = await ok(root, ["dev", "patch", "apply", "--json"], env);
    expect(applied.json).toMatchObject({ patch: "001-users", productionVersion: "0.0.0" });
    expect(read(root, "src/db/database.ts")).toMatch(/users: Users;/);
    git(root, ["add", "."]);
    git(root, ["commit", "--quiet", "-m", "Add users table with tests"], env);
    git(root, ["checkout", "--quiet", "ho-prod"]);
    const noStage = await cli(root, ["dev", "patch", "add", "001-users"], env);
    expect(noStage.code).toBe(3);
    expect(noStage.stderr).toContain("No stage releases found");
    expect(noStage.stderr).toContain("hint: Prepare a release first: git-prolly dev release new patch");
    const release = await ok(root, ["dev", "release", "new", "minor", "--json"], env);
    expect(release.json).toMatchObject({ version: "0.1.0", stageFile: "releases/0.1.0-stage.txt" });
    const added = await ok(root, ["dev", "patch", "add", "001-users"], env);
    expect(added.stdout).toContain("tests passed");
    expect(read(root, "releases/0.1.0-stage.txt")).toBe("001-users\n");
    expect(git(root, ["log", "-1", "--format=%s"])).toBe("Add 001-users to release 0.1.0-stage");
    expect(git(root, ["branch", "--list", "temp-valid-*"])).toBe("");
    expect(git(box.origin, ["branch", "--list", "ho-release/0.1.0/001-users"])).toContain("ho-release/0.1.0/001-users");
    expect(git(box.origin, ["branch", "--list", "ho-patch/*"])).toContain("ho-patch/001-users"); // deleted at RC promotion
    expect(git(box.origin, ["rev-parse", "ho-prod"])).toBe(git(root, ["rev-parse", "HEAD"]));
    // patch code stays out of ho-prod until promote rc
    expect(existsSync(join(root, "Patches/001-users/01_users.sql"))).toBe(false);
  }, 240_000);

  it("status says where you are", async () => {
    const s = await ok(root, ["dev", "status", "--json"], env);
    expect(s.json).toMatchObject({
      branch: "ho-prod",
      productionVersion: "0.0.0",
      stages: [{ version: "0.1.0", patches: ["001-users"] }],
      locks: [],
      database: null, // a development clone's database holds work in progress: not reported as a release
    });
  }, 60_000);

  it("the troubleshooting errors, with hints and exit codes", async () => {
    let r = await cli(root, ["dev", "patch", "apply"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Must be on ho-patch/* branch");
    expect(r.stderr).toContain("hint: Create or switch to a patch branch: git-prolly dev patch new <patch_id>");

    git(root, ["checkout", "--quiet", "-b", "scratch"]);
    r = await cli(root, ["dev", "patch", "add", "001-users", "--json"], env);
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: "RELEASE_NOT_ON_HO_PROD", hint: "Switch to it: git checkout ho-prod" });
    expect(r.json.error.message).toContain("Must be on ho-prod branch");
    git(root, ["checkout", "--quiet", "ho-prod"]);

    write(root, "notes.txt", "wip\n");
    r = await cli(root, ["dev", "release", "new", "patch"], env);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain("Repository is not clean");
    expect(r.stderr).toContain("git stash");
    git(root, ["clean", "-fdq"]);
  }, 240_000);
});
