/** Lookups below a path in a lazily parsed index, compared with the full parse and with git. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitIndex, type IndexEntry, openGitRepository } from "../src/index.js";
import { indexEntriesUnder, inspectIndexUnder, parseIndex } from "../src/worktree/git-index.js";
import { git, gitInput, removeDir, tempDir } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("index-lookup");
  git(dir, "init", "-q", "-b", "main");
});
afterEach(() => removeDir(dir));

/** Every entry of the index built eagerly (what the lazy parse must agree with). */
function allEntries(index: GitIndex): IndexEntry[] {
  return [...index.entries];
}

function expected(index: GitIndex, path: string): IndexEntry[] {
  return allEntries(index).filter((e) => e.path === path || e.path.startsWith(`${path}/`));
}

const PATHS = [
  "a",
  "data",
  "data-x/file",
  "data.txt",
  "data/prolly.json",
  "data/root/00/aa",
  "data/root/00/bb",
  "data/root/01",
  "data0",
  "data/x-y",
  "datb/z",
  "dat",
  "é/ü",
  `long/${"n".repeat(5000)}`, // name length past the 12 bits of the flags
  "z",
];

function addAll(): void {
  const blob = gitInput(dir, "x\n", "hash-object", "-w", "--stdin");
  // Same-named file and directory entries cannot coexist: `data` goes in under another name set.
  const info = PATHS.filter((p) => p !== "data")
    .map((p) => `100644 ${blob}\t${p}\0`)
    .join("");
  gitInput(dir, info, "update-index", "-z", "--add", "--index-info");
}

describe("lookups below a path in the index", () => {
  it("find exactly the entries at and below a path, in every index version", () => {
    addAll();
    for (const version of ["2", "3", "4"]) {
      git(dir, "update-index", "--index-version", version);
      const buf = readFileSync(join(dir, ".git/index"));
      const lazy = parseIndex(buf);
      const eager = parseIndex(buf); // every entry built (through `entries`)
      expect(allEntries(eager).map((e) => `${e.mode} ${e.id} ${e.stage}\t${e.path}`)).toEqual(
        git(dir, "ls-files", "-s", "-z")
          .split("\0")
          .filter((l) => l !== ""),
      );
      for (const path of [
        "data",
        "data/root",
        "data/root/00",
        "data/root/01",
        "dat",
        "data.txt",
        "é",
        "long",
        "zz",
        "",
        "a",
      ]) {
        const want = expected(eager, path);
        expect(indexEntriesUnder(lazy, path)).toEqual(want);
        const summary = inspectIndexUnder(parseIndex(buf), path);
        expect(summary.count).toBe(want.length);
        expect(summary.own).toEqual(want.find((e) => e.path === path));
        expect(summary.conflicts).toEqual([]);
      }
    }
  });

  it("reports the conflicted entries of a merge", () => {
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "data/f"), "base\n");
    writeFileSync(join(dir, "data/g"), "same\n");
    git(dir, "add", ".");
    git(dir, "commit", "-q", "-m", "base");
    git(dir, "checkout", "-q", "-b", "other");
    writeFileSync(join(dir, "data/f"), "other\n");
    git(dir, "commit", "-q", "-am", "other");
    git(dir, "checkout", "-q", "main");
    writeFileSync(join(dir, "data/f"), "main\n");
    git(dir, "commit", "-q", "-am", "main");
    expect(() => git(dir, "merge", "-q", "other")).toThrow();
    const buf = readFileSync(join(dir, ".git/index"));
    const summary = inspectIndexUnder(parseIndex(buf), "data");
    expect(summary.count).toBe(4);
    expect(summary.conflicts.map((e) => `${e.stage} ${e.path}`)).toEqual(["1 data/f", "2 data/f", "3 data/f"]);
    expect(inspectIndexUnder(parseIndex(buf), "data/f").own).toBeUndefined();
    expect(inspectIndexUnder(parseIndex(buf), "data/g").own?.id).toBe(git(dir, "rev-parse", ":data/g"));
    expect(indexEntriesUnder(parseIndex(buf), "data")).toEqual(expected(parseIndex(buf), "data"));
  });

  it("leave the worktree's entryAt as it was: files, cached trees, computed trees", async () => {
    addAll();
    git(dir, "write-tree");
    const repo = await openGitRepository(dir);
    try {
      const wt = repo.worktree!;
      expect(await wt.entryAt("data/root")).toEqual({
        mode: "40000",
        id: git(dir, "write-tree", "--prefix=data/root/"),
      });
      expect(await wt.entryAt("data/prolly.json")).toEqual({
        mode: "100644",
        id: git(dir, "rev-parse", ":data/prolly.json"),
      });
      expect(await wt.entryAt("dat")).toEqual({ mode: "100644", id: git(dir, "rev-parse", ":dat") });
      expect(await wt.entryAt("data-")).toBeUndefined();
      expect((await wt.entriesUnder("data")).map((e) => e.path)).toEqual(
        git(dir, "ls-files", "--", "data").split("\n"),
      );
    } finally {
      await repo.close();
    }
  });

  it("refuse damaged bytes", () => {
    addAll();
    const buf = readFileSync(join(dir, ".git/index"));
    const cut = Buffer.from(buf.subarray(0, 200));
    expect(() => parseIndex(cut)).toThrow(/corrupt/);
    const bad = Buffer.from(buf);
    bad.writeUInt16BE(0xffe, 12 + 60); // the first name's length runs past the entries
    expect(() => parseIndex(bad)).toThrow(/corrupt/);
  });
});
