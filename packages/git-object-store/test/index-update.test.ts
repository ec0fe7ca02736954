/** Index entries changed in process, compared byte for byte with `git update-index --index-info`. */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitIndex } from "../src/index.js";
import { parseIndex, rawIndex } from "../src/worktree/git-index.js";
import { type IndexEntryChange, updateIndexEntries } from "../src/worktree/index-stats.js";
import { GIT_ENV, git, gitInput, removeDir, tempDir } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("index-update");
  git(dir, "init", "-q", "-b", "main");
  for (const f of [
    "a.txt",
    "data/prolly.json",
    "data/root/00/aa",
    "data/root/00/bb",
    "data/root/01/cc",
    "data-x",
    "z/y",
  ]) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), `${f}\n`);
  }
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "init"); // leaves a complete cache tree
});
afterEach(() => removeDir(dir));

const index = (): string => join(dir, ".git/index");
const blob = (text: string): string => gitInput(dir, text, "hash-object", "-w", "--stdin");

/** What `git update-index -z --index-info` makes of the same index (on a copy). */
function withGit(changes: readonly IndexEntryChange[]): Buffer {
  const copy = join(dir, ".git/index-copy");
  copyFileSync(index(), copy);
  const info = changes
    .map((c) =>
      c.after === undefined ? `0 ${"0".repeat(40)}\t${c.path}\0` : `${c.after.mode} ${c.after.id}\t${c.path}\0`,
    )
    .join("");
  execFileSync("git", ["update-index", "-z", "--index-info"], {
    cwd: dir,
    input: info,
    env: { ...process.env, ...GIT_ENV, GIT_INDEX_FILE: copy },
  });
  return readFileSync(copy);
}

