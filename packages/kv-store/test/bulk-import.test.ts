/**
 * Bulk imports into a working tree: the node files are written while the tree is built and moved
 * into place with one rename, Git's index gets their stat data, and a process killed at any point
 * leaves the dataset as it was or wholly imported.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VersionedKvStore } from "../src/index.js";
import { type Fixture, git, monorepo, removeDir, runFixture, tempDir, writeFile } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("bulk");
});
afterEach(() => removeDir(dir));

const key = (i: number): string => `bulk:${String(i).padStart(7, "0")}`;
const value = (i: number): string => `{"id":${i},"payload":"${"x".repeat(40)}"}`;
const entries = (n: number) =>
  (function* () {
    for (let i = 0; i < n; i++) yield [key(i), value(i)] as const;
  })();

/** Leftover materializer folders in the Git directory. */
const leftovers = (): string[] => readdirSync(join(dir, ".git/prolly/tmp")).filter((n) => n.startsWith("materialize-"));

describe("bulk import into a working tree", () => {
  it("writes the node files during the build: no checkout pass, stat data in the index, Git clean after commit", async () => {
    monorepo(dir);
    const store = await VersionedKvStore.init(join(dir, "config"));
    const trace = join(dir, "..", `${dir.split("/").pop()}-trace.txt`);
    process.env.GIT_TRACE = trace;
    try {
      expect(await store.import(entries(40_000), { sorted: true })).toBe(40_000);
    } finally {
      delete process.env.GIT_TRACE;
    }
    const commands = readFileSync(trace, "utf8");
    rmSync(trace);
    expect(commands).toContain("update-index");
    expect(commands).not.toContain("checkout-index");
    // Stat data recorded by the import itself (read before any `git status` could record it).
    const debug = git(dir, "ls-files", "--debug", "config/root");
    const records = debug.split("\n").filter((l) => l.trimStart().startsWith("mtime:"));
    expect(records.length).toBeGreaterThan(300);
    expect(records.filter((l) => l.includes(" 0:0"))).toEqual([]);
    git(dir, "diff-files", "--quiet", "--", "config/root");
    expect(leftovers()).toEqual([]);
    // What Git checked out is exactly what the index holds, and every value reads back.
    expect(
      git(dir, "status", "--porcelain")
        .split("\n")
        .every((l) => /^[AD] {2}config\/root/.test(l)),
    ).toBe(true);
    await store.commit("bulk");
    expect(git(dir, "status", "--porcelain")).toBe("");
    expect(await store.getString(key(12_345))).toBe(value(12_345));
    expect((await store.stats()).entries).toBe(40_000);
    git(dir, "fsck", "--strict", "--no-dangling");
    // The files alone hold the data (R5): a fresh checkout of the commit has the same files.
    const clone = `${dir}-clone`;
    git(dir, "clone", "-q", dir, clone);
    try {
      const leaf = git(clone, "ls-files", "config/root").split("\n")[7]!;
      expect(readFileSync(join(clone, leaf))).toEqual(readFileSync(join(dir, leaf)));
      expect(statSync(join(dir, "config/root")).isDirectory()).toBe(true);
    } finally {
      removeDir(clone);
    }
    await store.close();
  }, 120_000);

  it("works for a dataset at the repository root and in a linked worktree", async () => {
    monorepo(dir);
    const wt = `${dir}-wt`;
    git(dir, "worktree", "add", "-q", "-b", "env/prod", wt);
    try {
      for (const [repoDir, dataset] of [
        [dir, dir],
        [wt, join(wt, "data")],
      ] as const) {
        const store = await VersionedKvStore.init(dataset);
        await store.import(entries(30_000), { sorted: true });
        const prefix = dataset === repoDir ? "root" : "data/root";
        const records = git(repoDir, "ls-files", "--debug", prefix)
          .split("\n")
          .filter((l) => l.trimStart().startsWith("mtime:"));
        expect(records.length).toBeGreaterThan(200);
        expect(records.filter((l) => l.includes(" 0:0"))).toEqual([]);
        await store.commit("bulk");
        expect(git(repoDir, "status", "--porcelain")).toBe("");
        expect(await store.getString(key(29_999))).toBe(value(29_999));
        await store.close();
      }
      // The worktree's import went through its own index and Git directory.
      expect(git(dir, "ls-files", "data")).toBe("");
      expect(readdirSync(join(dir, ".git/worktrees")).length).toBe(1);
    } finally {
      git(dir, "worktree", "remove", "--force", wt);
    }
  }, 120_000);

  it("falls back to writing file by file when something blocks the dataset's root path, losing nothing", async () => {
    monorepo(dir);
    const store = await VersionedKvStore.init(join(dir, "config"));
    rmSync(join(dir, "config/root"));
    writeFile(join(dir, "config/root/notes.txt"), "untracked notes where the root file was\n");
    await store.import(entries(60_000), { sorted: true });
    expect(readFileSync(join(dir, "config/root/notes.txt"), "utf8")).toBe("untracked notes where the root file was\n");
    await store.commit("bulk");
    expect(git(dir, "status", "--porcelain")).toBe("?? config/root/notes.txt");
    expect(await store.getString(key(59_999))).toBe(value(59_999));
    expect(leftovers()).toEqual([]);
    await store.close();
  }, 120_000);
});

