import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, git, ok, useDataset } from "./support/cli.js";

describe("data commands", () => {
  const ds = useDataset("each");

  it("init, set, get, status, commit and log work as the seed writes them", async () => {
    ok(await cli(ds.data, ["set", "app:name", "MyApp"]));
    ok(await cli(ds.data, ["set", "app:version", "1.0.0"]));
    expect(ok(await cli(ds.data, ["status"]))).toContain("added:     app:name");
    const status = JSON.parse(ok(await cli(ds.data, ["status", "--json"])));
    expect(status).toMatchObject({
      dataset: "config",
      branch: "main",
      changes: [
        { key: "app:name", change: "added" },
        { key: "app:version", change: "added" },
      ],
    });
    expect(ok(await cli(ds.data, ["commit", "-m", "Initial app configuration"]))).toMatch(
      /^\[main [0-9a-f]{7}\] Initial app configuration\n$/,
    );
    expect(ok(await cli(ds.data, ["get", "app:name"]))).toBe("MyApp\n");
    expect(git(ds.repo, ["log", "--format=%s", "-1"])).toBe("Initial app configuration");
    const log = JSON.parse(ok(await cli(ds.data, ["log", "--json"])));
    expect(log.map((c: { subject: string }) => c.subject)).toEqual([
      "Initial app configuration",
      "Initialize git-prolly dataset in config",
    ]);
    expect(ok(await cli(ds.data, ["log", "--oneline", "--limit", "1"]))).toMatch(
      /^[0-9a-f]{7} Initial app configuration\n$/,
    );
  });

  it("get sees staged values (fast path) and --ref reads committed ones", async () => {
    ok(await cli(ds.data, ["set", "k", "one"]));
    ok(await cli(ds.data, ["commit", "-m", "one"]));
    ok(await cli(ds.data, ["set", "k", "two"]));
    expect(ok(await cli(ds.data, ["get", "k"]))).toBe("two\n");
    expect(ok(await cli(ds.data, ["get", "k", "--ref", "HEAD"]))).toBe("one\n");
    expect(JSON.parse(ok(await cli(ds.data, ["get", "k", "--ref=HEAD", "--json"])))).toEqual({
      key: "k",
      value: "one",
      ref: "HEAD",
    });
    // From a sub-directory of the dataset, and through -C from elsewhere.
    expect(ok(await cli(ds.repo, ["-C", "config", "get", "k"]))).toBe("two\n");
  });

  it("set reads the value from --file and from stdin", async () => {
    writeFileSync(join(ds.dir, "logo.svg"), "<svg/>\n");
    ok(await cli(ds.data, ["set", "app:logo", "--file", join(ds.dir, "logo.svg")]));
    ok(await cli(ds.data, ["set", "api:token", "-"], { input: "s3cret" }));
    expect(ok(await cli(ds.data, ["get", "app:logo"]))).toBe("<svg/>\n\n");
    expect(ok(await cli(ds.data, ["get", "api:token"]))).toBe("s3cret\n");
    const both = await cli(ds.data, ["set", "k", "v", "--file", "x"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^error: give the value as an argument or with --file, not both\nhint: /);
  });

  it("JSON output keeps quotes, newlines and non-ASCII in keys and values", async () => {
    const key = 'quote"d\nkey ✓';
    const value = 'line1\nline2 "q" — ünïcødé';
    ok(await cli(ds.data, ["set", key, value]));
    ok(await cli(ds.data, ["commit", "-m", "odd"]));
    expect(JSON.parse(ok(await cli(ds.data, ["get", key, "--json"])))).toEqual({ key, value });
    expect(JSON.parse(ok(await cli(ds.data, ["list", "--values", "--json"])))).toEqual([{ key, value }]);
    const diff = JSON.parse(ok(await cli(ds.data, ["diff", "HEAD~1", "HEAD", "--format", "json"])));
    expect(diff.changes).toEqual([{ key, change: "added", before: null, after: value }]);
  });

  it("output for people keeps one entry on one line: control characters are escaped, never sent raw", async () => {
    const key = "multi\nline";
    const value = "red \u001b[31m\ttab\nend";
    ok(await cli(ds.data, ["set", key, value]));
    ok(await cli(ds.data, ["set", "plain", "text ✓"]));
    expect(ok(await cli(ds.data, ["status"]))).toContain('added:     "multi\\nline"\n');
    ok(await cli(ds.data, ["commit", "-m", "odd"]));
    const list = ok(await cli(ds.data, ["list", "--values"]));
    expect(list).toBe('"multi\\nline" = "red \\u001b[31m\\ttab\\nend"\nplain = text ✓\n');
    expect(list).not.toContain("\u001b");
    const diff = ok(await cli(ds.data, ["diff", "HEAD~1", "HEAD"]));
    expect(diff.trimEnd().split("\n")).toHaveLength(2);
    expect(diff).not.toContain("\u001b[31m");
    expect(ok(await cli(ds.data, ["get", key]))).toBe(`${value}\n`); // get prints the value itself
  });

  it("list filters by prefix, prints values and reads other refs", async () => {
    for (const [k, v] of [
      ["db:host", "h"],
      ["db:port", "5432"],
      ["ui:theme", "dark"],
    ])
      ok(await cli(ds.data, ["set", k!, v!]));
    ok(await cli(ds.data, ["commit", "-m", "c"]));
    ok(await cli(ds.data, ["set", "db:user", "u"]));
    expect(ok(await cli(ds.data, ["list"]))).toBe("db:host\ndb:port\ndb:user\nui:theme\n");
    expect(ok(await cli(ds.data, ["list", "--prefix", "db:", "--values"]))).toBe(
      "db:host = h\ndb:port = 5432\ndb:user = u\n",
    );
    expect(ok(await cli(ds.data, ["list", "--ref", "HEAD", "--prefix", "db:"]))).toBe("db:host\ndb:port\n");
  });

  it("delete stages a deletion; deleting an absent key warns and succeeds (the seed's migration deletes a key it never set)", async () => {
    ok(await cli(ds.data, ["set", "schema:legacy_fields", "a,b"]));
    ok(await cli(ds.data, ["commit", "-m", "legacy"]));
    ok(await cli(ds.data, ["delete", "schema:legacy_fields"]));
    const status = JSON.parse(ok(await cli(ds.data, ["status", "--json"])));
    expect(status.changes).toEqual([{ key: "schema:legacy_fields", change: "deleted" }]);
    ok(await cli(ds.data, ["commit", "-m", "drop"]));
    const again = await cli(ds.data, ["delete", "schema:legacy_fields"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('warning: key "schema:legacy_fields" is not in the dataset; nothing to delete\n');
    expect(JSON.parse(ok(await cli(ds.data, ["delete", "nope", "--json"])))).toEqual({ key: "nope", deleted: false });
  });

  it("commit with nothing staged says so and exits 0 (the seed commits after a merge)", async () => {
    const r = await cli(ds.data, ["commit", "-m", "nothing"]);
    expect(r).toMatchObject({ code: 0, stdout: "nothing to commit (the dataset has no staged changes)\n" });
    expect(JSON.parse(ok(await cli(ds.data, ["commit", "-m", "nothing", "--json"])))).toEqual({ committed: false });
  });

  it("commit commits only the dataset: other staged files stay staged", async () => {
    writeFileSync(join(ds.repo, "README.md"), "hello\n");
    git(ds.repo, ["add", "README.md"]);
    ok(await cli(ds.data, ["set", "k", "v"]));
    ok(await cli(ds.data, ["commit", "-m", "data only"]));
    expect(git(ds.repo, ["show", "--name-only", "--format=", "HEAD"])).not.toContain("README.md");
    expect(git(ds.repo, ["diff", "--cached", "--name-only"])).toBe("README.md");
  });

  it("show prints a commit and its key changes", async () => {
    ok(await cli(ds.data, ["set", "a", "1"]));
    ok(await cli(ds.data, ["commit", "-m", "first"]));
    ok(await cli(ds.data, ["set", "a", "2"]));
    ok(await cli(ds.data, ["set", "b", "x"]));
    ok(await cli(ds.data, ["commit", "-m", "second"]));
    const out = ok(await cli(ds.data, ["show"]));
    expect(out).toMatch(/^commit [0-9a-f]{40}\nAuthor: Test <test@example.com>\n/);
    expect(out).toContain("    second\n\n~ a = 2 (was 1)\n+ b = x\n");
    const json = JSON.parse(ok(await cli(ds.data, ["show", "HEAD~1", "--json"])));
    expect(json.commit.subject).toBe("first");
    expect(json.changes).toEqual([{ key: "a", change: "added", before: null, after: "1" }]);
  });

  it("log --key lists the commits that changed a key with its value after each", async () => {
    for (const v of ["h1", "h2"]) {
      ok(await cli(ds.data, ["set", "db:host", v]));
      ok(await cli(ds.data, ["set", "other", v]));
      ok(await cli(ds.data, ["commit", "-m", `host ${v}`]));
    }
    ok(await cli(ds.data, ["set", "other", "z"]));
    ok(await cli(ds.data, ["commit", "-m", "other only"]));
    const history = JSON.parse(ok(await cli(ds.data, ["log", "--key", "db:host", "--json"])));
    expect(history.map((h: { commit: { subject: string }; value: string }) => [h.commit.subject, h.value])).toEqual([
      ["host h2", "h2"],
      ["host h1", "h1"],
    ]);
    expect(ok(await cli(ds.data, ["log", "--key", "db:host", "--oneline"]))).toMatch(
      /^[0-9a-f]{7} host h2 {2}db:host = h2\n[0-9a-f]{7} host h1 {2}db:host = h1\n$/,
    );
  });
});
