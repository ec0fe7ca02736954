// Bad input, table-driven, through the built binary: every invocation prints `error: …` and a
// `hint: …` on stderr, exits with the documented code (apps/cli/README.md, "Errors and exit
// codes"), prints no stack trace, and leaves the repository exactly as it was (status, refs,
// object count, stash, git-prolly's own state under .git/prolly) — and `git fsck` passes.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSeedBlock } from "./support/monorepo.js";
import { Sandbox, describe as describeRun } from "./support/sandbox.js";

/** Exit codes as documented (apps/cli/src/lib/exit-codes.ts). */
const EXIT = {
  FAILURE: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  NOT_A_DATASET: 5,
  UNCOMMITTED: 7,
  INTEGRITY: 8,
} as const;

interface Case {
  /** What is wrong. */
  name: string;
  /** git-prolly's arguments. */
  args: string[];
  /** Where it runs (relative to the sandbox); default the config dataset. */
  cwd?: string;
  /** The documented exit code. */
  exit: number;
  /** Something the error line must say (usually the offending name). */
  says?: RegExp;
  /** What stdout must show (default: nothing). */
  stdout?: RegExp;
  /** Run through `git prolly …` instead of `git-prolly …`. */
  viaGit?: boolean;
  /** Stdin. */
  input?: string;
  /** Runs before the snapshot; undone by `teardown`. */
  setup?: (sb: Sandbox) => void;
  teardown?: (sb: Sandbox) => void;
}

