/**
 * Bad input: every case gets a typed KvStoreError with a stable code and a hint, and nothing
 * changes on disk (refs, index, working tree, objects).
 */
import { createHash } from "node:crypto";
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from "@git-prolly/prolly-core";
import { VersionedKvStore } from "../src/index.js";
import { closeAndRemove, committedStore, expectKvError, git, removeDir, tempDir, writeFile } from "./helpers.js";

let dir: string;
let store: VersionedKvStore;
beforeEach(async () => {
  ({ dir, store } = await committedStore("bad", { a: "1", b: "2" }, "data"));
  await store.set("staged", "s");
  // checkout, merge and revert flush the write buffer before anything else (then refuse or not).
  await store.flush();
});
afterEach(() => closeAndRemove(store, dir));

/** Everything Git and the store keep on disk, hashed. */
function snapshot(): string {
  const h = createHash("sha1");
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (rel === ".git/logs" || rel.startsWith(".git/prolly")) continue;
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else h.update(`${rel}\0`).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}

async function refused(action: () => Promise<unknown>, code: string): Promise<void> {
  const before = snapshot();
  await expectKvError(action(), code);
  expect(snapshot()).toBe(before);
}

describe("keys and values", () => {
  it("refuses empty and oversized keys and values, checking a whole batch before writing any of it", async () => {
    await refused(() => store.set("", "x"), "KV_INVALID_KEY");
    await refused(() => store.set(new Uint8Array(0), "x"), "KV_INVALID_KEY");
    await refused(() => store.set("k".repeat(64 * 1024 + 1), "x"), "KV_INVALID_KEY");
    await refused(() => store.get(""), "KV_INVALID_KEY");
    await refused(() => store.delete(""), "KV_INVALID_KEY");
    await refused(() => store.update("", "x"), "KV_INVALID_KEY");
    await refused(() => store.set("k", new Uint8Array(100 * 1024 * 1024 + 1)), "KV_VALUE_TOO_LARGE");
    await refused(
      () =>
        store.apply([
          { key: "fine", value: "1" },
          { key: "", value: "2" },
        ]),
      "KV_INVALID_KEY",
    );
    await refused(() => store.set(42 as unknown as string, "x"), "KV_INVALID_KEY");
    expect(await store.get("fine")).toBeUndefined();
    // A sorted import into an empty dataset that is not sorted after all: a code of its own.
    const other = await VersionedKvStore.init(join(dir, "other"));
    const unsorted = Array.from(
      { length: 3000 },
      (_, i) => [`k${String(i === 2000 ? 7 : i).padStart(5, "0")}`, "v".repeat(40)] as const,
    );
    await refused(() => other.import(unsorted, { sorted: true }), "KV_UNSORTED_INPUT");
    expect((await other.stats()).entries).toBe(0);
    expect(await other.import(unsorted)).toBe(3000); // unsorted input is fine without the promise
    await other.close();
    // The largest key allowed works.
    await store.set("k".repeat(64 * 1024), "max");
    expect(await store.getString("k".repeat(64 * 1024))).toBe("max");
  });

  it("checks the limits with prolly-core's rules, in kv-store's codes and hints", async () => {
    // One implementation of the limits (prolly-core's assertValidKey/assertValidValue), mapped.
    const empty = await expectKvError(store.set("", "x"), "KV_INVALID_KEY");
    expect(empty.hint).toBe("Keys must hold at least one byte.");
    expect(empty.cause).toMatchObject({ code: "PROLLY_INVALID_KEY" });
    const long = await expectKvError(store.get("k".repeat(MAX_KEY_BYTES + 1)), "KV_INVALID_KEY");
    expect(long.data).toEqual({ length: MAX_KEY_BYTES + 1, max: MAX_KEY_BYTES });
    const large = await expectKvError(store.set("k", new Uint8Array(MAX_VALUE_BYTES + 1)), "KV_VALUE_TOO_LARGE");
    expect(large.hint).toContain("store large files next to the dataset");
    expect(large.data).toEqual({ length: MAX_VALUE_BYTES + 1, max: MAX_VALUE_BYTES });
  });
});

