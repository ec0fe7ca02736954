import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { applyPlan } from "../src/applying/apply-plan.js";
import { checkAppliedPatches } from "../src/applying/check-applied-patches.js";
import { detectDrift, diffSchemas } from "../src/models/detect-drift.js";
import { dumpSchema, normalizeSchemaDump } from "../src/models/dump-schema.js";
import { dumpMetadata } from "../src/metadata/dump-metadata.js";
import { installMetadata, recordRelease } from "../src/metadata/metadata.js";
import { openDatabase } from "../src/connection/open-database.js";
import { planPatches } from "../src/planning/plan-patches.js";
import { Backend, BACKENDS, tmpDir, writePatches } from "./support/helpers.js";

const PROJECT = "shop";

describe("normalizeSchemaDump", () => {
  it("drops version banners, \\restrict lines and SET transaction_timeout, and fixes whitespace", () => {
    const raw = [
      "--",
      "-- PostgreSQL database dump",
      "--",
      "\\restrict Zx8qW1",
      "",
      "-- Dumped from database version 15.18",
      "-- Dumped by pg_dump version 15.18",
      "",
      "SET statement_timeout = 0;   ",
      "SET transaction_timeout = 0;",
      "",
      "",
      "",
      "",
      "CREATE TABLE public.t (x integer);\r",
      "\\unrestrict Zx8qW1",
      "",
      "",
    ].join("\n");
    expect(normalizeSchemaDump(raw)).toBe(
      [
        "--",
        "-- PostgreSQL database dump",
        "--",
        "",
        "",
        "SET statement_timeout = 0;",
        "",
        "",
        "CREATE TABLE public.t (x integer);",
        "",
      ].join("\n"),
    );
    expect(normalizeSchemaDump(normalizeSchemaDump(raw))).toBe(normalizeSchemaDump(raw));
  });

  it("diffs dumps line by line", () => {
    const a = "a\nb\nc\nd\n";
    const b = "a\nb\nX\nd\ne\n";
    const r = diffSchemas(a, b);
    expect(r).toMatchObject({ drifted: true, added: ["X", "e"], removed: ["c"] });
    expect(r.diff).toContain("-c\n+X");
    expect(diffSchemas(a, a)).toEqual({ drifted: false, added: [], removed: [], diff: "" });
  });
});

