import { describe, expect, it } from "vitest";

import { lineOfPosition, splitSql } from "../src/planning/split-sql.js";
import { thrownBy } from "./support/helpers.js";

const sqls = (src: string): string[] => splitSql(src).statements.map((s) => s.sql);

function expectError(fn: () => unknown, code: string, line: number): void {
  const e = thrownBy(fn);
  expect(e.code).toBe(code);
  expect(e.data["line"]).toBe(line);
}

describe("splitSql", () => {
  it("splits at top-level semicolons and reports the line of each first token", () => {
    const { statements } = splitSql("create table a(x int);\n\n  insert into a values (1);\nselect 1");
    expect(statements.map((s) => [s.sql, s.line])).toEqual([
      ["create table a(x int)", 1],
      ["insert into a values (1)", 3],
      ["select 1", 4],
    ]);
    expect(statements[1]?.words).toEqual(["INSERT", "INTO", "A"]);
  });

  it("skips empty statements and comment-only tails", () => {
    expect(sqls(";;select 1;; -- done\n/* bye */\n")).toEqual(["select 1"]);
    expect(sqls("   \n-- nothing\n")).toEqual([]);
  });

  it("keeps semicolons inside standard strings, with '' escapes and backslashes as plain characters", () => {
    expect(sqls("select 'a;b''c;';select 'x\\';select 2")).toEqual(["select 'a;b''c;'", "select 'x\\'", "select 2"]);
  });

  it("honours backslash escapes in E'' strings only", () => {
    expect(sqls("select E'it\\'s; ok\\\\';select e'\\';';select 3")).toEqual([
      "select E'it\\'s; ok\\\\'",
      "select e'\\';'",
      "select 3",
    ]);
    // A word ending in e is not an E prefix: 'some' then a standard string.
    expect(sqls("select some'x\\';select 4")).toEqual(["select some'x\\'", "select 4"]);
  });

  it('keeps semicolons inside quoted identifiers with "" escapes', () => {
    expect(sqls('create table "a;""b"(x int);select 1')).toEqual(['create table "a;""b"(x int)', "select 1"]);
  });

  it("keeps dollar-quoted bodies whole, with and without tags, and leaves $1 alone", () => {
    const src = [
      "create function f() returns int language plpgsql as $$ begin return 1; end $$;",
      "create function g() returns text language plpgsql as $body$ begin return $x$;$x$; end; $body$;",
      "prepare p(int) as select $1;",
      "select a$b from (select 1 as a$b) t",
    ].join("\n");
    expect(sqls(src)).toEqual([
      "create function f() returns int language plpgsql as $$ begin return 1; end $$",
      "create function g() returns text language plpgsql as $body$ begin return $x$;$x$; end; $body$",
      "prepare p(int) as select $1",
      "select a$b from (select 1 as a$b) t",
    ]);
  });

  it("counts lines inside strings, identifiers, comments and dollar quotes", () => {
    const src = "select 'a\nb';\n/* x\ny */ select $$\n\n$$;\nselect \"q\nr\";\nselect E'\\\n';\nselect 9;";
    expect(splitSql(src).statements.map((s) => s.line)).toEqual([1, 4, 7, 9, 11]);
  });

  it("ignores semicolons and quotes in line comments and nested block comments", () => {
    const src = "select 1 -- it's; fine\n;/* outer /* inner; ' */ still; \" comment */select 2;";
    expect(sqls(src)).toEqual(["select 1 -- it's; fine", "select 2"]);
  });

  it("keeps semicolons inside parentheses (rules with several actions)", () => {
    const src =
      "create rule r as on insert to t do also (insert into a values (1); insert into b values (2));select 1;";
    expect(sqls(src)).toEqual([
      "create rule r as on insert to t do also (insert into a values (1); insert into b values (2))",
      "select 1",
    ]);
  });

  it("keeps SQL-standard BEGIN ATOMIC bodies whole, CASE … END included", () => {
    const src = [
      "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql",
      "BEGIN ATOMIC",
      "  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;",
      "  SELECT x + 1;",
      "END;",
      "create procedure p() language sql begin atomic insert into t values (1); end;",
      "select 'begin';",
      "select case when true then 1 end;",
    ].join("\n");
    const out = splitSql(src).statements;
    expect(out.map((s) => s.line)).toEqual([1, 6, 7, 8]);
    expect(out[0]?.sql.endsWith("END")).toBe(true);
    expect(out[1]?.sql).toBe("create procedure p() language sql begin atomic insert into t values (1); end");
  });

  it("does not treat BEGIN/END as a block outside routine definitions", () => {
    expect(sqls("begin;select 1;end;")).toEqual(["begin", "select 1", "end"]);
  });

  it("reads the no-transaction marker for the whole file in the header", () => {
    const out = splitSql("-- a header\n-- git-prolly: no-transaction\ncreate index concurrently i on t(x);\nselect 1;");
    expect(out.noTransaction).toBe(true);
    expect(out.statements.every((s) => s.noTransaction)).toBe(true);
  });

  it("reads the no-transaction marker for the next statement only after the header", () => {
    const out = splitSql(
      "select 1;\n--   GIT-PROLLY:  no-transaction  \ncreate index concurrently i on t(x);\nselect 2;",
    );
    expect(out.noTransaction).toBe(false);
    expect(out.statements.map((s) => s.noTransaction)).toEqual([false, true, false]);
  });

  it("does not read the marker inside a statement or a string", () => {
    const out = splitSql(
      "select 1;\nselect\n-- git-prolly: no-transaction\n2;\nselect '-- git-prolly: no-transaction';",
    );
    expect(out.statements.map((s) => s.noTransaction)).toEqual([false, false, false]);
  });

  it("fails on unterminated constructs, naming the opening line", () => {
    expectError(() => splitSql("select 1;\nselect 'abc;\n"), "DB_SQL_UNTERMINATED", 2);
    expectError(() => splitSql("select E'abc\\';"), "DB_SQL_UNTERMINATED", 1);
    expectError(() => splitSql('\n\nselect "abc;'), "DB_SQL_UNTERMINATED", 3);
    expectError(() => splitSql("select 1; /* a /* b */ c;"), "DB_SQL_UNTERMINATED", 1);
    expectError(() => splitSql("\ncreate function f() as $fn$ select 1; $$;"), "DB_SQL_UNTERMINATED", 2);
  });

  it("rejects psql meta-commands with their line", () => {
    expectError(() => splitSql("select 1;\n\\set x 1\nselect 2;"), "DB_UNSUPPORTED_SQL", 2);
  });

  it("handles non-ASCII identifiers and text", () => {
    expect(sqls("create table \"été\"(ünï text default 'ça;va');select 1")).toEqual([
      "create table \"été\"(ünï text default 'ça;va')",
      "select 1",
    ]);
  });

  it("maps a server error position to the line in the file", () => {
    const st = splitSql("\n\nselect 1,\n  2,\n  nope\nfrom t;").statements[0]!;
    expect(st.line).toBe(3);
    expect(lineOfPosition(st, 1)).toBe(3);
    expect(lineOfPosition(st, st.sql.indexOf("nope") + 1)).toBe(5);
  });

  it("round-trips generated files: joining statements and splitting gives them back", () => {
    const pieces = [
      "select 'x;y'",
      "select E'a\\'b;'",
      'select "we;ird"',
      "select $q$ ; $q$",
      "select 1 /* ; /* ; */ ; */",
      "select (1);",
      "create function f() returns int language sql begin atomic select 1; select 2; end",
      "select $$\n;\n$$",
    ];
    let seed = 7;
    const rand = (k: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % k;
    };
    for (let round = 0; round < 200; round++) {
      const chosen = Array.from({ length: 1 + rand(8) }, () => pieces[rand(pieces.length)]!.replace(/;$/, ""));
      const sep = ["; ", ";\n", ";\n-- c;\n", ";/* ; */"][rand(4)]!;
      expect(sqls(chosen.join(sep))).toEqual(chosen);
    }
  });
});
