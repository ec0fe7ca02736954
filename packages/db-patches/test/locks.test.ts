import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { advisoryLockKey, withAdvisoryLock } from "../src/applying/advisory-lock.js";
import { applyPlan } from "../src/applying/apply-plan.js";
import { lockDataDir } from "../src/connection/data-dir-lock.js";

import { openDatabase } from "../src/connection/open-database.js";
import { planPatches } from "../src/planning/plan-patches.js";
import { Backend, rejectsWith, tmpDir, writePatches } from "./support/helpers.js";

const PROJECT = "shop";
const PKG = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("advisoryLockKey", () => {
  it("is a stable signed 64-bit key per project (and scope)", () => {
    const k = advisoryLockKey("shop");
    expect(k).toBe(advisoryLockKey("shop"));
    expect(BigInt(k)).toBeGreaterThanOrEqual(-(2n ** 63n));
    expect(BigInt(k)).toBeLessThan(2n ** 63n);
    expect(advisoryLockKey("shop2")).not.toBe(k);
    expect(advisoryLockKey("shop", "database:x")).not.toBe(k);
  });
});

describe("advisory lock on a server", () => {
  const b = new Backend("server", "locks");
  beforeEach(async () => b.reset());
  afterAll(async () => b.dispose());

  it("serialises two concurrent runs: the second waits, then finds the patches applied", async () => {
    const dir = writePatches(tmpDir("locks1"), {
      "1-slow": {
        "01.sql": "create table trace (run text, step int, at timestamptz default clock_timestamp());",
        "02.mjs":
          "export default async (db) => { await db.insertInto('trace').values({ run: 'first', step: 1 }).execute(); };",
        "03.sql": "select pg_sleep(0.4);\ninsert into trace (run, step) values ('first', 2);",
      },
    });
    const options = await b.options();
    const a = await openDatabase(options);
    const c = await openDatabase(options);
    try {
      const plan = planPatches(dir, ["1-slow"]);
      const t0 = Date.now();
      const [ra, rc] = await Promise.all([
        applyPlan(a, plan, { project: PROJECT }),
        new Promise((r) => setTimeout(r, 50)).then(() => applyPlan(c, plan, { project: PROJECT })),
      ]);
      // Whichever takes the lock first applies (on a loaded machine the 50 ms head start is no
      // guarantee); the other waits for it and finds the patch applied.
      expect([ra.patches[0]?.status, rc.patches[0]?.status].sort()).toEqual(["applied", "skipped"]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
      const rows = await sql<{ n: string }>`select count(*) as n from trace`.execute(a.db);
      expect(rows.rows[0]?.n).toBe("2");
    } finally {
      await a.close();
      await c.close();
    }
  });

  it("fails with DB_LOCK_TIMEOUT naming the holder's pid when the wait runs out", async () => {
    const options = await b.options();
    const a = await openDatabase(options);
    const c = await openDatabase(options);
    try {
      let holderPid: number | undefined;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      // The holder runs in its own async flow; the waiter below runs outside it, as another process would.
      const holder = withAdvisoryLock(a, { project: PROJECT }, async () => {
        const locks = await sql<{
          pid: number;
        }>`select pid from pg_locks where locktype = 'advisory' and granted`.execute(a.db);
        holderPid = locks.rows[0]?.pid;
        // Nested use in the same flow does not wait on itself.
        expect(await withAdvisoryLock(a, { project: PROJECT, timeoutMs: 0 }, async () => "nested")).toBe("nested");
        entered();
        await gate;
      });
      await inside;
      const t0 = Date.now();
      const e = await rejectsWith(
        applyPlan(c, { patches: [] }, { project: PROJECT, lockTimeoutMs: 300 }),
        "DB_LOCK_TIMEOUT",
      );
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
      expect(e.message).toContain(`backend pid ${holderPid}`);
      expect(e.data["holder"]).toMatchObject({ pid: holderPid, applicationName: "git-prolly" });
      await rejectsWith(
        withAdvisoryLock(c, { project: PROJECT, timeoutMs: 0 }, async () => 1),
        "DB_LOCK_TIMEOUT",
      );
      // Another project is not blocked.
      expect(await withAdvisoryLock(c, { project: "other" }, async () => "free")).toBe("free");
      release();
      await holder;
      expect(holderPid).toBeTypeOf("number");
      expect(await withAdvisoryLock(c, { project: PROJECT, timeoutMs: 0 }, async () => "after")).toBe("after");
    } finally {
      await a.close();
      await c.close();
    }
  });

  it("keeps a waiter from deadlocking a CREATE INDEX CONCURRENTLY run under the lock", async () => {
    const dir = writePatches(tmpDir("locks3"), {
      "1-cic": {
        "01.sql": "create table big (x int);\ninsert into big select generate_series(1, 20000);",
        "02.sql": "select pg_sleep(0.3);\n-- git-prolly: no-transaction\ncreate index concurrently big_x on big (x);",
      },
    });
    const options = await b.options();
    const a = await openDatabase(options);
    const c = await openDatabase(options);
    try {
      const plan = planPatches(dir, ["1-cic"]);
      const [ra, rc] = await Promise.all([
        applyPlan(a, plan, { project: PROJECT, lockTimeoutMs: 20_000 }),
        new Promise((r) => setTimeout(r, 100)).then(() =>
          applyPlan(c, plan, { project: PROJECT, lockTimeoutMs: 20_000 }),
        ),
      ]);
      // Both finish (no deadlock); whichever took the lock first applied (a loaded machine may
      // start the second one first despite its 100 ms delay).
      expect([ra.patches[0]?.status, rc.patches[0]?.status].sort()).toEqual(["applied", "skipped"]);
    } finally {
      await a.close();
      await c.close();
    }
  });
});

describe("PGlite data-directory lock", () => {
  const b = new Backend("pglite", "locks");
  afterAll(async () => b.dispose());

  it("refuses a second handle on the same data directory, in this process and from another", async () => {
    const options = await b.options();
    const h = await b.handle();
    const e = await rejectsWith(openDatabase(options), "DB_PGLITE_LOCKED");
    expect(e.data["owner"]).toMatchObject({ pid: process.pid });
    const child = await runNode(`
      import { lockDataDir } from ${JSON.stringify(new URL("../src/connection/data-dir-lock.ts", import.meta.url).pathname)};
      try { await lockDataDir(${JSON.stringify(options.pgliteDir)}); console.log("taken"); } catch (e) { console.log(e.code); }
    `);
    expect(child.trim()).toBe("DB_PGLITE_LOCKED");
    await b.closeHandle();
    expect(existsSync(`${options.pgliteDir!}.lock`)).toBe(false);
    await b.handle();
    expect(h.closed).toBe(true);
  });

  it("takes over a lock left by a process that died", async () => {
    const dir = join(tmpDir("locks-stale"), "db");
    mkdirSync(dir);
    const dead = await runNode("console.log(process.pid)");
    writeFileSync(`${dir}.lock`, `${Number(dead.trim())} ${hostname()} 0\n`);
    const lock = await lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(`${process.pid} ${hostname()} 0\n`);
    await lock.release();
    // A lock this package never wrote (an older format) is taken over only once it is old.
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: 1, hostname: hostname() }));
    await rejectsWith(lockDataDir(dir), "DB_PGLITE_LOCKED");
    utimesSync(`${dir}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await (await lockDataDir(dir)).release();
  });

  it("serialises concurrent operations on one handle within the process", async () => {
    const dir = writePatches(tmpDir("locks-pglite"), {
      "1-a": {
        "01.sql":
          "create table seq (run text, at timestamptz default clock_timestamp());\nselect pg_sleep(0.2);\ninsert into seq (run) values ('a');",
      },
      "2-b": { "01.sql": "insert into seq (run) values ('b');" },
    });
    const h = await b.handle();
    const order: string[] = [];
    await Promise.all([
      withAdvisoryLock(h, { project: PROJECT }, async () => {
        await applyPlan(h, planPatches(dir, ["1-a"]), { project: PROJECT });
        order.push("a");
      }),
      withAdvisoryLock(h, { project: PROJECT }, async () => {
        order.push("b-start");
        await applyPlan(h, planPatches(dir, ["2-b"]), { project: PROJECT }).catch(() => {});
      }),
    ]);
    expect(order).toEqual(["a", "b-start"]);
    // A flow that holds the lock makes another flow time out.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const holder = withAdvisoryLock(h, { project: PROJECT }, async () => {
      entered();
      await gate;
    });
    await inside;
    await rejectsWith(
      withAdvisoryLock(h, { project: PROJECT, timeoutMs: 100 }, async () => 1),
      "DB_LOCK_TIMEOUT",
    );
    release();
    await holder;
    expect(await withAdvisoryLock(h, { project: PROJECT, timeoutMs: 0 }, async () => "free")).toBe("free");
  });
});

function runNode(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Through tsx, so that a child runs this package's source as the test does.
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      cwd: PKG,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
  });
}