const CASES: Case[] = [
  { name: "unknown command", args: ["frobnicate"], exit: EXIT.USAGE, says: /frobnicate/ },
  { name: "unknown command through git", args: ["frobnicate"], viaGit: true, exit: EXIT.USAGE, says: /frobnicate/ },
  { name: "unknown flag", args: ["get", "--bogus", "app:name"], exit: EXIT.USAGE, says: /bogus/ },
  { name: "get without a key", args: ["get"], exit: EXIT.USAGE },
  { name: "set without arguments", args: ["set"], exit: EXIT.USAGE },
  { name: "set an empty key", args: ["set", "", "value"], exit: EXIT.USAGE },
  {
    name: "set --file of a missing file",
    args: ["set", "note", "--file", "missing.txt"],
    exit: EXIT.USAGE,
    says: /missing\.txt/,
  },
  { name: "get a key that does not exist", args: ["get", "missing:key"], exit: EXIT.NOT_FOUND, says: /missing:key/ },
  {
    name: "get a missing key through git prolly",
    args: ["get", "missing:key"],
    viaGit: true,
    exit: EXIT.NOT_FOUND,
    says: /missing:key/,
  },
  { name: "get at an unknown ref", args: ["get", "app:name", "--ref", "nosuch"], exit: EXIT.NOT_FOUND, says: /nosuch/ },
  {
    name: "get at an unknown tag",
    args: ["get", "app:name", "--ref", "v9.9.9"],
    exit: EXIT.NOT_FOUND,
    says: /v9\.9\.9/,
  },
  { name: "list --prefix without a value", args: ["list", "--prefix"], exit: EXIT.USAGE },
  { name: "checkout without a ref", args: ["checkout"], exit: EXIT.USAGE },
  { name: "checkout of an unknown branch", args: ["checkout", "nosuch"], exit: EXIT.NOT_FOUND, says: /nosuch/ },
  {
    name: "checkout -b with an invalid ref name",
    args: ["checkout", "-b", "bad..name"],
    exit: EXIT.USAGE,
    says: /bad\.\.name/,
  },
  { name: "branch with an invalid ref name", args: ["branch", "bad name"], exit: EXIT.USAGE, says: /bad name/ },
  { name: "branch that exists", args: ["branch", "staging"], exit: EXIT.CONFLICT, says: /staging/ },
  {
    name: "delete a branch that does not exist",
    args: ["branch", "-d", "nosuch"],
    exit: EXIT.NOT_FOUND,
    says: /nosuch/,
  },
  { name: "delete the current branch", args: ["branch", "-d", "main"], exit: EXIT.CONFLICT, says: /main/ },
  { name: "merge of an unknown branch", args: ["merge", "nosuch"], exit: EXIT.NOT_FOUND, says: /nosuch/ },
  {
    name: "merge with conflicting keys (listed key by key)",
    args: ["merge", "conflicting"],
    exit: EXIT.CONFLICT,
    says: /conflict/i,
    stdout: /cache:ttl[\s\S]*90[\s\S]*30/,
  },
  {
    name: "merge with an unknown strategy",
    args: ["merge", "staging", "--strategy", "bogus"],
    exit: EXIT.USAGE,
    says: /bogus/,
  },
  {
    name: "checkout with uncommitted changes",
    args: ["checkout", "staging"],
    exit: EXIT.UNCOMMITTED,
    setup: (sb) => sb.prollyOk(["set", "wip:key", "wip value"], { cwd: "myapp/config" }),
    teardown: (sb) => sb.prollyOk(["delete", "wip:key"], { cwd: "myapp/config" }),
  },
  {
    name: "commit without a message",
    args: ["commit"],
    exit: EXIT.USAGE,
    setup: (sb) => sb.prollyOk(["set", "wip:key", "1"], { cwd: "myapp/config" }),
    teardown: (sb) => sb.prollyOk(["delete", "wip:key"], { cwd: "myapp/config" }),
  },
  { name: "diff without arguments", args: ["diff"], exit: EXIT.USAGE },
  { name: "diff from an unknown ref", args: ["diff", "nosuch", "main"], exit: EXIT.NOT_FOUND, says: /nosuch/ },
  {
    name: "diff in an unknown format",
    args: ["diff", "main", "staging", "--format=yaml"],
    exit: EXIT.USAGE,
    says: /yaml/,
  },
  { name: "log --limit not a number", args: ["log", "--limit", "abc"], exit: EXIT.USAGE },
  { name: "show an unknown ref", args: ["show", "nosuch"], exit: EXIT.NOT_FOUND, says: /nosuch/ },
  { name: "revert an unknown commit", args: ["revert", "nosuch"], exit: EXIT.NOT_FOUND, says: /nosuch/ },
  {
    name: "import a missing file",
    args: ["import", "../../files/missing.json"],
    exit: EXIT.USAGE,
    says: /missing\.json/,
  },
  { name: "import a directory", args: ["import", "../../files"], exit: EXIT.USAGE, says: /files/ },
  {
    name: "import a dangling symlink",
    args: ["import", "../../files/dangling.json"],
    exit: EXIT.USAGE,
    says: /dangling\.json/,
  },
  { name: "import malformed JSON", args: ["import", "../../files/bad.json"], exit: EXIT.USAGE, says: /bad\.json|JSON/ },
  {
    name: "import NDJSON with a bad second line (first line not staged)",
    args: ["import", "../../files/bad.ndjson"],
    exit: EXIT.USAGE,
    says: /line 2|bad\.ndjson/,
  },
  {
    name: "import CSV without key,value columns",
    args: ["import", "../../files/bad.csv"],
    exit: EXIT.USAGE,
    says: /csv|column|bad\.csv/i,
  },
  {
    name: "import a file of unknown format",
    args: ["import", "../../files/data.xyz"],
    exit: EXIT.USAGE,
    says: /xyz|format/,
  },
  {
    name: "import with an unknown --format",
    args: ["import", "../../files/good.json", "--format", "xml"],
    exit: EXIT.USAGE,
    says: /xml/,
  },
  {
    name: "import malformed JSON from stdin",
    args: ["import", "-", "--format", "json"],
    input: "{ not json",
    exit: EXIT.USAGE,
  },
  { name: "export in an unknown format", args: ["export", "--format", "xml"], exit: EXIT.USAGE, says: /xml/ },
  {
    name: "proof at an unknown ref",
    args: ["proof", "app:name", "--ref", "nosuch"],
    exit: EXIT.NOT_FOUND,
    says: /nosuch/,
  },
  {
    name: "verify-proof of a tampered proof",
    args: ["verify-proof", "../../files/tampered-proof.json"],
    exit: EXIT.INTEGRITY,
  },
  {
    name: "verify-proof of a missing file",
    args: ["verify-proof", "../../files/missing-proof.json"],
    exit: EXIT.USAGE,
    says: /missing-proof\.json/,
  },
  {
    name: "get in a directory that is not a dataset",
    args: ["get", "app:name"],
    cwd: "myapp/src",
    exit: EXIT.NOT_A_DATASET,
  },
  { name: "status in a directory that is not a dataset", args: ["status"], cwd: "myapp/src", exit: EXIT.NOT_A_DATASET },
  {
    name: "current-branch at the root of a repository with two datasets",
    args: ["current-branch"],
    cwd: "myapp",
    exit: EXIT.NOT_A_DATASET,
  },
  { name: "get outside any Git repository", args: ["get", "app:name"], cwd: "not-a-repo", exit: EXIT.NOT_A_DATASET },
  { name: "log outside any Git repository", args: ["log"], cwd: "not-a-repo", exit: EXIT.NOT_A_DATASET },
  {
    name: "-C of a missing directory",
    args: ["-C", "/nonexistent/dir", "get", "app:name"],
    exit: EXIT.USAGE,
    says: /nonexistent/,
  },
  { name: "-C without a directory", args: ["-C"], exit: EXIT.USAGE },
  {
    name: "init over a file named root",
    args: ["init"],
    cwd: "myapp/not-a-dataset",
    exit: EXIT.CONFLICT,
    says: /root/,
  },
];

function hashTree(dir: string, base = dir, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const rel = relative(base, p);
    if (rel === "tmp" || rel.startsWith("tmp/") || name.endsWith(".lock")) continue;
    if (statSync(p).isDirectory()) hashTree(p, base, out);
    else out.push(`${rel} ${createHash("sha1").update(readFileSync(p)).digest("hex")}`);
  }
  return out;
}

