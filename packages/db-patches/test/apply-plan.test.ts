import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { applyPlan } from "../src/applying/apply-plan.js";

import { listAppliedPatches } from "../src/metadata/metadata.js";
import { planPatches } from "../src/planning/plan-patches.js";
import { sha256Hex } from "../src/support/sha256-hex.js";
import { Backend, BACKENDS, rejectsWith, tmpDir, writePatches } from "./support/helpers.js";

const PROJECT = "shop";

async function tableExists(b: Backend, name: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select to_regclass(${name}) is not null as ok`.execute((await b.handle()).db);
  return r.rows[0]?.ok === true;
}

describe.each(BACKENDS)("applyPlan on %s", (kind) => {
  const b = new Backend(kind, "apply");
  beforeEach(async () => b.reset());
  afterAll(async () => b.dispose());

  it("runs .sql files, .ts and .js modules in lexicographic order and records each file's checksum", async () => {
    const root = tmpDir("apply1");
    const dir = writePatches(root, {
      "1-users": {
        "README.md": "# users\nnot SQL; skipped",
        "01_table.sql":
          "create table users (id bigserial primary key, email text not null unique);\ncreate table log (n int, what text);",
        "02_seed.ts":
          "import type { Kysely } from 'kysely';\nexport default async function (db: Kysely<any>): Promise<void> {\n  await db.insertInto('users').values({ email: 'a@x' }).execute();\n  await db.insertInto('log').values({ n: 2, what: 'ts' }).execute();\n}\n",
        "03_more.js":
          "export default async (db) => { await db.insertInto('log').values({ n: 3, what: 'js' }).execute(); };\n",
        "10_last.sql": "insert into log values (10, 'sql');",
      },
      "2-orders": {
        "a.sql":
          "create table orders (id int8 primary key, user_id int8 references users);\ninsert into orders values (9007199254740993, 1);",
      },
    });
    const plan = planPatches(dir, ["1-users", "2-orders"]);
    const events: string[] = [];
    const h = await b.handle();
    const result = await applyPlan(h, plan, {
      project: PROJECT,
      release: "1.0.0",
      onProgress: (e) => events.push(`${e.type}:${e.patch}`),
    });
    expect(result.patches.map((p) => [p.id, p.status, p.statements])).toEqual([
      ["1-users", "applied", 3],
      ["2-orders", "applied", 2],
    ]);
    expect(events).toEqual(["start:1-users", "done:1-users", "start:2-orders", "done:2-orders"]);
    const log = await sql<{ n: number; what: string }>`select n, what from log order by n`.execute(h.db);
    expect(log.rows).toEqual([
      { n: 2, what: "ts" },
      { n: 3, what: "js" },
      { n: 10, what: "sql" },
    ]);
    // int8 comes back as a string on both backends, as pg returns it.
    const big = await sql<{ id: unknown; n: unknown }>`select id, count(*) over () as n from orders`.execute(h.db);
    expect(big.rows[0]).toEqual({ id: "9007199254740993", n: "1" });
    const applied = await listAppliedPatches(h);
    expect(applied.map((p) => [p.id, p.release, p.checksum])).toEqual([
      ["1-users", "1.0.0", plan.patches[0]!.checksum],
      ["2-orders", "1.0.0", plan.patches[1]!.checksum],
    ]);
    expect(applied[0]!.files.map((f) => f.name)).toEqual(["01_table.sql", "02_seed.ts", "03_more.js", "10_last.sql"]);
    expect(applied[0]!.files[0]!.sha256).toBe(
      sha256Hex(
        plan.patches[0]!.files[0]!.kind === "sql"
          ? (await import("node:fs")).readFileSync(join(dir, "1-users", "01_table.sql"))
          : "",
      ),
    );
    expect(applied.every((p) => p.durationMs >= 0 && p.appliedAt instanceof Date)).toBe(true);
  });

  it("skips patches already applied with the same checksum and refuses changed ones", async () => {
    const root = tmpDir("apply2");
    const dir = writePatches(root, { "1-a": { "a.sql": "create table a (x int);" } });
    const h = await b.handle();
    await applyPlan(h, planPatches(dir, ["1-a"]), { project: PROJECT });
    const again = await applyPlan(h, planPatches(dir, ["1-a"]), { project: PROJECT });
    expect(again.patches).toEqual([{ id: "1-a", status: "skipped", durationMs: 0, statements: 0 }]);
    await rejectsWith(
      applyPlan(h, planPatches(dir, ["1-a"]), { project: PROJECT, ifApplied: "error" }),
      "DB_PATCH_ALREADY_APPLIED",
    );
    writeFileSync(join(dir, "1-a", "a.sql"), "create table a (x int, y int);");
    const e = await rejectsWith(
      applyPlan(h, planPatches(dir, ["1-a"]), { project: PROJECT }),
      "DB_PATCH_CHECKSUM_MISMATCH",
    );
    expect(e.data["files"]).toEqual(["a.sql"]);
  });

  it("fails closed on a SQL error, naming patch, file, line and statement, and rolls the patch back", async () => {
    const root = tmpDir("apply3");
    const dir = writePatches(root, {
      "1-ok": { "a.sql": "create table ok (x int);" },
      "2-bad": {
        "01.sql": "create table half (x int);",
        "02.sql":
          "-- comment\n\ninsert into half values (1);\nselect x,\n       nope\n  from half;\ncreate table never (x int);",
      },
      "3-after": { "a.sql": "create table after (x int);" },
    });
    const h = await b.handle();
    const e = await rejectsWith(
      applyPlan(h, planPatches(dir, ["1-ok", "2-bad", "3-after"]), { project: PROJECT }),
      "DB_PATCH_SQL_FAILED",
    );
    expect(e.data).toMatchObject({
      patch: "2-bad",
      file: "02.sql",
      line: 5,
      statementLine: 4,
      sqlState: "42703",
      partiallyApplied: false,
      appliedInThisRun: ["1-ok"],
    });
    expect(e.hint).toContain("stay applied: 1-ok");
    expect(e.data["statement"]).toBe("select x,\n       nope\n  from half");
    expect(e.message).toContain("Patches/2-bad/02.sql:5");
    expect(e.message).toContain("nope");
    expect(await tableExists(b, "ok")).toBe(true);
    expect(await tableExists(b, "half")).toBe(false);
    expect(await tableExists(b, "never")).toBe(false);
    expect(await tableExists(b, "after")).toBe(false);
    expect((await listAppliedPatches(h)).map((p) => p.id)).toEqual(["1-ok"]);
  });

  it("splits tricky SQL where PostgreSQL does: each statement runs alone, and the failing one is named", async () => {
    const tricky = [
      'create table "we;ird" ("a""b" text default \'x;y\', c text default E\'it\\\'s; \\\\ ok\');',
      '/* a /* nested; */ comment; */ insert into "we;ird" (c) values ($q$ ; $q$);',
      "create function f1() returns text language plpgsql as $body$ begin return $x$;$x$; end; $body$;",
      "create function f2(x int) returns int language sql begin atomic select case when x > 0 then 1 else 0 end; end;",
      "create table r1 (x int); create table r2 (x int);",
      "create rule r as on insert to r1 do also (insert into r2 values (new.x); insert into r2 values (new.x + 1));",
      "insert into r1 values (1) -- a trailing comment; with a semicolon",
      ";",
      "select f1(), f2(1);",
      "select * from no_such_table;",
    ].join("\n");
    const dir = writePatches(tmpDir("apply-tricky"), { "1-tricky": { "01.sql": tricky } });
    const e = await rejectsWith(
      applyPlan(await b.handle(), planPatches(dir, ["1-tricky"]), { project: PROJECT }),
      "DB_PATCH_SQL_FAILED",
    );
    // Every statement before the last ran on its own in the replay; the error is the last one's.
    expect(e.data).toMatchObject({ file: "01.sql", line: 10, statementLine: 10, sqlState: "42P01" });
    const ok = writePatches(tmpDir("apply-tricky-ok"), {
      "2-tricky": { "01.sql": tricky.split("\n").slice(0, -1).join("\n") },
    });
    const h = await b.handle();
    await applyPlan(h, planPatches(ok, ["2-tricky"]), { project: PROJECT });
    const r2 = await sql<{ n: string }>`select count(*) as n from r2`.execute(h.db);
    expect(r2.rows[0]?.n).toBe("2");
    await sql`insert into "we;ird" default values`.execute(h.db);
    const w = await sql<Record<string, string>>`select "a""b" as ab, c from "we;ird" order by c`.execute(h.db);
    expect(w.rows).toEqual([
      { ab: "x;y", c: " ; " },
      { ab: "x;y", c: "it's; \\ ok" },
    ]);
  });

  it("reports the statement's line for errors without a position (runtime errors)", async () => {
    const dir = writePatches(tmpDir("apply4"), { "1-div": { "a.sql": "select 1;\n\nselect 1/0;" } });
    const e = await rejectsWith(
      applyPlan(await b.handle(), planPatches(dir, ["1-div"]), { project: PROJECT }),
      "DB_PATCH_SQL_FAILED",
    );
    expect(e.data).toMatchObject({ line: 3, statementLine: 3, sqlState: "22012" });
  });

  it("rolls back the whole release in release mode", async () => {
    const dir = writePatches(tmpDir("apply5"), {
      "1-a": { "a.sql": "create table ra (x int);" },
      "2-b": { "a.sql": "create table rb (x int);\ninsert into rb values ('no');" },
    });
    const h = await b.handle();
    await rejectsWith(
      applyPlan(h, planPatches(dir, ["1-a", "2-b"]), { project: PROJECT, transaction: "release" }),
      "DB_PATCH_SQL_FAILED",
    );
    expect(await tableExists(b, "ra")).toBe(false);
    expect(await listAppliedPatches(h)).toEqual([]);
  });

  it("runs statements marked no-transaction outside it (CREATE INDEX CONCURRENTLY)", async () => {
    const dir = writePatches(tmpDir("apply6"), {
      "1-idx": {
        "01.sql": "create table t (x int);\ninsert into t select generate_series(1, 100);",
        "02.sql": "-- git-prolly: no-transaction\ncreate index concurrently t_x on t (x);",
        "03.sql":
          "select 1;\n-- git-prolly: no-transaction\ncreate index concurrently t_x2 on t (x);\ninsert into t values (101);",
      },
    });
    const h = await b.handle();
    const r = await applyPlan(h, planPatches(dir, ["1-idx"]), { project: PROJECT });
    expect(r.patches[0]).toMatchObject({ id: "1-idx", status: "applied", statements: 6 });
    const idx = await sql<{ n: string }>`select count(*) as n from pg_indexes where tablename = 't'`.execute(h.db);
    expect(idx.rows[0]?.n).toBe("2");
    const rows = await sql<{ n: string }>`select count(*) as n from t`.execute(h.db);
    expect(rows.rows[0]?.n).toBe("101");
  });

  it("says which statements stay applied when a patch fails after a no-transaction statement", async () => {
    const dir = writePatches(tmpDir("apply7"), {
      "1-idx": {
        "01.sql": "create table t2 (x int);",
        "02.sql": "-- git-prolly: no-transaction\ncreate index concurrently t2_x on t2 (x);",
        "03.sql": "insert into t2 values ('bad');",
      },
    });
    const e = await rejectsWith(
      applyPlan(await b.handle(), planPatches(dir, ["1-idx"]), { project: PROJECT }),
      "DB_PATCH_SQL_FAILED",
    );
    expect(e.data["partiallyApplied"]).toBe(true);
    expect(e.data["committedStatements"]).toEqual([
      { file: "01.sql", line: 1 },
      { file: "02.sql", line: 2 },
    ]);
    expect(e.hint).toContain("stay applied");
    expect(await tableExists(b, "t2")).toBe(true);
    expect(await listAppliedPatches(await b.handle())).toEqual([]);
  });

  it("rolls back a patch whose module throws, and forbids modules to open their own transaction", async () => {
    const dir = writePatches(tmpDir("apply8"), {
      "1-throw": {
        "01.sql": "create table m (x int);",
        "02.mjs":
          "export default async (db) => { await db.insertInto('m').values({ x: 1 }).execute(); throw new Error('boom'); };",
      },
      "2-nested": { "01.mjs": "export default async (db) => { await db.transaction().execute(async () => {}); };" },
      "3-nodefault": { "01.js": "export const up = 1;" },
    });
    const h = await b.handle();
    const e = await rejectsWith(
      applyPlan(h, planPatches(dir, ["1-throw"]), { project: PROJECT }),
      "DB_PATCH_MODULE_FAILED",
    );
    expect(e.message).toContain("boom");
    expect(e.data).toMatchObject({ patch: "1-throw", file: "02.mjs" });
    expect(await tableExists(b, "m")).toBe(false);
    await rejectsWith(applyPlan(h, planPatches(dir, ["2-nested"]), { project: PROJECT }), "DB_PATCH_MODULE_FAILED");
    await rejectsWith(applyPlan(h, planPatches(dir, ["3-nodefault"]), { project: PROJECT }), "DB_PATCH_MODULE_INVALID");
    expect(await listAppliedPatches(h)).toEqual([]);
  });

  it("does not leak a patch's SET into the session that serves later queries", async () => {
    const dir = writePatches(tmpDir("apply9"), {
      "1-set": { "a.sql": "set search_path = pg_catalog;\ncreate table public.s (x int);" },
    });
    const h = await b.handle();
    const path = async () =>
      (await sql<{ p: string }>`select current_setting('search_path') as p`.execute(h.db)).rows[0]?.p;
    const before = await path();
    expect(before).not.toBe("pg_catalog");
    await applyPlan(h, planPatches(dir, ["1-set"]), { project: PROJECT });
    expect(await path()).toBe(before);
  });
});
