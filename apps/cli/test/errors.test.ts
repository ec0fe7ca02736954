import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, git, ok, scratch, useDataset } from "./support/cli.js";

describe("errors, exit codes and -C", () => {
  const ds = useDataset("all", async ({ data }) => {
    ok(await cli(data, ["set", "k", "v"]));
    ok(await cli(data, ["commit", "-m", "k"]));
  });

  const oneErrorLine = (stderr: string): void => {
    const lines = stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^error: \S/);
    expect(lines.length).toBeLessThanOrEqual(2);
    if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: \S/);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it.each([
    ["an unknown command", ["frobnicate"], 2, /^error: unknown command 'frobnicate'\nhint: run 'git-prolly --help'/],
    [
      "a missing argument",
      ["get"],
      2,
      /^error: missing 1 required argument: key \(the key\)\nhint: run 'git-prolly get --help' for usage/,
    ],
    [
      "a bad integer",
      ["log", "--limit", "abc"],
      2,
      /^error: --limit: expected an integer .*\nhint: run 'git-prolly log --help'/,
    ],
    ["an unknown flag", ["list", "--bogus"], 2, /^error: nonexistent flag: --bogus/],
    ["a missing key", ["get", "nope"], 3, /^error: key "nope" not found\nhint: list the keys with 'git-prolly list'/],
    ["a missing key at a ref", ["get", "nope", "--ref", "HEAD"], 3, /^error: key "nope" not found at HEAD/],
    ["an unknown ref", ["get", "k", "--ref", "no-such-branch"], 3, /^error: .*no-such-branch/],
    ["an invalid branch name", ["branch", "bad..name"], 2, /^error: /],
    [
      "a bad --strategy",
      ["merge", "main", "--strategy", "both"],
      2,
      /^error: expected --strategy=both to be one of: fail, ours, theirs/,
    ],
  ])("%s: one error line, a hint, no stack, documented exit code", async (_what, args, code, pattern) => {
    const r = await cli(ds.data, args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(pattern);
    expect(r.stdout).toBe("");
    oneErrorLine(r.stderr);
  });

  it("outside a dataset exits 5 and lists nothing on stdout", async () => {
    const r = await cli(ds.repo, ["list"]);
    expect(r.code).toBe(5);
    oneErrorLine(r.stderr);
    const outside = scratch();
    try {
      const r2 = await cli(outside.dir, ["get", "k"]);
      expect(r2.code).toBe(5);
      expect(r2.stderr).toMatch(/^error: .*not inside a Git repository/);
    } finally {
      outside.cleanup();
    }
  });

  it("piped stdin never stands in for a missing argument (only '-' reads it)", async () => {
    const branches = await cli(ds.data, ["branch"], { input: "evil\n" });
    expect(branches.code).toBe(0);
    expect(git(ds.data, ["branch", "--list", "evil"])).toBe("");
    const get = await cli(ds.data, ["get"], { input: "k\n" });
    expect(get.code).toBe(2);
    expect(get.stderr).toMatch(/^error: missing 1 required argument: key/);
    const set = await cli(ds.data, ["set", "piped"], { input: "v\n" });
    expect(set.code).toBe(2);
    expect(set.stderr).toMatch(/^error: missing value/);
    const dev = await cli(ds.data, ["dev", "patch", "new"], { input: "5-from-stdin\n" });
    expect(dev.code).toBe(2);
    expect(dev.stderr).toMatch(/^error: missing 1 required argument: patch_id/);
    ok(await cli(ds.data, ["set", "piped", "-"], { input: "from stdin" }));
    expect(ok(await cli(ds.data, ["get", "piped"]))).toBe("from stdin\n");
    ok(await cli(ds.data, ["delete", "piped"]));
  });

  it("merge with staged changes says to commit first (merge has no --force to point at)", async () => {
    ok(await cli(ds.data, ["branch", "side"]));
    ok(await cli(ds.data, ["set", "staged", "x"]));
    const r = await cli(ds.data, ["merge", "side"]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(
      /^error: cannot merge: dataset .* has uncommitted changes\nhint: Commit them first .* then merge again/,
    );
    expect(r.stderr).not.toContain("force");
    ok(await cli(ds.data, ["delete", "staged"]));
    ok(await cli(ds.data, ["branch", "-d", "side"]));
  });

  it("DEBUG prints the stack under the error", async () => {
    const r = await cli(ds.data, ["get", "nope"], { env: { DEBUG: "1" } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: key "nope" not found\nhint: .*\nCliError: .*\n\s+at /);
  });

  it("--json also prints the error as a document on stdout", async () => {
    const r = await cli(ds.data, ["get", "nope", "--json"]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: "CLI_KEY_NOT_FOUND",
        message: 'key "nope" not found',
        hint: "list the keys with 'git-prolly list'",
        data: { key: "nope", ref: null },
      },
    });
  });

  it("-C works like git -C: before the command, several compose, a bad one exits 2", async () => {
    mkdirSync(join(ds.repo, "src"), { recursive: true });
    expect(ok(await cli(ds.dir, ["-C", "app", "-C", "config", "get", "k"]))).toBe("v\n");
    expect(ok(await cli(ds.dir, ["-Capp/config", "list"]))).toBe("k\n");
    expect(ok(await cli(ds.data, ["-C", "", "get", "k"]))).toBe("v\n");
    const bad = await cli(ds.dir, ["-C", "nowhere", "get", "k"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "error: cannot change to 'nowhere': no such directory\nhint: check the -C path (relative paths compose, as with git -C)\n",
    );
    const missing = await cli(ds.dir, ["-C"]);
    expect(missing.code).toBe(2);
    oneErrorLine(missing.stderr);
  });

  it("NO_COLOR and a pipe print no escape codes", async () => {
    const r = await cli(ds.data, ["log", "--oneline"], { env: { NO_COLOR: "1", FORCE_COLOR: "" } });
    expect(r.stdout).not.toContain("\u001b[");
    const piped = await cli(ds.data, ["log", "--oneline"], { env: { NO_COLOR: "", FORCE_COLOR: "" } });
    expect(piped.stdout).not.toContain("\u001b[");
    const forced = await cli(ds.data, ["log", "--oneline"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001b[33m");
  });

  it("a refused command leaves the repository as it was", async () => {
    const before = git(ds.repo, ["rev-parse", "HEAD"]);
    const status = git(ds.repo, ["status", "--porcelain"]);
    await cli(ds.data, ["set", "", "v"]);
    await cli(ds.data, ["checkout", "no-such"]);
    await cli(ds.data, ["merge", "no-such"]);
    expect(git(ds.repo, ["rev-parse", "HEAD"])).toBe(before);
    expect(git(ds.repo, ["status", "--porcelain"])).toBe(status);
  });
});
