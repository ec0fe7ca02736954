/** The key-value surface on every kind of repository: in memory, working tree, bare. */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryRepository } from "@git-prolly/git-object-store";
import { VersionedKvStore } from "../src/index.js";
import { dump, expectKvError, git, monorepo, removeDir, tempDir, text } from "./helpers.js";

interface Backend {
  readonly name: string;
  create(): Promise<{ store: VersionedKvStore; reopen: () => Promise<VersionedKvStore>; cleanup: () => void }>;
}

const backends: Backend[] = [
  {
    name: "memory",
    async create() {
      const repo = createMemoryRepository();
      const store = await VersionedKvStore.fromRepository(repo, "config");
      return { store, reopen: () => VersionedKvStore.fromRepository(repo, "config"), cleanup: () => undefined };
    },
  },
  {
    name: "working tree (monorepo sub-directory)",
    async create() {
      const dir = monorepo(tempDir("kv-wt"));
      const store = await VersionedKvStore.init(join(dir, "config"));
      return { store, reopen: () => VersionedKvStore.open(join(dir, "config")), cleanup: () => removeDir(dir) };
    },
  },
  {
    name: "bare repository (dataset at the root)",
    async create() {
      const dir = tempDir("kv-bare");
      git(dir, "init", "-q", "--bare", "-b", "main");
      const store = await VersionedKvStore.init(dir);
      return { store, reopen: () => VersionedKvStore.open(dir), cleanup: () => removeDir(dir) };
    },
  },
];

for (const backend of backends) {
  describe(`VersionedKvStore on ${backend.name}`, () => {
    let fx: Awaited<ReturnType<Backend["create"]>>;
    let store: VersionedKvStore;
    beforeEach(async () => {
      fx = await backend.create();
      store = fx.store;
    });
    afterEach(async () => {
      await store.close();
      fx.cleanup();
    });

    it("sets, gets, updates, deletes and lists in key order", async () => {
      await store.set("b", "2");
      await store.insert("a", "1");
      await store.set(new Uint8Array([0x63]), new Uint8Array([0xff, 0x00]));
      expect(await store.getString("a")).toBe("1");
      expect(await store.get("c")).toEqual(new Uint8Array([0xff, 0x00]));
      expect(await store.get("zz")).toBeUndefined();
      expect(await store.has("b")).toBe(true);
      expect(await store.update("a", "one")).toBe(true);
      expect(await store.update("nope", "x")).toBe(false);
      expect(await store.delete("b")).toBe(true);
      expect(await store.delete("b")).toBe(false);
      expect(await dump(store)).toEqual({ a: "one", c: "\ufffd\u0000" });
      await expectKvError(store.getOrThrow("b"), "KV_KEY_NOT_FOUND");
    });

    it("scans by prefix and range, forwards and backwards, with a limit", async () => {
      await store.apply(
        Array.from({ length: 300 }, (_, i) => ({ key: `user:${String(i).padStart(3, "0")}`, value: `u${i}` })),
      );
      await store.apply([
        { key: "app:name", value: "MyApp" },
        { key: "zeta", value: "z" },
      ]);
      const keys = async (o: Parameters<VersionedKvStore["list"]>[0]): Promise<string[]> => {
        const out: string[] = [];
        for await (const e of store.list(o)) out.push(text(e.key)!);
        return out;
      };
      expect(await keys({ prefix: "app:" })).toEqual(["app:name"]);
      const prefix = Buffer.from("user:01"); // Node Buffers work like any Uint8Array, and are not changed
      expect((await keys({ prefix })).length).toBe(10);
      expect(prefix.toString()).toBe("user:01");
      expect((await keys({ prefix: "user:" })).length).toBe(300);
      expect(await keys({ start: "user:100", end: "user:103" })).toEqual(["user:100", "user:101", "user:102"]);
      expect(await keys({ prefix: "user:", reverse: true, limit: 2 })).toEqual(["user:299", "user:298"]);
      expect((await keys({})).at(-1)).toBe("zeta");
    });

    it("reports status, commits only when something changed, and keeps an uncapped log", async () => {
      expect(await store.status()).toEqual([]);
      expect(await store.isClean()).toBe(true);
      await store.set("k1", "v1");
      await store.set("k2", "v2");
      const first = await store.commit("two keys");
      expect(first?.subject).toBe("two keys");
      expect(await store.commit("nothing")).toBeUndefined();
      await store.set("k1", "changed");
      await store.delete("k2");
      await store.set("k3", "new");
      expect((await store.status()).map((s) => `${text(s.key)}:${s.change}`)).toEqual([
        "k1:modified",
        "k2:deleted",
        "k3:added",
      ]);
      expect(await store.isClean()).toBe(false);
      await store.commit("second");
      for (let i = 0; i < 105; i++) {
        await store.set("counter", String(i));
        await store.commit(`count ${i}`);
      }
      let n = 0;
      for await (const c of store.log()) {
        if (n === 0) expect(c.subject).toBe("count 104");
        n++;
      }
      expect(n).toBeGreaterThan(107);
      const limited: string[] = [];
      for await (const c of store.log({ limit: 2 })) limited.push(c.subject);
      expect(limited).toEqual(["count 104", "count 103"]);
    });

    it("keeps staged changes across processes (reopen) until they are committed", async () => {
      await store.set("staged", "yes");
      // Another handle sees the write buffer's edits once they are flushed.
      const early = await fx.reopen();
      expect(await early.getString("staged")).toBeUndefined();
      await early.close();
      await store.flush();
      const again = await fx.reopen();
      expect(await again.getString("staged")).toBe("yes");
      expect((await again.status()).map((s) => text(s.key))).toEqual(["staged"]);
      await again.commit("from the second handle");
      expect(await store.status()).toEqual([]);
      expect(await store.getString("staged", { ref: "HEAD" })).toBe("yes");
      await again.close();
    });

    it("reads older versions by ref and diffs them key by key", async () => {
      await store.apply([
        { key: "a", value: "1" },
        { key: "b", value: "2" },
      ]);
      await store.commit("v1");
      await store.apply([
        { key: "a", value: "10" },
        { key: "b", value: null },
        { key: "c", value: "3" },
      ]);
      await store.commit("v2");
      expect(await store.getString("a", { ref: "HEAD~1" })).toBe("1");
      expect(await dump(store, "HEAD~1")).toEqual({ a: "1", b: "2" });
      const d = await store.diff("HEAD~1", "HEAD");
      expect(
        d.map((c) => [text(c.key), c.change, text(c.before ?? undefined) ?? null, text(c.after ?? undefined) ?? null]),
      ).toEqual([
        ["a", "modified", "1", "10"],
        ["b", "deleted", "2", null],
        ["c", "added", null, "3"],
      ]);
      const shown = await store.show("HEAD");
      expect(shown.commit.subject).toBe("v2");
      expect(shown.changes).toHaveLength(3);
      await expectKvError(store.get("a", { ref: "no-such-branch" }), "KV_UNKNOWN_REF");
    });
  });
}