describe("refs", () => {
  it("refuses branch names that break Git's ref-name rules", async () => {
    const bad = [
      "",
      "a..b",
      "a b",
      "a~b",
      "a^b",
      "a:b",
      "a?b",
      "a*b",
      "a[b",
      "a\\b",
      "/a",
      "a/",
      "a//b",
      "a.",
      "a.lock",
      ".a",
      "a/.b",
      "a@{b",
      "-a",
      "HEAD",
      "a\u0001b",
      "refs/heads/x",
    ];
    for (const name of bad) {
      await refused(() => store.branch(name), "KV_INVALID_REF_NAME");
      await refused(() => store.checkout(name, { create: true }), "KV_INVALID_REF_NAME");
    }
    for (const name of ["feature/x", "v1.2", "a-b_c", "ünïcode"]) await store.branch(name);
    expect(git(dir, "branch", "--format=%(refname:short)").split("\n").sort()).toEqual(
      ["a-b_c", "feature/x", "main", "v1.2", "ünïcode"].sort(),
    );
  });

  it("reports unknown refs", async () => {
    await refused(() => store.get("a", { ref: "nope" }), "KV_UNKNOWN_REF");
    await refused(() => store.diff("nope", "HEAD"), "KV_UNKNOWN_REF");
    await refused(() => store.diff("HEAD", "main~99"), "KV_UNKNOWN_REF");
    await refused(() => store.show("deadbeef"), "KV_UNKNOWN_REF");
    await store.commit("clean up staging");
    await refused(() => store.checkout("nope"), "KV_UNKNOWN_REF");
    await refused(() => store.merge("nope"), "KV_UNKNOWN_REF");
    await refused(() => store.revert("nope"), "KV_UNKNOWN_REF");
    await refused(() => store.branch("x", { from: "nope" }), "KV_UNKNOWN_REF");
    await refused(async () => {
      for await (const _ of store.log({ ref: "nope" })) void _;
    }, "KV_UNKNOWN_REF");
  });

  it("refuses to lose uncommitted data", async () => {
    await store.branch("other", { from: "HEAD~1" }); // a branch with other data: checking it out would replace the staged change
    await refused(() => store.checkout("other"), "KV_UNCOMMITTED_CHANGES");
    await refused(() => store.merge("other"), "KV_UNCOMMITTED_CHANGES");
    await refused(() => store.revert("HEAD"), "KV_UNCOMMITTED_CHANGES");
  });
});

describe("datasets", () => {
  it("reports paths that are not datasets, with the datasets it found", async () => {
    const e = await expectKvError(VersionedKvStore.open(dir), "KV_NOT_A_DATASET");
    expect(e.data.datasets).toEqual(["config"]);
    expect(e.hint).toContain("config");
    await expectKvError(VersionedKvStore.open(join(dir, "src")), "KV_NOT_A_DATASET");
    const outside = tempDir("outside");
    try {
      await expectKvError(VersionedKvStore.open(outside), "KV_NOT_A_DATASET");
    } finally {
      removeDir(outside);
    }
    // Opening from inside the dataset directory finds it.
    expect((await VersionedKvStore.open(join(dir, "config", "root"))).dataset).toBe("config");
  });

  it("refuses to create a dataset over existing files", async () => {
    writeFile(join(dir, "docs/root"), "not a node\n");
    const before = snapshot();
    await expectKvError(VersionedKvStore.init(join(dir, "docs")), "KV_PATH_IN_USE");
    expect(snapshot()).toBe(before);
  });

  it("refuses datasets of an unknown format version, and manifests that are not ours", async () => {
    await store.commit("staged");
    const manifest = JSON.parse(readFileSync(join(dir, "config/prolly.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "config/prolly.json"), JSON.stringify({ ...manifest, version: 99 }));
    git(dir, "commit", "-q", "-am", "future format");
    const before = snapshot();
    const e = await expectKvError(VersionedKvStore.open(join(dir, "config")), "KV_UNKNOWN_FORMAT");
    expect(e.data.version).toBe(99);
    await expectKvError(store.get("a", { ref: "HEAD" }), "KV_UNKNOWN_FORMAT");
    expect(snapshot()).toBe(before);
    writeFileSync(join(dir, "config/prolly.json"), '{"format":"something-else"}');
    git(dir, "commit", "-q", "-am", "foreign manifest");
    await expectKvError(VersionedKvStore.open(join(dir, "config")), "KV_NOT_A_DATASET");
  });

  it("reports a corrupted or missing node object instead of returning data", async () => {
    await store.commit("staged");
    const rootId = git(dir, "rev-parse", "HEAD:config/root");
    const path = join(dir, ".git/objects", rootId.slice(0, 2), rootId.slice(2));
    chmodSync(path, 0o644);
    const good = readFileSync(path);
    writeFileSync(path, Buffer.from("garbage"));
    const fresh = await expectKvError(
      VersionedKvStore.open(join(dir, "config")).then((s) => s.get("a")),
      "KV_OBJECT_CORRUPT",
    );
    expect(fresh.cause).toBeDefined();
    writeFileSync(path, good);
    const other = await VersionedKvStore.open(join(dir, "config"));
    expect(await other.getString("a")).toBe("1");
    await other.close();
    const { rmSync } = await import("node:fs");
    rmSync(path);
    await expectKvError(
      VersionedKvStore.open(join(dir, "config")).then((s) => s.get("a")),
      "KV_OBJECT_MISSING",
    );
  });
});
