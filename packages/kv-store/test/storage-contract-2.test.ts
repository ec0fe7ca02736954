/** The storage contract, continued: R2 proportional, R4 Git-native, R6 canonical. */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VersionedKvStore } from "../src/index.js";
import { dump, git, monorepo, removeDir, tempDir, text, writeFile } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("contract2");
});
afterEach(() => removeDir(dir));

function objectCount(repo: string): number {
  return git(repo, "rev-list", "--objects", "--all").split("\n").length;
}

const key = (i: number): string => `user:${String(i).padStart(7, "0")}`;

describe("R2: a commit writes O(K·log N) objects", () => {
  it("one changed key in a 100,000-key dataset adds at most 2·depth+3 objects", async () => {
    monorepo(dir);
    const store = await VersionedKvStore.init(join(dir, "config"));
    const n = 100_000;
    const entries = (function* () {
      for (let i = 0; i < n; i++) yield [key(i), `{"id":${i},"name":"user ${i}","plan":"free"}`] as const;
    })();
    expect(await store.import(entries, { sorted: true })).toBe(n);
    await store.commit("100k users");
    const { depth, entries: count } = await store.stats();
    expect(count).toBe(n);
    const before = objectCount(dir);
    const looseBefore = Number(/count: (\d+)/.exec(git(dir, "count-objects", "-v"))![1]);
    await store.set(key(54_321), '{"id":54321,"name":"renamed","plan":"pro"}');
    await store.commit("one key");
    const added = objectCount(dir) - before;
    const looseAdded = Number(/count: (\d+)/.exec(git(dir, "count-objects", "-v"))![1]) - looseBefore;
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(2 * depth + 3);
    expect(looseAdded).toBeLessThanOrEqual(2 * depth + 3);
    // Only the path from the root to one leaf changed in Git's eyes.
    const files = git(dir, "diff", "--name-only", "HEAD~1", "HEAD").split("\n");
    expect(files).toHaveLength(1);
    expect(files[0]!.startsWith("config/root/")).toBe(true);
    expect(git(dir, "status", "--porcelain")).toBe("");
    await store.close();
  }, 120_000);
});

describe("R4: plain git commands and the store agree", () => {
  it("after git checkout, git stash, git merge --ff-only and git pull, open shows what Git has", async () => {
    monorepo(dir);
    const store = await VersionedKvStore.init(join(dir, "config"));
    await store.set("env", "main");
    await store.commit("main data");
    git(dir, "checkout", "-q", "-b", "staging");
    const s1 = await VersionedKvStore.open(join(dir, "config"));
    await s1.set("env", "staging");
    await s1.set("db:host", "staging-db");
    await s1.commit("staging data");
    git(dir, "checkout", "-q", "main");
    expect(await dump(await VersionedKvStore.open(join(dir, "config")))).toEqual({ env: "main" });
    expect(await dump(s1)).toEqual({ env: "main" });
    // git stash takes staged data away and brings it back.
    await s1.set("wip", "uncommitted");
    expect(git(dir, "status", "--porcelain")).not.toContain("config/root"); // buffered: Git sees it once flushed
    await s1.flush();
    expect(git(dir, "status", "--porcelain")).toContain("config/root");
    git(dir, "stash", "-q");
    expect(await dump(await VersionedKvStore.open(join(dir, "config")))).toEqual({ env: "main" });
    expect(await s1.status()).toEqual([]);
    git(dir, "stash", "pop", "-q", "--index");
    expect(await dump(await VersionedKvStore.open(join(dir, "config")))).toEqual({ env: "main", wip: "uncommitted" });
    expect((await s1.status()).map((s) => text(s.key))).toEqual(["wip"]);
    await s1.commit("wip");
    // Fast-forward merge with plain git.
    git(dir, "checkout", "-q", "-b", "behind", "main~1");
    expect(await dump(await VersionedKvStore.open(join(dir, "config")))).toEqual({ env: "main" });
    git(dir, "merge", "-q", "--ff-only", "main");
    expect(await dump(await VersionedKvStore.open(join(dir, "config")))).toEqual({ env: "main", wip: "uncommitted" });
    git(dir, "checkout", "-q", "main");
    // git pull into a clone.
    const clone = `${dir}-clone`;
    try {
      git(join(dir, ".."), "clone", "-q", dir, clone);
      await s1.set("pulled", "yes");
      await s1.commit("upstream change");
      git(clone, "pull", "-q", "--ff-only");
      const cloned = await VersionedKvStore.open(join(clone, "config"));
      expect(await dump(cloned)).toEqual(await dump(s1));
      expect(await cloned.status()).toEqual([]);
      await cloned.close();
    } finally {
      removeDir(clone);
    }
    await s1.close();
    await store.close();
  });

  it("a git commit of staged data by the user commits exactly the staged state", async () => {
    monorepo(dir);
    const store = await VersionedKvStore.init(join(dir, "config"));
    await store.set("k", "v");
    await store.flush();
    writeFile(join(dir, "src/lib.rs"), "// code\n");
    git(dir, "add", ".");
    git(dir, "commit", "-q", "-m", "code and data together");
    expect(await store.status()).toEqual([]);
    expect(await store.getString("k", { ref: "HEAD" })).toBe("v");
    await store.close();
  });
});

describe("R6: the same entries give the same tree, whatever the history", () => {
  it("two repositories reaching the same entries by different edits have the same HEAD:config", async () => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    const sa = await VersionedKvStore.init(join(monorepo(tempSub(a)), "config"));
    const sb = await VersionedKvStore.init(join(monorepo(tempSub(b)), "config"));
    const n = 4000;
    await sa.import(
      Array.from({ length: n }, (_, i) => [key(i), `value ${i}`] as const),
      { sorted: true },
    );
    await sa.commit("all at once");
    // b: reverse order, in several commits, with detours (values changed and keys deleted, then restored).
    for (let i = n - 1; i >= 0; i -= 1000) {
      await sb.apply(Array.from({ length: 1000 }, (_, j) => ({ key: key(i - j), value: `tmp ${i - j}` })));
      await sb.commit(`batch ${i}`);
    }
    await sb.apply(Array.from({ length: n }, (_, i) => ({ key: key(i), value: i % 3 === 0 ? null : `value ${i}` })));
    await sb.set("extra", "x");
    await sb.commit("detour");
    await sb.apply([
      ...Array.from({ length: n }, (_, i) => i)
        .filter((i) => i % 3 === 0)
        .map((i) => ({ key: key(i), value: `value ${i}` })),
      { key: "extra", value: null },
    ]);
    await sb.commit("back");
    expect(git(a, "rev-parse", "HEAD:config")).toBe(git(b, "rev-parse", "HEAD:config"));
    expect(git(a, "rev-parse", "HEAD")).not.toBe(git(b, "rev-parse", "HEAD"));
    await sa.close();
    await sb.close();
  }, 60_000);
});

function tempSub(path: string): string {
  git(join(path, ".."), "init", "-q", path);
  removeDir(join(path, ".git"));
  return path;
}
