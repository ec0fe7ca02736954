/**
 * The write buffer in one process: reads see unflushed edits at once, Git and other handles see
 * them after flush (or commit, close); a staged state changed by Git underneath is picked up and
 * the buffered edits land on top of it; handles flushing one after the other keep each other's keys.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EditJournal, orphanJournals } from "../src/edit-journal.js";
import { VersionedKvStore } from "../src/index.js";
import { closeAndRemove, committedStore, dump, expectKvError, git, removeDir, tempDir, text } from "./helpers.js";

let dir: string;
let store: VersionedKvStore;
beforeEach(async () => {
  ({ dir, store } = await committedStore("buffer", { a: "1", b: "2", c: "3" }, "abc"));
});
afterEach(() => closeAndRemove(store, dir));

const gitSeesConfig = (): string => git(dir, "status", "--porcelain", "--", "config");

describe("unflushed edits", () => {
  it("are seen at once by get, has, list, diff, status and isClean, and by Git and other handles after flush", async () => {
    await store.set("d", "4");
    expect(await store.delete("b")).toBe(true);
    expect(await store.delete("b")).toBe(false);
    expect(await store.update("c", "30")).toBe(true);
    expect(await store.update("zz", "no")).toBe(false);
    expect(store.unflushed).toBe(3);
    expect(await store.getString("d")).toBe("4");
    expect(await store.has("b")).toBe(false);
    expect(await store.getString("c", { ref: "HEAD" })).toBe("3");
    expect(await dump(store)).toEqual({ a: "1", c: "30", d: "4" });
    expect((await store.status()).map((s) => [text(s.key), s.change])).toEqual([
      ["b", "deleted"],
      ["c", "modified"],
      ["d", "added"],
    ]);
    expect((await store.diff("HEAD")).map((c) => text(c.key))).toEqual(["b", "c", "d"]);
    expect(await store.isClean()).toBe(false);
    // Not staged yet: Git and another handle still see the committed state.
    expect(gitSeesConfig()).toBe("");
    const other = await VersionedKvStore.open(join(dir, "config"));
    expect(await dump(other)).toEqual({ a: "1", b: "2", c: "3" });
    await store.flush();
    expect(store.unflushed).toBe(0);
    expect(gitSeesConfig()).not.toBe("");
    expect(await dump(other)).toEqual({ a: "1", c: "30", d: "4" });
    expect(await dump(store)).toEqual({ a: "1", c: "30", d: "4" });
    await other.close();
  });

  it("that undo each other leave the dataset clean", async () => {
    await store.set("a", "changed");
    expect(await store.isClean()).toBe(false);
    await store.set("a", "1");
    expect(await store.isClean()).toBe(true);
    expect(await store.status()).toEqual([]);
    expect(await store.commit("nothing")).toBeUndefined();
  });

  it("keep their bytes when the caller reuses its buffer", async () => {
    const k = new TextEncoder().encode("key1");
    const v = new TextEncoder().encode("value");
    await store.set(k, v);
    k[3] = "2".charCodeAt(0);
    v.fill(0);
    expect(await store.getString("key1")).toBe("value");
    expect(await store.has("key2")).toBe(false);
    await store.flush();
    expect(await store.getString("key1")).toBe("value");
  });

  it("are committed by commit, staged by apply with the batch, and staged by close", async () => {
    await store.set("d", "4");
    const c = await store.commit("d");
    expect(c?.subject).toBe("d");
    expect(await store.getString("d", { ref: "HEAD" })).toBe("4");
    expect(git(dir, "status", "--porcelain")).toBe("");
    await store.set("e", "5");
    await store.apply([
      { key: "f", value: "6" },
      { key: "e", value: "55" },
    ]);
    expect(store.unflushed).toBe(0);
    expect(gitSeesConfig()).not.toBe("");
    expect(await store.getString("e")).toBe("55"); // the batch comes after the buffer
    const writer = await VersionedKvStore.open(join(dir, "config"));
    await writer.set("g", "7");
    await writer.close();
    expect(await store.getString("g")).toBe("7");
    await store.commit("efg");
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  it("make checkout, merge and revert stage them first (and refuse to lose them)", async () => {
    await store.branch("other");
    await store.set("d", "4");
    await expectKvError(store.checkout("other"), "KV_UNCOMMITTED_CHANGES");
    expect(store.unflushed).toBe(0);
    expect(gitSeesConfig()).not.toBe("");
    await expectKvError(store.merge("other"), "KV_UNCOMMITTED_CHANGES");
    await expectKvError(store.revert("HEAD"), "KV_UNCOMMITTED_CHANGES");
    // force discards staged and buffered changes alike.
    await store.set("e", "5");
    await store.checkout("other", { force: true });
    expect(await dump(store)).toEqual({ a: "1", b: "2", c: "3" });
    expect(git(dir, "status", "--porcelain")).toBe("");
  });
});

describe("a big flush in a working tree", () => {
  it("writes hundreds of node files (in place, reused, made ahead) so that Git sees the staged state clean", async () => {
    const key = (i: number): string => `k${String(i).padStart(6, "0")}`;
    await store.import(
      (function* () {
        for (let i = 0; i < 20_000; i += 2) yield [key(i), `value ${i} ${"v".repeat(40)}`] as [string, string];
      })(),
    );
    await store.commit("10,000 keys");
    // New keys between the existing ones (leaves split, internal nodes move them), updates spread
    // over all keys (leaves rewritten in place) and deletes (files removed or reused), buffered.
    for (let i = 1; i < 6_000; i += 2) await store.set(key(i), `new ${i} ${"n".repeat(120)}`);
    for (let i = 10_000; i < 20_000; i += 20) await store.set(key(i), `changed ${i}`);
    for (let i = 16_000; i < 18_000; i += 2) expect(await store.delete(key(i))).toBe(true);
    // Spares were made while the edits came in (in the background: waited for here).
    const tmp = join(dir, ".git/prolly/tmp");
    for (let k = 0; k < 100 && !(existsSync(tmp) && readdirSync(tmp).length > 0); k++)
      await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp).length).toBeGreaterThan(0);
    const info = await store.commit("many changes");
    expect(info).toBeDefined();
    expect(git(dir, "status", "--porcelain", "--untracked-files=all")).toBe("");
    expect(git(dir, "diff", "HEAD", "--stat", "--", "config")).toBe("");
    const files = git(dir, "ls-files", "--", "config").split("\n");
    expect(files.length).toBeGreaterThan(200);
    await store.close();
    expect(readdirSync(tmp)).toEqual([]); // spares removed at close
    store = await VersionedKvStore.open(join(dir, "config"));
    expect(await store.getString(key(1))).toBe(`new 1 ${"n".repeat(120)}`);
    expect(await store.getString(key(10_020))).toBe("changed 10020");
    expect(await store.has(key(16_000))).toBe(false);
    expect(await store.getString(key(18_002))).toBe(`value 18002 ${"v".repeat(40)}`);
    expect((await store.stats()).entries).toBe(3 + 10_000 + 3_000 - 1_000);
    git(dir, "fsck", "--strict", "--no-progress");
  });
});

describe("Git changing the staging area underneath", () => {
  it("is seen by the next read, and buffered edits are staged on top of what Git left", async () => {
    await store.set("staged", "yes");
    await store.flush();
    await store.set("buffered", "yes");
    // git stash takes the staged key away; the buffer still holds its own edit.
    git(dir, "stash", "-q");
    expect(await store.has("staged")).toBe(false);
    expect(await store.getString("buffered")).toBe("yes");
    expect(await dump(store)).toEqual({ a: "1", b: "2", c: "3", buffered: "yes" });
    await store.flush();
    expect((await store.status()).map((s) => text(s.key))).toEqual(["buffered"]);
    const other = await VersionedKvStore.open(join(dir, "config"));
    expect(await dump(other)).toEqual({ a: "1", b: "2", c: "3", buffered: "yes" });
    await other.close();
    // A plain git checkout of another branch: the store reads that branch's data.
    await store.commit("buffered");
    git(dir, "checkout", "-q", "-b", "side", "HEAD~1");
    expect(await store.has("buffered")).toBe(false);
  });
});

describe("two handles of one dataset", () => {
  it("flushing one after the other keep both sets of keys (no stale tree overwrites a flush)", async () => {
    const first = await VersionedKvStore.open(join(dir, "config"));
    const second = await VersionedKvStore.open(join(dir, "config"));
    expect(await second.getString("a")).toBe("1"); // second has read the staged state before first flushes
    for (let i = 0; i < 50; i++) await first.set(`first:${i}`, `${i}`);
    for (let i = 0; i < 50; i++) await second.set(`second:${i}`, `${i}`);
    await first.set("both", "first");
    await second.set("both", "second");
    await first.flush();
    await second.flush();
    const data = await dump(store);
    for (let i = 0; i < 50; i++) {
      expect(data[`first:${i}`]).toBe(`${i}`);
      expect(data[`second:${i}`]).toBe(`${i}`);
    }
    expect(data.both).toBe("second"); // the later flush wins for a key both set
    await first.close();
    await second.close();
  });
});

describe("bare repositories", () => {
  it("buffer edits and stage them in the state file on flush", async () => {
    const bare = tempDir("buffer-bare");
    try {
      git(bare, "init", "-q", "--bare", "-b", "main");
      const s = await VersionedKvStore.init(bare);
      await s.set("k", "v");
      expect(await s.getString("k")).toBe("v");
      const other = await VersionedKvStore.open(bare);
      expect(await other.has("k")).toBe(false);
      await s.flush();
      expect(await other.getString("k")).toBe("v");
      await s.commit("k");
      expect(git(bare, "show", "HEAD:root").length).toBeGreaterThan(0);
      await other.close();
      await s.close();
    } finally {
      removeDir(bare);
    }
  });
});

describe("the journal", () => {
  it("replays the intact records of a writer that is gone and ignores a torn or damaged tail", async () => {
    const jdir = join(dir, "journal-test");
    const edit = (k: string, v: string | null): { key: Uint8Array; value: Uint8Array | null } => ({
      key: Buffer.from(k),
      value: v === null ? null : Buffer.from(v),
    });
    const journal = new EditJournal(jdir);
    journal.append([edit("a", "1"), edit("b", null), edit("c", "3")]);
    // A live writer's journal (this process's own) is never replayed.
    expect(await orphanJournals(jdir)).toEqual([]);
    journal.release();
    const [file] = readdirSync(jdir);
    const path = join(jdir, file!);
    const whole = readFileSync(path);
    const replayed = async (): Promise<string[]> =>
      (await orphanJournals(jdir)).flatMap((j) =>
        j.edits.map((e) => `${text(e.key)}=${e.value === null ? "∅" : text(e.value)}`),
      );
    expect(await replayed()).toEqual(["a=1", "b=∅", "c=3"]);
    writeFileSync(path, whole.subarray(0, whole.length - 3)); // the last write cut short
    expect(await replayed()).toEqual(["a=1", "b=∅"]);
    const damaged = Buffer.from(whole);
    damaged[damaged.length - 5] = damaged[damaged.length - 5]! ^ 0xff; // a flipped byte in the last record's value
    writeFileSync(path, damaged);
    expect(await replayed()).toEqual(["a=1", "b=∅"]);
  });
});