describe("index entries changed in process", () => {
  it("give the bytes git update-index --index-info gives, and git sees the result", async () => {
    const changes: IndexEntryChange[] = [
      { path: "data/root/00/aa", after: { mode: "100644", id: blob("changed\n") } },
      { path: "data/root/00/ab", after: { mode: "100755", id: blob("new\n") } },
      { path: "data/root/02/dd", after: { mode: "100644", id: blob("new dir\n") } },
      { path: "data/root/01/cc" },
      { path: "not/there" }, // removing what is not there changes nothing
      { path: "data/root/00/zz-link", after: { mode: "120000", id: blob("target") } },
    ];
    const expected = withGit(changes);
    expect(await updateIndexEntries(index(), dir, changes)).toBe(true);
    expect(readFileSync(index()).equals(expected)).toBe(true);
    expect(git(dir, "ls-files", "-s", "data")).toContain("100755");
    git(dir, "write-tree"); // the cache tree is valid where it was kept
    // A second change on top: the invalidated trees rebuilt by write-tree are invalidated again.
    const more: IndexEntryChange[] = [{ path: "z/y", after: { mode: "100644", id: blob("zz\n") } }];
    const expected2 = withGit(more);
    expect(await updateIndexEntries(index(), dir, more)).toBe(true);
    expect(readFileSync(index()).equals(expected2)).toBe(true);
    expect(execFileSync("git", ["fsck", "--strict", "--no-dangling"], { cwd: dir, encoding: "utf8" })).toBe("");
  });

  it("agree with git on random batches of changes", async () => {
    const files = Array.from({ length: 200 }, (_, i) => `r/${(i * 7919) % 13}/${String(i).padStart(3, "0")}`);
    gitInput(
      dir,
      files.map((f) => `100644 ${blob(`${f}\n`)}\t${f}\0`).join(""),
      "update-index",
      "-z",
      "--add",
      "--index-info",
    );
    git(dir, "write-tree");
    let seed = 7;
    let stale: GitIndex | undefined;
    const rand = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    for (let round = 0; round < 5; round++) {
      const picked = new Map<string, IndexEntryChange>();
      for (let i = 0; i < 30; i++) {
        const path = rand(3) === 0 ? `r/${rand(15)}/n${rand(1000)}` : files[rand(files.length)]!;
        picked.set(path, rand(4) === 0 ? { path } : { path, after: { mode: "100644", id: blob(`${round} ${i}\n`) } });
      }
      const changes = [...picked.values()];
      const expected = withGit(changes);
      // Rounds 1 and 3 pass the caller's parse of the current index, round 2 a stale one (re-read).
      const cached = round % 2 === 1 ? parseIndex(readFileSync(index())) : round === 2 ? stale : undefined;
      const cachedBytes = cached === undefined ? undefined : Buffer.from(rawIndex(cached)!.buf);
      stale = parseIndex(readFileSync(index()));
      expect(await updateIndexEntries(index(), dir, changes, cached)).toBe(true);
      expect(readFileSync(index()).equals(expected)).toBe(true);
      if (cached !== undefined) expect(rawIndex(cached)!.buf.equals(cachedBytes!)).toBe(true); // never written to
      if (round % 2 === 1) git(dir, "write-tree");
    }
  });

  it("smudge racily clean entries whose files changed, as Git's index writes do", async () => {
    // Same size, same mtime as recorded, and the index of that very second: only content tells.
    const file = join(dir, "a.txt");
    const { mtime } = statSync(file);
    writeFileSync(file, "A.TXT\n");
    utimesSync(file, mtime, mtime);
    utimesSync(index(), mtime, mtime);
    const changes: IndexEntryChange[] = [{ path: "z/y", after: { mode: "100644", id: blob("zz\n") } }];
    const cached = parseIndex(readFileSync(index()));
    const cachedBytes = Buffer.from(rawIndex(cached)!.buf);
    expect(await updateIndexEntries(index(), dir, changes, cached)).toBe(true);
    expect(rawIndex(cached)!.buf.equals(cachedBytes)).toBe(true); // smudged in a copy
    expect(git(dir, "ls-files", "--debug", "--", "a.txt")).toMatch(/size: 0\b/); // smudged: Git compares content
    expect(git(dir, "ls-files", "--debug", "--", "data/prolly.json")).not.toMatch(/size: 0\b/); // unchanged: kept
    expect(git(dir, "status", "--porcelain", "--", "a.txt")).toBe("M a.txt");
  });

  it("find racily clean entries of any second when some entry is newer than the index file", async () => {
    // The parse remembers only the entries of the latest second; with an entry newer than the
    // index, an older racy one (a.txt, of the index's own second) must still be found.
    const file = join(dir, "a.txt");
    const { mtime } = statSync(file);
    const later = new Date(mtime.getTime() + 10_000);
    utimesSync(join(dir, "data-x"), later, later);
    git(dir, "update-index", "-q", "--refresh"); // records data-x's newer mtime (same content)
    writeFileSync(file, "A.TXT\n");
    utimesSync(file, mtime, mtime);
    utimesSync(index(), mtime, mtime);
    const cached = parseIndex(readFileSync(index()));
    expect(rawIndex(cached)!.newestMtime).toBe(Math.floor(later.getTime() / 1000));
    const changes: IndexEntryChange[] = [{ path: "z/y", after: { mode: "100644", id: blob("zz\n") } }];
    expect(await updateIndexEntries(index(), dir, changes, cached)).toBe(true);
    expect(git(dir, "ls-files", "--debug", "--", "a.txt")).toMatch(/size: 0\b/);
    expect(git(dir, "ls-files", "--debug", "--", "data-x")).not.toMatch(/size: 0\b/);
    expect(git(dir, "status", "--porcelain", "--", "a.txt", "data-x")).toBe("M a.txt");
  });

  it("leave the index alone where git is the safer writer", async () => {
    const id = blob("x\n");
    const before = readFileSync(index());
    const refused = async (changes: IndexEntryChange[]) => {
      expect(await updateIndexEntries(index(), dir, changes)).toBe(false);
      expect(readFileSync(index()).equals(before)).toBe(true);
    };
    await refused([{ path: "a.txt/inner", after: { mode: "100644", id } }]); // a file where a directory must go
    await refused([{ path: "data/root", after: { mode: "100644", id } }]); // a directory where a file must go
    await refused([
      { path: "new/x", after: { mode: "100644", id } },
      { path: "new", after: { mode: "100644", id } },
    ]);
    await refused([{ path: "a.txt", after: { mode: "100644", id } }, { path: "a.txt" }]); // twice
    await refused([{ path: "a.txt", after: { mode: "40000", id } }]);
    git(dir, "update-index", "--index-version", "4");
    const v4 = readFileSync(index());
    expect(await updateIndexEntries(index(), dir, [{ path: "a.txt" }])).toBe(false);
    expect(readFileSync(index()).equals(v4)).toBe(true);
    git(dir, "update-index", "--index-version", "2");
    git(dir, "update-index", "--untracked-cache");
    git(dir, "status", "--porcelain"); // writes the untracked cache extension
    expect(readFileSync(index()).includes("UNTR")).toBe(true);
    expect(await updateIndexEntries(index(), dir, [{ path: "a.txt" }])).toBe(false);
    git(dir, "update-index", "--no-untracked-cache");
    git(dir, "status", "--porcelain");
    writeFileSync(join(dir, ".git/index.lock"), ""); // held by another writer
    expect(await updateIndexEntries(index(), dir, [{ path: "a.txt" }])).toBe(false);
    removeDir(join(dir, ".git/index.lock"));
    expect(await updateIndexEntries(index(), dir, [{ path: "a.txt" }])).toBe(true);
  });

  it("leave conflicted and skip-worktree entries to git", async () => {
    git(dir, "update-index", "--skip-worktree", "a.txt");
    expect(await updateIndexEntries(index(), dir, [{ path: "a.txt" }])).toBe(false);
    git(dir, "update-index", "--no-skip-worktree", "a.txt");
    const base = blob("base\n");
    gitInput(
      dir,
      `100644 ${base} 1\tz/y\u0000100644 ${blob("ours\n")} 2\tz/y\u0000`,
      "update-index",
      "-z",
      "--index-info",
    );
    expect(await updateIndexEntries(index(), dir, [{ path: "z/y", after: { mode: "100644", id: base } }])).toBe(false);
  });
});