describe("bad input: clear errors, documented exit codes, nothing changed", { timeout: 400_000 }, () => {
  let sb: Sandbox;
  let app: string;
  const snapshot = () => ({
    status: sb.git(app, "status", "--porcelain", "--untracked-files=all"),
    head: sb.git(app, "symbolic-ref", "HEAD"),
    refs: sb.git(app, "for-each-ref", "--format=%(refname) %(objectname)"),
    objects: sb
      .git(app, "count-objects", "-v")
      .split("\n")
      .filter((l) => /^(count|in-pack|packs):/.test(l))
      .join(" "),
    stash: sb.git(app, "stash", "list"),
    prollyState: hashTree(join(app, ".git", "prolly")),
    configFiles: hashTree(join(app, "config")),
  });

  beforeAll(() => {
    sb = Sandbox.create();
    app = sb.path("myapp");
    runSeedBlock(
      sb,
      `set -e
mkdir myapp && cd myapp && git init -q
mkdir config && (cd config && git-prolly init && git-prolly set app:name "MyApp" && git-prolly set cache:ttl 60 && git-prolly commit -m "Initial")
mkdir user-data && (cd user-data && git-prolly init && git-prolly set schema:version 1 && git-prolly commit -m "Schema")
mkdir src && echo 'fn main() {}' > src/main.rs
mkdir not-a-dataset && echo 'not a prolly root' > not-a-dataset/root
git add . && git commit -q -m "Code"
git branch staging
git checkout -q -b conflicting
(cd config && git-prolly set cache:ttl 30 && git-prolly commit -m "Conflicting ttl")
git checkout -q main
(cd config && git-prolly set cache:ttl 90 && git-prolly commit -m "Main ttl")
`,
      sb.root,
    );
    mkdirSync(sb.path("not-a-repo"));
    sb.write("files/good.json", '{"a":"1"}\n');
    sb.write("files/bad.json", '{"a": "1", "b": \n');
    sb.write("files/bad.ndjson", '{"key":"first","value":"1"}\n{"key": broken\n');
    sb.write("files/bad.csv", "name;count\nx;1\n");
    sb.write("files/data.xyz", "a=1\n");
    symlinkSync(sb.path("files/nowhere.json"), sb.path("files/dangling.json"));
    const proof = JSON.parse(sb.prollyOk(["proof", "app:name"], { cwd: "myapp/config" })) as Record<string, unknown>;
    expect(proof["value"]).toBe("MyApp");
    sb.write("files/tampered-proof.json", JSON.stringify({ ...proof, value: "Evil" }));
    sb.ok("git", ["fsck", "--strict"], { cwd: app });
  }, 120_000);
  afterAll(() => sb?.dispose());

  it("has at least 30 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    c.setup?.(sb);
    try {
      const before = snapshot();
      const r = c.viaGit
        ? sb.run("git", ["prolly", ...c.args], {
            cwd: c.cwd ?? "myapp/config",
            ...(c.input === undefined ? {} : { input: c.input }),
          })
        : sb.prolly(c.args, { cwd: c.cwd ?? "myapp/config", ...(c.input === undefined ? {} : { input: c.input }) });
      const why = describeRun(r);
      expect(r.status, why).toBe(c.exit);
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines[0], why).toMatch(/^error: \S/);
      expect(
        lines.some((l) => /^hint: \S/.test(l)),
        `a hint line\n${why}`,
      ).toBe(true);
      if (c.says) expect(lines[0], why).toMatch(c.says);
      expect(r.stderr, why).not.toMatch(/^\s+at .*[(:]/m);
      expect(r.stderr, why).not.toMatch(/node:internal|\.ts:\d+|\.js:\d+:\d+/);
      if (c.stdout) expect(r.stdout, why).toMatch(c.stdout);
      else expect(r.stdout, why).toBe("");
      expect(snapshot(), `the repository changed\n${why}`).toEqual(before);
    } finally {
      c.teardown?.(sb);
    }
  });

  it("with --json an error is also a JSON document on stdout", () => {
    const r = sb.prolly(["get", "missing:key", "--json"], { cwd: "myapp/config" });
    expect(r.status).toBe(EXIT.NOT_FOUND);
    const doc = JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } };
    expect(doc.error.code).toMatch(/^[A-Z]+_KEY_NOT_FOUND$/);
    expect(doc.error.hint).toMatch(/\S/);
  });

  it("with DEBUG set the stack trace is printed", () => {
    const r = sb.prolly(["get", "missing:key", "--ref", "nosuch"], { cwd: "myapp/config", env: { DEBUG: "1" } });
    expect(r.status).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toMatch(/^\s+at /m);
  });

  it("after all of it, git fsck passes and every value is intact", () => {
    sb.ok("git", ["fsck", "--strict", "--no-dangling"], { cwd: app });
    expect(sb.prollyOk(["get", "cache:ttl"], { cwd: "myapp/config" })).toBe("90\n");
    expect(sb.prollyOk(["get", "schema:version"], { cwd: "myapp/user-data" })).toBe("1\n");
    expect(sb.git(app, "status", "--porcelain")).toBe("");
  });
});
