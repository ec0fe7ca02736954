import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { Kysely, sql } from "kysely";
import { afterAll, describe, expect, inject, it } from "vitest";
import { dumpSchema } from "../src/models/dump-schema.js";
import { type DbPatchError } from "../src/errors.js";
import { openDatabase, PGLITE_VERSION } from "../src/connection/open-database.js";
import { PgliteDialect } from "../src/connection/pglite-dialect.js";
import { redactUrl, scrubSecrets } from "../src/connection/redact-url.js";
import { resolveConnection, toolConninfo, type ServerTarget } from "../src/connection/resolve-connection.js";
import { Backend, serverUrl } from "./support/helpers.js";

const SECRET = "s3cr3t-P@ss:w/rd";
const ENCODED = encodeURIComponent(SECRET);

/** Every way an error can end up in a log or in --json output. */
function renderings(e: unknown): string[] {
  const err = e as Error;
  return [
    String(err),
    err.message,
    String(err.stack),
    JSON.stringify(err),
    JSON.stringify((err as DbPatchError).toJSON?.()),
    inspect(err, { depth: 10 }),
    inspect(err, { depth: 10, showHidden: true }),
    inspect(err.cause, { depth: 10, showHidden: true }),
  ];
}

describe("resolveConnection", () => {
  it("prefers the url option, then DATABASE_URL, then PG* variables, then PGlite", () => {
    const env = { DATABASE_URL: "postgres://u@envhost/envdb", PGHOST: "pghost", PGDATABASE: "pgdb" };
    expect(resolveConnection({ url: "postgres://u@opt/optdb", env }).display).toBe("postgres://u@opt:5432/optdb");
    expect(resolveConnection({ env }).display).toBe("postgres://u@envhost:5432/envdb");
    const fromPg = resolveConnection({
      env: { PGHOST: "pghost", PGDATABASE: "pgdb", PGUSER: "bob", PGPORT: "6000", PGPASSWORD: SECRET },
    });
    expect(fromPg).toMatchObject({ kind: "server", database: "pgdb", display: "postgres://bob@pghost:6000/pgdb" });
    expect((fromPg as ServerTarget).password()).toBe(SECRET);
    const lite = resolveConnection({ env: {}, pgliteDir: "/tmp/x/.pglite/db" });
    expect(lite).toMatchObject({ kind: "pglite", dataDir: "/tmp/x/.pglite/db" });
    expect(resolveConnection({ env: {} }).kind).toBe("pglite");
    expect(resolveConnection({ env, kind: "pglite" }).kind).toBe("pglite");
  });

  it("keeps the password out of the target's printable and enumerable parts", () => {
    const t = resolveConnection({
      url: `postgres://app:${ENCODED}@db.example:5433/shop?sslmode=disable&application_name=x`,
      env: {},
    }) as ServerTarget;
    expect(t.password()).toBe(SECRET);
    for (const text of [
      t.display,
      JSON.stringify(t),
      inspect(t, { depth: 5 }),
      toolConninfo(t),
      JSON.stringify(t.clientConfig),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(ENCODED);
    }
    expect(toolConninfo(t)).toContain("dbname='shop'");
    expect(toolConninfo(t)).toContain("sslmode='disable'");
  });

  it("rejects a malformed URL without echoing its password", () => {
    try {
      resolveConnection({ url: `postgres://app:${SECRET}@host:notaport/db`, env: {} });
      throw new Error("expected DB_INVALID_OPTIONS");
    } catch (e) {
      expect((e as DbPatchError).code).toBe("DB_INVALID_OPTIONS");
      for (const r of renderings(e)) expect(r).not.toContain(SECRET);
    }
  });
});

describe("PG* variables", () => {
  it("connect to the server they describe", async () => {
    const u = new URL(serverUrl());
    const h = await openDatabase({
      env: { PGHOST: u.hostname, PGPORT: u.port, PGUSER: decodeURIComponent(u.username), PGDATABASE: "postgres" },
    });
    try {
      expect(h.kind).toBe("server");
      const r = await sql<{ db: string }>`select current_database() as db`.execute(h.db);
      expect(r.rows[0]?.db).toBe("postgres");
    } finally {
      await h.close();
    }
  });
});

describe("redactUrl", () => {
  it("redacts user-info, query and keyword/value passwords", () => {
    expect(redactUrl("postgres://app:hunter2@db:5432/shop")).toBe("postgres://app:***@db:5432/shop");
    expect(redactUrl("postgresql://app:p@ss@w@rd@db/shop")).toBe("postgresql://app:***@db/shop");
    expect(redactUrl("postgres://app@db/shop?password=hunter2&sslmode=require")).toBe(
      "postgres://app@db/shop?password=***&sslmode=require",
    );
    expect(redactUrl("host=db password='a b\\'c' user=app")).toBe("host=db password=*** user=app");
    expect(redactUrl("connect to postgres://x:y@h/d failed")).toBe("connect to postgres://x:***@h/d failed");
    expect(redactUrl("postgres://app@db:5432/shop")).toBe("postgres://app@db:5432/shop");
  });

  it("scrubs raw and URL-encoded secrets from free text", () => {
    expect(scrubSecrets(`bad ${SECRET} and ${ENCODED}`, [SECRET])).toBe("bad *** and ***");
  });
});

describe("connection errors on a server", () => {
  it("never contain the password, in the message, JSON, stack or cause", async () => {
    const u = new URL(serverUrl());
    u.password = ENCODED;
    u.pathname = "/no_such_database_here";
    const failures: unknown[] = [];
    for (const url of [u.toString(), `postgres://app:${ENCODED}@127.0.0.1:1/db`]) {
      try {
        await openDatabase({ url, env: {} });
        throw new Error("expected a connection failure");
      } catch (e) {
        failures.push(e);
      }
    }
    for (const e of failures) {
      expect((e as DbPatchError).code).toBe("DB_CONNECTION_FAILED");
      for (const r of renderings(e)) {
        expect(r).not.toContain(SECRET);
        expect(r).not.toContain(ENCODED);
      }
    }
    expect((failures[0] as DbPatchError).message).toContain("no_such_database_here");
    expect((failures[0] as DbPatchError).data["sqlState"]).toBe("3D000");
  });

  it("does not show the password when a handle or its Kysely instance is printed, or on pg_dump's command line", async () => {
    const b = new Backend("server", "conn");
    try {
      const u = new URL((await b.options()).url!);
      u.password = ENCODED; // trust authentication ignores it, so the connection works
      const h = await openDatabase({ url: u.toString(), env: {} });
      try {
        for (const r of [
          inspect(h, { depth: 20 }),
          inspect(h.db, { depth: 20 }),
          JSON.stringify(h),
          String(h.display),
        ]) {
          expect(r).not.toContain(SECRET);
          expect(r).not.toContain(ENCODED);
        }
        await sql`create table t (x int)`.execute(h.db);
        expect(await dumpSchema(h)).toContain("CREATE TABLE public.t");
      } finally {
        await h.close();
      }
    } finally {
      await b.dispose();
    }
  });
});

describe("PgliteDialect", () => {
  const b = new Backend("pglite", "dialect");
  afterAll(async () => b.dispose());

  it("pins the PGlite version the cache names use", () => {
    const pkg = JSON.parse(
      readFileSync(join(import.meta.dirname, "../node_modules/@electric-sql/pglite/package.json"), "utf8"),
    ) as { version: string };
    expect(PGLITE_VERSION).toBe(pkg.version);
  });

  it("puts the data directory under a .pglite folder that Git ignores", async () => {
    const options = await b.options();
    await b.handle();
    expect(readFileSync(join(options.pgliteDir!, "..", ".gitignore"), "utf8")).toBe("*\n");
    expect(existsSync(join(options.pgliteDir!, "PG_VERSION"))).toBe(true);
  });

  it("reports affected rows, returns int8 as strings, streams, and supports savepoints", async () => {
    const h = await b.handle();
    const db = h.db as Kysely<{ kv: { k: string; v: string | null } }>;
    await sql`create table kv (k text primary key, v text)`.execute(db);
    const ins = await db
      .insertInto("kv")
      .values([
        { k: "a", v: "1" },
        { k: "b", v: "2" },
      ])
      .executeTakeFirst();
    expect(ins.numInsertedOrUpdatedRows).toBe(2n);
    const upd = await db.updateTable("kv").set({ v: "x" }).where("k", "=", "a").executeTakeFirst();
    expect(upd.numUpdatedRows).toBe(1n);
    const big = await sql<{
      n: unknown;
      m: unknown;
    }>`select 9007199254740993::int8 as n, count(*) as m from kv`.execute(db);
    expect(big.rows[0]).toEqual({ n: "9007199254740993", m: "2" });
    const streamed: string[] = [];
    for await (const row of db.selectFrom("kv").select("k").orderBy("k").stream(1)) streamed.push(row.k);
    expect(streamed).toEqual(["a", "b"]);
    const trx = await db.startTransaction().execute();
    await trx.insertInto("kv").values({ k: "c", v: null }).execute();
    const sp = await trx.savepoint("s1").execute();
    await sp.insertInto("kv").values({ k: "d", v: null }).execute();
    await sp.rollbackToSavepoint("s1").execute();
    await trx.commit().execute();
    const keys = await db.selectFrom("kv").select("k").orderBy("k").execute();
    expect(keys.map((r) => r.k)).toEqual(["a", "b", "c"]);
  });

  it("makes a query issued during an open transaction wait for it instead of running inside it", async () => {
    const h = await b.handle();
    const db = h.db as Kysely<{ kv: { k: string; v: string | null } }>;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const trx = db.transaction().execute(async (t) => {
      await t.insertInto("kv").values({ k: "uncommitted", v: null }).execute();
      await gate;
      throw new Error("roll back");
    });
    const outside = db.selectFrom("kv").select("k").where("k", "=", "uncommitted").execute();
    release();
    await expect(trx).rejects.toThrow("roll back");
    expect(await outside).toEqual([]);
  });

  it("works over any PGlite instance, closing it on destroy only when asked", async () => {
    const { PGlite } = await import("@electric-sql/pglite");
    const tar = readFileSync(join(inject("pgliteCacheDir"), `empty-cluster-pglite-${PGLITE_VERSION}.tar`));
    const pg = await PGlite.create({ loadDataDir: new Blob([tar]) });
    const db = new Kysely<any>({ dialect: new PgliteDialect({ pglite: pg, closeOnDestroy: false }) });
    expect((await sql<{ x: number }>`select 1 as x`.execute(db)).rows).toEqual([{ x: 1 }]);
    await db.destroy();
    expect(pg.closed).toBe(false);
    await pg.close();
  });
});