describe.each(BACKENDS)("schema dumps, drift and checksums on %s", (kind) => {
  const one = new Backend(kind, "drift-a");
  const two = new Backend(kind, "drift-b");
  const root = tmpDir(`drift-${kind}`);
  const patches = writePatches(root, {
    "1-base": {
      "01.sql": [
        "create schema audit;",
        "create type audit.level as enum ('info', 'warn');",
        "create table audit.log (id bigserial primary key, level audit.level not null, body jsonb, at timestamptz default now());",
        "create table customers (id int generated always as identity primary key, name text not null, tags text[] default '{}');",
        "create index customers_name on customers (name);",
        "create view named as select id, upper(name) as name from customers;",
        "create function audit.touch(x int) returns int language sql immutable as $$ select x + 1 $$;",
        "comment on table customers is 'people; who pay';",
      ].join("\n"),
    },
  });
  beforeEach(async () => {
    await one.reset();
    await two.reset();
  });
  afterAll(async () => {
    await one.dispose();
    await two.dispose();
  });

  it("dumps one schema byte-identically, twice and from two databases, without git_prolly", async () => {
    const plan = planPatches(patches, ["1-base"]);
    const a = await one.handle();
    const b = await two.handle();
    await applyPlan(a, plan, { project: PROJECT });
    await applyPlan(b, plan, { project: PROJECT });
    const d1 = await dumpSchema(a);
    expect(await dumpSchema(a)).toBe(d1);
    expect(await dumpSchema(b)).toBe(d1);
    expect(d1).toContain("CREATE TABLE audit.log");
    expect(d1).toContain("CREATE VIEW public.named");
    expect(d1).not.toMatch(/git_prolly/);
    expect(d1).not.toMatch(/^\\(un)?restrict/m);
    expect(d1).not.toMatch(/Dumped (from|by)/);
    // The session is usable afterwards (PGlite shares its only session with pg_dump).
    await sql`insert into customers (name) values ('x')`.execute(a.db);
    expect((await sql<{ n: string }>`select count(*) as n from named`.execute(a.db)).rows[0]?.n).toBe("1");
  });

  it("reports no drift against its own dump, and the change made by hand", async () => {
    const a = await one.handle();
    await applyPlan(a, planPatches(patches, ["1-base"]), { project: PROJECT });
    const expected = await dumpSchema(a);
    expect((await detectDrift(a, expected)).drifted).toBe(false);
    await sql`alter table customers add column email text`.execute(a.db);
    await sql`drop index customers_name`.execute(a.db);
    const r = await detectDrift(a, expected);
    expect(r.drifted).toBe(true);
    expect(r.added.join("\n")).toContain("email text");
    expect(r.removed.join("\n")).toContain("CREATE INDEX customers_name");
  });

  it("reports patches whose files changed or vanished after they were applied", async () => {
    const dir = writePatches(tmpDir(`check-${kind}`), {
      "1-a": { "01.sql": "create table ca (x int);", "02.sql": "create table cb (x int);" },
      "2-b": { "01.sql": "create table cc (x int);" },
      "3-c": { "01.sql": "create table cd (x int);" },
    });
    const a = await one.handle();
    await applyPlan(a, planPatches(dir, ["1-a", "2-b", "3-c"]), { project: PROJECT });
    expect(await checkAppliedPatches(a, dir)).toEqual({ ok: true, checked: 3, mismatches: [] });
    writeFileSync(join(dir, "1-a", "02.sql"), "create table cb (x int, y int);");
    writeFileSync(join(dir, "1-a", "03.sql"), "select 1;");
    rmSync(join(dir, "2-b"), { recursive: true });
    const r = await checkAppliedPatches(a, dir);
    expect(r.ok).toBe(false);
    expect(r.mismatches).toEqual([
      { id: "1-a", status: "changed", files: ["02.sql", "03.sql"] },
      { id: "2-b", status: "missing", files: ["01.sql"] },
    ]);
  });

  it("dumps the metadata deterministically, without the production flag", async () => {
    const a = await one.handle();
    await installMetadata(a, { project: PROJECT, production: true });
    await applyPlan(a, planPatches(patches, ["1-base"]), { project: PROJECT });
    await recordRelease(a, {
      project: PROJECT,
      version: "2.0.0-rc1",
      changelog: "it's",
      releasedAt: new Date("2026-01-02T03:04:05.678Z"),
    });
    const m = await dumpMetadata(a, PROJECT);
    expect(m).toBe(await dumpMetadata(a, PROJECT));
    expect(m).toContain(
      "INSERT INTO git_prolly.release (major, minor, patch, pre_release, pre_release_num, version, released_at, changelog, commit) VALUES ('2'::integer, '0'::integer, '0'::integer, 'rc', '1'::integer, '2.0.0-rc1', '2026-01-02T03:04:05.678000Z'::timestamptz, 'it''s', NULL);",
    );
    expect(m).not.toMatch(/production/);
    expect(m).toMatch(
      /INSERT INTO git_prolly.applied_patch_file \(patch_id, file_name, sha256\) VALUES \('1-base', '01.sql', '[0-9a-f]{64}'\);/,
    );
  });
});

describe("installMetadata", () => {
  const b = new Backend("server", "meta");
  afterAll(async () => b.dispose());

  it("is idempotent and refuses another project's database", async () => {
    const h = await b.handle();
    expect(await installMetadata(h, { project: PROJECT })).toEqual({
      project: PROJECT,
      production: false,
      metadataVersion: 1,
    });
    expect(await installMetadata(h, { project: PROJECT })).toEqual({
      project: PROJECT,
      production: false,
      metadataVersion: 1,
    });
    await expect(installMetadata(h, { project: "other" })).rejects.toMatchObject({ code: "DB_METADATA_INCOMPATIBLE" });
    await expect(recordRelease(h, { project: PROJECT, version: "1.0" })).rejects.toMatchObject({
      code: "DB_INVALID_VERSION",
    });
    await recordRelease(h, { project: PROJECT, version: "1.0.0" });
    await expect(recordRelease(h, { project: PROJECT, version: "1.0.0" })).rejects.toMatchObject({
      code: "DB_RELEASE_EXISTS",
    });
    const fresh = await openDatabase(await b.options());
    try {
      await sql`drop schema git_prolly cascade`.execute(fresh.db);
      await expect(recordRelease(fresh, { project: PROJECT, version: "1.0.1" })).rejects.toMatchObject({
        code: "DB_METADATA_MISSING",
      });
    } finally {
      await fresh.close();
    }
  });
});
