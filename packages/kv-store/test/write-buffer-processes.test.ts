/**
 * The write buffer with real processes: a loop of sets killed with SIGKILL at random points loses
 * no set that returned (the journal is replayed by the next open) and corrupts nothing; two
 * processes writing one dataset key by key keep each other's flushed keys; a process that ends
 * without `close` stages its sets (the normal end), or leaves them in its journal for the next
 * open (`process.exit()`).
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VersionedKvStore } from "../src/index.js";
import {
  dump,
  git,
  monorepo,
  removeDir,
  runFixture,
  tempDir,
  baseDataset,
  datasetPath,
  runTogether,
} from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("buffer-processes");
});
afterEach(() => removeDir(dir));

const run = runFixture;

const journalDir = (repo: string): string => join(repo, ".git/prolly/datasets/by-path/config/journal");
const journals = (repo: string): string[] => (existsSync(journalDir(repo)) ? readdirSync(journalDir(repo)) : []);
const key = (i: number): string => `k${String(i).padStart(6, "0")}`;

/** A deterministic pseudo-random sequence in [0, 1). */
function* randoms(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x / 2 ** 31;
  }
}

describe("a loop of sets killed with SIGKILL", () => {
  it("loses no set that returned and corrupts nothing; the next open stages the journal", async () => {
    const config = await baseDataset(dir, 3000);
    const random = randoms(4242);
    let next = 0;
    let killedAfterSets = 0;
    for (let round = 0; round < 14; round++) {
      // Flush every 7 to 300 sets, so kills also land inside flushes and their index writes.
      const flushEvery = 7 + Math.floor(random.next().value! * 300);
      const child = run("set-loop.mjs", [config, String(next), String(flushEvery)]);
      // Kill once the child has acknowledged some sets, after a random further delay.
      while (!child.output().includes("\n")) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, Math.floor(random.next().value! * 400)));
      child.kill();
      const { signal, err } = await child.done;
      expect(signal).toBe("SIGKILL");
      expect(err).toBe("");
      const acked = child
        .output()
        .split("\n")
        .filter((l) => l !== "")
        .map(Number);
      const last = acked[acked.length - 1]!;
      killedAfterSets += acked.length;
      // A git child orphaned by the kill (an update-index) finishes; Git's own index.lock it may
      // leave is removed as a user would (our own locks name their owner and are broken).
      await new Promise((r) => setTimeout(r, 200));
      if (existsSync(join(dir, ".git/index.lock"))) rmSync(join(dir, ".git/index.lock"));

      const s = await VersionedKvStore.open(config);
      const data = await dump(s);
      const keys = Object.keys(data).filter((k) => k.startsWith("k"));
      // Every acknowledged set is there, in order, with its value; beyond them at most the set
      // that was running when the process died.
      expect(keys.length).toBeGreaterThanOrEqual(last + 1);
      expect(keys.length).toBeLessThanOrEqual(last + 2);
      expect(keys).toEqual(Array.from({ length: keys.length }, (_, i) => key(i)));
      for (const k of keys) expect(data[k]).toBe(`v${Number(k.slice(1))}`);
      expect(Object.keys(data).filter((k) => k.startsWith("base:"))).toHaveLength(3000);
      // The dataset's files match the index (a flush killed while writing them is repaired).
      const unstaged = git(dir, "status", "--porcelain", "--untracked-files=all", "--", "config")
        .split("\n")
        .filter((l) => l !== "" && l[1] !== " ");
      expect(unstaged).toEqual([]);
      // The open staged the journal: Git's index holds it, a second open agrees, no journal is left.
      expect(journals(dir)).toEqual([]);
      expect(s.unflushed).toBe(0);
      const again = await VersionedKvStore.open(config);
      expect(await dump(again)).toEqual(data);
      await again.close();
      await s.close();
      git(dir, "fsck", "--strict", "--no-dangling");
      next = keys.length;
    }
    expect(killedAfterSets).toBeGreaterThan(14);
    // Everything staged commits with a plain git commit, and the store agrees.
    git(dir, "commit", "-q", "-m", "all the sets");
    expect(git(dir, "status", "--porcelain")).toBe("");
    const final = await VersionedKvStore.open(config);
    expect(await final.status()).toEqual([]);
    expect(Object.keys(await dump(final, "HEAD")).filter((k) => k.startsWith("k"))).toHaveLength(next);
    await final.close();
  }, 180_000);
});

describe("two processes setting keys in one dataset", () => {
  for (const kind of ["working tree", "bare"] as const) {
    it(`neither loses the other's flushed keys (${kind})`, async () => {
      const dataset = datasetPath(dir, kind);
      const store = await VersionedKvStore.init(dataset);
      const count = 400;
      await runTogether("buffered-writer.mjs", [
        [dataset, "1", String(count), "37"],
        [dataset, "2", String(count), "53"],
      ]);
      const data = await dump(await VersionedKvStore.open(dataset));
      for (const me of ["1", "2"])
        for (let j = 0; j < count; j++) expect(data[`w${me}:${String(j).padStart(4, "0")}`]).toBe(`${me}/${j}`);
      expect(["1/390", "2/390"]).toContain(data.shared);
      expect(Object.keys(data)).toHaveLength(2 * count + 1);
      await store.close();
    }, 60_000);
  }
});

describe("a process that ends without close", () => {
  it("stages its sets when it ends normally, and leaves them to the next open after process.exit()", async () => {
    monorepo(dir);
    const config = join(dir, "config");
    const store = await VersionedKvStore.init(config);
    await store.close();
    const natural = await run("exit-modes.mjs", [config, "natural", "150"]).done;
    expect(natural.code, natural.err).toBe(0);
    expect(natural.err).toBe("");
    // Git sees them without any open of ours in between.
    expect(git(dir, "diff", "--cached", "--name-only")).toContain("config/root");
    expect(journals(dir)).toEqual([]);
    const indexBefore = git(dir, "ls-files", "-s", "config");

    const exited = await run("exit-modes.mjs", [config, "exit", "150"]).done;
    expect(exited.code).toBe(0);
    expect(exited.err).toMatch(
      /150 edit\(s\) of dataset config were not flushed before the process exited: kept in .*journal/,
    );
    expect(git(dir, "ls-files", "-s", "config")).toBe(indexBefore);
    expect(journals(dir)).toHaveLength(1);
    const s = await VersionedKvStore.open(config);
    const data = await dump(s);
    expect(Object.keys(data).filter((k) => k.startsWith("natural:"))).toHaveLength(150);
    expect(Object.keys(data).filter((k) => k.startsWith("exit:"))).toHaveLength(150);
    expect(journals(dir)).toEqual([]);
    expect(git(dir, "ls-files", "-s", "config")).not.toBe(indexBefore);
    await s.commit("both");
    expect(git(dir, "status", "--porcelain")).toBe("");
    await s.close();
  }, 60_000);
});
