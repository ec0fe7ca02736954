/**
 * How the workflow fails: a failing project test blocks `patch add` (nothing committed, the
 * validation branch deleted); an SQL error in `patch apply` names file and line and rolls the
 * database back; an upgrade failing halfway leaves the production database exactly as before.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dumpSchema, listReleases, openDatabase, type ConnectionOptions } from "@git-prolly/db-patches";
import { sql } from "kysely";
import {
  cli,
  CLI_BIN,
  cliEnv,
  developPatch,
  FAILING_TEST,
  git,
  ok,
  read,
  scratch,
  serverUrl,
  TEST_COMMAND,
  uniqueDb,
  write,
  type Backend,
} from "./support/dev-cli.js";

describe("a failing test blocks patch add (PGlite)", () => {
  const env = cliEnv("pglite");
  const box = scratch();
  const root = join(box.dir, "blocked");
  afterAll(() => box.dispose());

  it("commits nothing, deletes temp-valid, explains; an SQL error names file and line", async () => {
    await ok(
      box.dir,
      ["dev", "init", "blocked", "--database", "db", "--git-origin", box.origin, "--test-command", TEST_COMMAND],
      env,
    );
    await ok(root, ["dev", "release", "new", "patch"], env);
    await ok(root, ["dev", "patch", "new", "7-broken"], env);
    write(
      root,
      "Patches/7-broken/01.sql",
      "CREATE TABLE items (id INT);\n\nINSERT INTO items (id, nope) VALUES (1, 2);\n",
    );
    const bad = await cli(root, ["dev", "patch", "apply", "--json"], env);
    expect(bad.code).toBe(1);
    expect(bad.json.error.code).toBe("DB_PATCH_SQL_FAILED");
    expect(bad.json.error.message).toContain("Patches/7-broken/01.sql:3");
    expect(bad.json.error.message).toContain('column "nope" of relation "items" does not exist');
    expect(bad.json.error.data.databaseRestored).toBe(true);
    write(root, "Patches/7-broken/01.sql", "CREATE TABLE items (id INT);\n");
    write(root, "tests/rule.test.mjs", FAILING_TEST);
    await ok(root, ["dev", "patch", "apply"], env);
    git(root, ["add", "."]);
    git(root, ["commit", "--quiet", "-m", "broken rule"], env);
    git(root, ["checkout", "--quiet", "ho-prod"]);
    const before = git(root, ["rev-parse", "HEAD"]);
    const originBefore = git(box.origin, ["for-each-ref"]);
    const r = await cli(root, ["dev", "patch", "add", "7-broken"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: Tests failed for patch integration: 7-broken was not added to 0.0.1-stage");
    expect(r.stderr).toContain("  | # fail 1"); // the tail of the test output
    expect(r.stderr).toContain("hint: Fix your tests or code on ho-patch/7-broken");
    expect(git(root, ["rev-parse", "HEAD"])).toBe(before);
    expect(git(root, ["branch", "--show-current"])).toBe("ho-prod");
    expect(git(root, ["branch", "--list", "temp-valid-*"])).toBe("");
    expect(git(root, ["status", "--porcelain"])).toBe("");
    expect(read(root, "releases/0.0.1-stage.txt")).toBe("");
    expect(git(box.origin, ["for-each-ref"])).toBe(originBefore);
  }, 400_000);
});

describe("Ctrl-C during patch add (PGlite)", () => {
  const env = cliEnv("pglite");
  const box = scratch();
  const root = join(box.dir, "interrupted");
  afterAll(() => box.dispose());

  it("undoes the validation: back on a clean ho-prod, no temp-valid branch, nothing committed or pushed", async () => {
    const slow = 'console.log("slow test started");\nsetTimeout(() => {}, 120_000);\n';
    await ok(
      box.dir,
      [
        "dev",
        "init",
        "interrupted",
        "--database",
        "db",
        "--git-origin",
        box.origin,
        "--test-command",
        "node tests/slow.mjs",
      ],
      env,
    );
    await ok(root, ["dev", "release", "new", "patch"], env);
    await developPatch(root, env, "8-slow", { "01.sql": "CREATE TABLE slow (id INT);\n" }, { "slow.mjs": slow });
    const before = git(root, ["rev-parse", "HEAD"]);
    const originBefore = git(box.origin, ["for-each-ref", "refs/heads"]);
    // Like a terminal's Ctrl-C: the signal goes to the whole process group (the CLI and its test runner).
    const child = spawn(process.execPath, [CLI_BIN, "dev", "patch", "add", "8-slow"], {
      cwd: root,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    await new Promise<void>((resolveRunning) =>
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        if (out.includes("running tests: node tests/slow.mjs")) resolveRunning();
      }),
    );
    await new Promise((r) => setTimeout(r, 1000)); // the test runner is under way
    process.kill(-child.pid!, "SIGINT");
    expect(await exited).toBe(130);
    expect(err).toContain("error: Interrupted (SIGINT): patch add 8-slow was undone");
    expect(git(root, ["branch", "--show-current"])).toBe("ho-prod");
    expect(git(root, ["rev-parse", "HEAD"])).toBe(before);
    expect(git(root, ["branch", "--list", "temp-valid-*"])).toBe("");
    expect(git(root, ["status", "--porcelain"])).toBe("");
    expect(read(root, "releases/0.0.1-stage.txt")).toBe("");
    expect(git(box.origin, ["for-each-ref", "refs/heads"])).toBe(originBefore);
    expect(git(box.origin, ["for-each-ref", "refs/git-prolly/lock"])).toBe("");
  }, 180_000);
});

async function fullDump(connection: ConnectionOptions): Promise<string> {
  const h = await openDatabase(connection);
  try {
    const rows = await sql<{
      t: string;
    }>`select coalesce(string_agg(format('%s.%s', table_schema, table_name), ',' order by table_schema, table_name), '') as t
      from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`.execute(h.db);
    const releases = (await listReleases(h)).map((r) => r.version).join(",");
    const marks = await sql<{ n: string }>`select count(*)::text as n from prod_marker`.execute(h.db);
    return `${await dumpSchema(h)}\n-- tables ${rows.rows[0]?.t}\n-- releases ${releases}\n-- marker rows ${marks.rows[0]?.n}`;
  } finally {
    await h.close();
  }
}

describe.each<Backend>(["server"])("an upgrade failing halfway (%s)", (backend) => {
  const env = cliEnv(backend);
  const box = scratch();
  const root = join(box.dir, "shop");
  const prodDir = join(box.dir, "shop-prod");
  const prodDb = uniqueDb("prod");
  afterAll(() => box.dispose());

  it("restores the backup automatically and says so: production exactly as before", async () => {
    await ok(
      box.dir,
      [
        "dev",
        "init",
        "shop",
        "--database",
        uniqueDb("dev"),
        "--git-origin",
        box.origin,
        "--test-command",
        TEST_COMMAND,
      ],
      env,
    );
    for (const [level, id, text] of [
      ["minor", "1-users", "CREATE TABLE users (id INT PRIMARY KEY);\n"],
      // fails only where production data is: the marker table exists on production only
      [
        "minor",
        "2-check",
        "CREATE TABLE audit (id INT);\nDO $$ BEGIN IF to_regclass('public.prod_marker') IS NOT NULL THEN RAISE EXCEPTION 'production data check failed'; END IF; END $$;\n",
      ],
    ] as const) {
      await developPatch(root, env, id, { "01.sql": text });
      await ok(root, ["dev", "release", "new", level], env);
      await ok(root, ["dev", "patch", "add", id], env);
      await ok(root, ["dev", "release", "promote", "prod"], env);
    }
    await ok(box.dir, ["dev", "clone", box.origin, "shop-prod", "--production", "--database", prodDb], env);
    const connection: ConnectionOptions = { url: serverUrl().replace(/\/[^/]*$/, `/${prodDb}`) };
    const h = await openDatabase(connection);
    await sql`create table prod_marker (id int); insert into prod_marker values (1), (2)`
      .execute(h.db)
      .catch(async () => {
        await sql`create table prod_marker (id int)`.execute(h.db);
        await sql`insert into prod_marker values (1), (2)`.execute(h.db);
      });
    await h.close();
    const before = await fullDump(connection);
    const r = await cli(prodDir, ["dev", "upgrade", "--json"], env);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe("DB_UPGRADE_FAILED");
    expect(r.json.error.message).toContain("upgrade to 0.2.0 failed and the database was restored from its backup");
    expect(r.json.error.message).toContain("production data check failed");
    expect(r.json.error.data.restored).toBe(true);
    expect(await fullDump(connection)).toBe(before); // 0.1.0 (applied first) is gone too
    expect(before).toContain("-- releases 0.0.0");
    expect(before).not.toContain("public.users");
  }, 400_000);
});
