/**
 * Crash safety and concurrency with real processes: commits killed at many points leave the
 * store readable at the old or the new commit; two processes committing to one branch never
 * lose a commit.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VersionedKvStore } from "../src/index.js";
import { dump, git, removeDir, runFixture, tempDir, baseDataset, datasetPath, runTogether } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("processes");
});
afterEach(() => removeDir(dir));

const run = runFixture;

/**
 * A deterministic sequence of kill delays spread over the child's start-up and a few commits,
 * scaled to how long this machine takes to reach the first commit.
 */
function* delays(n: number, firstCommitMs: number): Generator<number> {
  let x = 12345;
  const span = Math.max(200, 2 * firstCommitMs);
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield Math.round(firstCommitMs * 0.6) + (x % span);
  }
}

/** Milliseconds from spawning the commit loop to its first reported commit. */
async function timeToFirstCommit(config: string): Promise<number> {
  const start = performance.now();
  const child = run("commit-loop.mjs", [config, "999000"]);
  while (!child.output().includes("\n")) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - start;
  child.kill();
  await child.done;
  return ms;
}

describe("crash safety", () => {
  it("a process killed at any point of a commit leaves the store at the old or the new commit", async () => {
    const config = await baseDataset(dir, 2000);
    const firstCommitMs = await timeToFirstCommit(config);
    await new Promise((r) => setTimeout(r, 250));
    for (const lock of [join(dir, ".git/refs/heads/main.lock"), join(dir, ".git/index.lock")])
      if (existsSync(lock)) rmSync(lock);
    const calibration = await VersionedKvStore.open(config);
    // Drop the calibration run's keys so the loop below starts from a clean base commit.
    for await (const e of calibration.list({ prefix: "k" })) await calibration.delete(e.key);
    await calibration.commit("calibration done");
    await calibration.close();
    let next = 0;
    let kills = 0;
    for (const delay of delays(24, firstCommitMs)) {
      const child = run("commit-loop.mjs", [config, String(next)]);
      await new Promise((r) => setTimeout(r, delay));
      child.kill();
      const { err } = await child.done;
      expect(err).not.toMatch(/Error/);
      kills++;
      // Let a git child orphaned by the kill (e.g. a running update-index) finish its own work.
      await new Promise((r) => setTimeout(r, 250));
      // A stale ref lock is what git itself leaves behind a killed writer; remove it as a user would.
      for (const lock of [join(dir, ".git/refs/heads/main.lock"), join(dir, ".git/index.lock")])
        if (existsSync(lock)) rmSync(lock);
      const s = await VersionedKvStore.open(config);
      const head = (await s.show("HEAD")).commit;
      const m = /^c(\d+)$/.exec(head.subject);
      const last = m === null || Number(m[1]) >= 999000 ? -1 : Number(m[1]);
      const atHead = await dump(s, "HEAD");
      const keys = Object.keys(atHead).filter((k) => k.startsWith("k"));
      // HEAD holds exactly the keys of the commits up to its own: never half a commit.
      expect(keys).toEqual(Array.from({ length: last + 1 }, (_, i) => `k${String(i).padStart(6, "0")}`));
      expect(Object.keys(atHead).filter((k) => k.startsWith("base:"))).toHaveLength(2000);
      // The staged state is HEAD plus the keys staged but not yet committed when a process died.
      const stagedData = await dump(s);
      const staged = Object.keys(stagedData).filter((k) => k.startsWith("k"));
      expect(staged.slice(0, keys.length)).toEqual(keys);
      expect(staged).toEqual(Array.from({ length: staged.length }, (_, i) => `k${String(i).padStart(6, "0")}`));
      for (const k of staged) expect(stagedData[k]).toBe(`v${Number(k.slice(1))}`);
      await s.close();
      git(dir, "fsck", "--strict", "--no-dangling");
      next = staged.length;
    }
    expect(kills).toBe(24);
    expect(next).toBeGreaterThan(0); // the loop made progress between kills
  }, 120_000);
});

describe("two processes committing to one branch", () => {
  for (const kind of ["working tree", "bare"] as const) {
    it(`both land or one is told the branch moved; nothing is lost (${kind})`, async () => {
      const dataset = datasetPath(dir, kind);
      const store = await VersionedKvStore.init(dataset);
      const count = 12;
      const exits = await runTogether("committer.mjs", [
        [dataset, "1", String(count)],
        [dataset, "2", String(count)],
      ]);
      const outcomes = exits.map((r) => JSON.parse(r.out) as { committed: string[]; nothing: number; moved: number });
      // Everything staged by either writer is committed on the branch, and every commit one of them
      // reported is in the branch's history.
      const final = await dump(store, "HEAD");
      for (const me of ["1", "2"])
        for (let j = 0; j < count; j++) expect(final[`w${me}:${String(j).padStart(3, "0")}`]).toBe(`${me}/${j}`);
      const history = new Set(git(dir, "rev-list", "main").split("\n"));
      for (const o of outcomes) for (const id of o.committed) expect(history.has(id)).toBe(true);
      expect(outcomes.reduce((n, o) => n + o.committed.length, 0)).toBeGreaterThan(0);
      git(dir, "fsck", "--strict", "--no-dangling");
      await store.close();
    }, 60_000);
  }
});