describe("a bulk import killed at any point", () => {
  const run = (dataset: string, n: number): Fixture => runFixture("bulk-import.mjs", [dataset, String(n)]);

  it("leaves the dataset empty or wholly imported; the next import removes what the dead process left", async () => {
    monorepo(dir);
    const config = join(dir, "config");
    await (await VersionedKvStore.init(config)).close();
    const n = 60_000;
    // How long a whole import takes here, from spawning to "imported".
    const t0 = performance.now();
    const full = await run(config, n).done;
    expect(full.out + full.err).toContain("imported");
    const importMs = performance.now() - t0;
    git(dir, "reset", "-q", "--hard");
    let x = 7;
    const seen = new Set<string>();
    let leftBehind = 0;
    for (let k = 0; k < 10; k++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const child = run(config, n);
      while (!child.output().includes("start")) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, ((x % 1000) / 1000) * importMs * 0.9));
      child.kill();
      await child.done;
      await new Promise((r) => setTimeout(r, 200)); // an orphaned git child finishes its own work
      if (leftovers().length > 0) leftBehind++;
      if (existsSync(join(dir, ".git/index.lock"))) rmSync(join(dir, ".git/index.lock"));
      const s = await VersionedKvStore.open(config);
      const count = (await s.stats()).entries;
      expect([0, n]).toContain(count);
      seen.add(count === 0 ? "old" : "new");
      if (count === n) {
        expect(await s.getString(key(n - 1))).toBe(value(n - 1));
        // Killed before the files moved into place: Git restores them from the index, as after any checkout.
        if (
          (await s.status()).length > 0 ||
          git(dir, "status", "--porcelain", "--untracked-files=no", "config").includes(" D ")
        )
          git(dir, "checkout", "--", "config");
        expect(
          git(dir, "status", "--porcelain", "--untracked-files=no")
            .split("\n")
            .every((l) => l === "" || /^[AD] {2}/.test(l)),
        ).toBe(true);
      }
      await s.close();
      git(dir, "reset", "-q", "--hard");
    }
    // A finished import cleans up the folders of killed ones.
    const s = await VersionedKvStore.open(config);
    await s.import(entries(n), { sorted: true });
    expect(leftovers()).toEqual([]);
    expect(
      git(dir, "status", "--porcelain", "--untracked-files=all")
        .split("\n")
        .every((l) => /^[AD] {2}config\/root/.test(l)),
    ).toBe(true);
    await s.close();
    expect(seen.has("old")).toBe(true);
    expect(leftBehind).toBeGreaterThan(0); // some kills hit the import while its files were being written
  }, 300_000);
});
