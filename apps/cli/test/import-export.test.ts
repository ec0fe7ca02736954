import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, git, ok, repoWithDataset, scratch, useDataset } from "./support/cli.js";

describe("import and export", () => {
  let files: string;
  const ds = useDataset("each", async ({ dir }) => {
    files = join(dir, "files");
    mkdirSync(files);
  });

  const entries = { "app:name": 'My "App"', "app:notes": "line 1\nline 2, with comma", "ünï:cødé": "✓" };

  it.each([
    ["data.json", JSON.stringify(entries)],
    ["data.json", JSON.stringify(Object.entries(entries).map(([key, value]) => ({ key, value })))],
    [
      "data.ndjson",
      Object.entries(entries)
        .map(([key, value]) => JSON.stringify({ key, value }))
        .join("\n") + "\n",
    ],
    ["data.csv", 'key,value\napp:name,"My ""App"""\napp:notes,"line 1\nline 2, with comma"\nünï:cødé,✓\n'],
  ])("imports %s by extension and exports it back in every format", async (name, content) => {
    writeFileSync(join(files, name), content);
    expect(ok(await cli(ds.data, ["import", join(files, name)]))).toMatch(
      /^Staged 3 entries from .* \((json|ndjson|csv)\)/,
    );
    ok(await cli(ds.data, ["commit", "-m", "import"]));
    expect(JSON.parse(ok(await cli(ds.data, ["export"])))).toEqual(entries);
    for (const format of ["json", "ndjson", "csv"]) {
      const out = join(files, `out.${format}`);
      ok(await cli(ds.data, ["export", out]));
      const other = scratch();
      try {
        const { data: data2 } = await repoWithDataset(other.dir);
        ok(await cli(data2, ["import", out]));
        expect(JSON.parse(ok(await cli(data2, ["export", "--format", "json"])))).toEqual(entries);
      } finally {
        other.cleanup();
      }
    }
  });

  it("imports and exports .env files", async () => {
    writeFileSync(
      join(files, ".env.production"),
      "DB_HOST=prod-db\n# comment\nAPI_URL='https://x/y?a=1'\nMULTI=\"a\\nb\"\n",
    );
    ok(await cli(ds.data, ["import", join(files, ".env.production")]));
    expect(ok(await cli(ds.data, ["get", "MULTI"]))).toBe("a\nb\n");
    ok(await cli(ds.data, ["export", join(files, "out.env")]));
    const other = scratch();
    try {
      const { data: data2 } = await repoWithDataset(other.dir);
      ok(await cli(data2, ["import", join(files, "out.env")]));
      expect(JSON.parse(ok(await cli(data2, ["export"])))).toEqual({
        API_URL: "https://x/y?a=1",
        DB_HOST: "prod-db",
        MULTI: "a\nb",
      });
    } finally {
      other.cleanup();
    }
  });

  it("--prefix, stdin, --format and the last value of a repeated key", async () => {
    ok(
      await cli(ds.data, ["import", "-", "--format", "ndjson", "--prefix", "user:"], {
        input: '{"key":"1","value":"a"}\n{"key":"2","value":"b"}\n{"key":"1","value":"c"}\n',
      }),
    );
    expect(ok(await cli(ds.data, ["list", "--values"]))).toBe("user:1 = c\nuser:2 = b\n");
    expect(ok(await cli(ds.data, ["export", "--format", "ndjson", "--prefix", "user:2"]))).toBe(
      '{"key":"user:2","value":"b"}\n',
    );
  });

  it("binary values survive JSON export and import as {base64}", async () => {
    ok(await cli(ds.data, ["set", "bin", "-"], { input: Buffer.from([0xff, 0x00, 0xfe]) }));
    const doc = JSON.parse(ok(await cli(ds.data, ["export"])));
    expect(doc).toEqual({ bin: { base64: "/wD+" } });
    writeFileSync(join(files, "b.json"), JSON.stringify(doc));
    ok(await cli(ds.data, ["delete", "bin"]));
    ok(await cli(ds.data, ["import", join(files, "b.json")]));
    expect(Buffer.from(ok(await cli(ds.data, ["export", "--format", "ndjson"])))).toEqual(
      Buffer.from('{"key":"bin","value":{"base64":"/wD+"}}\n'),
    );
    const csv = await cli(ds.data, ["export", join(files, "b.csv")]);
    expect(csv.code).toBe(2);
    expect(existsSync(join(files, "b.csv"))).toBe(false);
  });

  it.each([
    ["missing.json", undefined, /^error: cannot read '.*missing.json': no such file/],
    ["bad.json", "{not json", /^error: '.*bad.json' is not valid json: /],
    [
      "bad.ndjson",
      '{"key":"a","value":"1"}\n[1]\n',
      /^error: '.*bad.ndjson' is not valid ndjson: line 2: expected an object with "key" and "value"/,
    ],
    ["bad.csv", "onlyonecolumn\n", /^error: '.*bad.csv' is not valid csv: row 1: expected a key and a value/],
    [
      "data.txt",
      "x",
      /^error: cannot tell the format of '.*data.txt'\nhint: name the file .json, .ndjson, .csv or .env, or pass --format/,
    ],
    ["empty-key.json", '{"": "v", "ok": "1"}', /^error: /],
  ])("refuses %s (exit 2) and stages nothing", async (name, content, pattern) => {
    if (content !== undefined) writeFileSync(join(files, name), content);
    const before = git(ds.repo, ["status", "--porcelain"]);
    const r = await cli(ds.data, ["import", join(files, name)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(git(ds.repo, ["status", "--porcelain"])).toBe(before);
    expect(ok(await cli(ds.data, ["list"]))).toBe("");
  });

  it("an unreadable file (a directory) exits 2", async () => {
    mkdirSync(join(files, "dir.json"));
    const r = await cli(ds.data, ["import", join(files, "dir.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: cannot read '.*dir.json': is a directory/);
    expect(readFileSync(join(ds.repo, ".gitattributes"), "utf8")).toContain("/config/root diff=git-prolly");
  });
});
