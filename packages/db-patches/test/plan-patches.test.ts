import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { assertPatchId, planPatch, planPatches, renderPlanSql } from "../src/planning/plan-patches.js";
import { compareReleaseVersions, parseReleaseVersion } from "../src/planning/release-version.js";
import { thrownBy, tmpDir, writePatches } from "./support/helpers.js";

const codeOf = (fn: () => unknown): string => thrownBy(fn).code;

const enc = (s: string) => new TextEncoder().encode(s);

describe("planning patches", () => {
  it("accepts ids of digits and dash-joined lower-case words only", () => {
    for (const id of ["1", "42", "007-x", "12-add-users", "3-a1-b2"]) expect(() => assertPatchId(id)).not.toThrow();
    for (const id of ["", "a", "1-", "1--a", "1-A", "1_a", "1-a b", "../1", "1/2", "1-é"])
      expect(codeOf(() => assertPatchId(id))).toBe("DB_INVALID_PATCH_ID");
  });

  it("orders files lexicographically, skips README.md and checksums each file", () => {
    const dir = writePatches(tmpDir("plan1"), {
      "1-x": {
        "b.sql": "select 2;",
        "README.md": "doc",
        "a.sql": "select 1;\nselect 11;",
        "10.ts": "export default async () => {};",
      },
    });
    const plan = planPatches(dir, ["1-x"]);
    const p = plan.patches[0]!;
    expect(p.files.map((f) => [f.name, f.kind])).toEqual([
      ["10.ts", "module"],
      ["a.sql", "sql"],
      ["b.sql", "sql"],
    ]);
    expect(p.files[1]!.kind === "sql" && p.files[1]!.statements.map((s) => s.line)).toEqual([1, 2]);
    expect(p.checksum).toMatch(/^[0-9a-f]{64}$/);
    // The checksum covers names and contents.
    const same = planPatch({
      id: "1-x",
      dir: "/elsewhere",
      files: [
        { name: "a.sql", bytes: enc("select 1;\nselect 11;") },
        { name: "b.sql", bytes: enc("select 2;") },
        { name: "10.ts", bytes: enc("export default async () => {};") },
      ],
    });
    expect(same.checksum).toBe(p.checksum);
    const renamed = planPatch({
      id: "1-x",
      dir: "/x",
      files: [
        { name: "a2.sql", bytes: enc("select 1;\nselect 11;") },
        { name: "b.sql", bytes: enc("select 2;") },
        { name: "10.ts", bytes: enc("export default async () => {};") },
      ],
    });
    expect(renamed.checksum).not.toBe(p.checksum);
  });

  it("rejects unexpected entries, missing patches and duplicates", () => {
    const root = tmpDir("plan2");
    const dir = writePatches(root, {
      "1-a": { "a.sql": "select 1;", "notes.txt": "x" },
      "2-b": { "x.d.ts": "export {};" },
    });
    mkdirSync(join(dir, "3-c", "sub"), { recursive: true });
    writeFileSync(join(dir, "3-c", "a.sql"), "select 1;");
    expect(codeOf(() => planPatches(dir, ["1-a"]))).toBe("DB_UNEXPECTED_FILE");
    expect(codeOf(() => planPatches(dir, ["2-b"]))).toBe("DB_UNEXPECTED_FILE");
    expect(codeOf(() => planPatches(dir, ["3-c"]))).toBe("DB_UNEXPECTED_FILE");
    expect(codeOf(() => planPatches(dir, ["9-missing"]))).toBe("DB_PATCH_NOT_FOUND");
    expect(codeOf(() => planPatches(dir, ["Bad"]))).toBe("DB_INVALID_PATCH_ID");
    const ok = writePatches(root, { "4-d": { "a.sql": "select 1;" } });
    expect(codeOf(() => planPatches(ok, ["4-d", "4-d"]))).toBe("DB_INVALID_OPTIONS");
  });

  it("rejects transaction control and COPY FROM STDIN, naming file and line", () => {
    const plan = (sql: string) => planPatch({ id: "1", dir: "/p/1", files: [{ name: "a.sql", bytes: enc(sql) }] });
    for (const s of ["begin;", "select 1;\nCOMMIT;", "start transaction;", "rollback;", "end;", "abort;"]) {
      expect(codeOf(() => plan(s))).toBe("DB_PATCH_TRANSACTION_CONTROL");
    }
    expect(thrownBy(() => plan("select 1;\n\ncommit;")).data).toMatchObject({ patch: "1", file: "a.sql", line: 3 });
    expect(() => plan("savepoint a;\nrollback to savepoint a;\nrelease savepoint a;")).not.toThrow();
    expect(() => plan("create function f() returns void language plpgsql as $$ begin commit; end $$;")).not.toThrow();
    expect(codeOf(() => plan("copy t (x) from stdin;"))).toBe("DB_UNSUPPORTED_SQL");
    expect(() => plan("copy t to stdout;")).not.toThrow();
  });

  it("renders the plan as SQL for --dry-run", () => {
    const p = planPatch({
      id: "7-x",
      dir: "/p",
      files: [
        {
          name: "a.sql",
          bytes: enc("create table t (x int);\n-- git-prolly: no-transaction\ncreate index concurrently i on t (x);"),
        },
        { name: "b.mjs", bytes: enc("export default async () => {};") },
      ],
    });
    const text = renderPlanSql({ patches: [p] });
    expect(text).toContain("-- patch 7-x");
    expect(text).toContain("BEGIN;\n-- 7-x/a.sql:1\ncreate table t (x int);");
    expect(text).toContain(
      "-- 7-x/a.sql:3\n-- git-prolly: no-transaction (runs alone, outside the transaction)\ncreate index concurrently i on t (x);",
    );
    expect(text).toContain("-- 7-x/b.mjs: runs the module's default export with the transaction");
    expect(renderPlanSql({ patches: [p, p] }, { transaction: "release" }).match(/BEGIN;/g)).toHaveLength(1);
  });
});

describe("release versions", () => {
  it("parses X.Y.Z and pre-releases into a canonical form", () => {
    expect(parseReleaseVersion("1.2.3")).toMatchObject({
      major: 1,
      minor: 2,
      patch: 3,
      preRelease: "",
      preReleaseNum: 0,
      text: "1.2.3",
    });
    expect(parseReleaseVersion("1.2.3-rc.2").text).toBe("1.2.3-rc2");
    expect(parseReleaseVersion("0.0.0").text).toBe("0.0.0");
    for (const bad of ["1.2", "01.2.3", "1.2.3-rc0", "1.2.3-rc", "v1.2.3", "1.2.3-beta-1", ""]) {
      expect(codeOf(() => parseReleaseVersion(bad))).toBe("DB_INVALID_VERSION");
    }
  });

  it("orders alpha < beta < rc < production, numerically", () => {
    const list = ["1.10.0", "1.2.0", "1.2.0-rc10", "1.2.0-rc2", "1.2.0-alpha1", "1.2.0-beta1", "0.9.9"].map(
      parseReleaseVersion,
    );
    expect(list.sort(compareReleaseVersions).map((v) => v.text)).toEqual([
      "0.9.9",
      "1.2.0-alpha1",
      "1.2.0-beta1",
      "1.2.0-rc2",
      "1.2.0-rc10",
      "1.2.0",
      "1.10.0",
    ]);
  });
});
