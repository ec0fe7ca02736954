import { existsSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { acquireLock, isGitStoreError } from "../src/index.js";
import { removeDir, tempDir } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("locks");
});
afterEach(() => removeDir(dir));

it("excludes a second holder until the first releases", async () => {
  const path = join(dir, "state");
  const first = await acquireLock(path, { owned: true });
  const e = await acquireLock(path, { owned: true, timeoutMs: 50 }).catch((x: unknown) => x);
  expect(isGitStoreError(e, "GIT_LOCKED")).toBe(true);
  await first.release();
  const second = await acquireLock(path, { owned: true });
  await second.release();
  expect(existsSync(`${path}.lock`)).toBe(false);
});

it("breaks an owned lock whose process is gone, never one whose owner runs", async () => {
  const path = join(dir, "state");
  writeFileSync(`${path}.lock`, `2147483646 ${hostname()}\n`); // no such process
  const lock = await acquireLock(path, { owned: true, timeoutMs: 50 });
  await lock.release();
  writeFileSync(`${path}.lock`, `${process.pid} ${hostname()}\n`); // alive: this process
  const e = await acquireLock(path, { owned: true, timeoutMs: 50 }).catch((x: unknown) => x);
  expect(isGitStoreError(e, "GIT_LOCKED")).toBe(true);
  // Git-protocol locks (refs, index) are never broken automatically.
  writeFileSync(`${path}.lock`, `2147483646 ${hostname()}\n`);
  const g = await acquireLock(path, { timeoutMs: 50 }).catch((x: unknown) => x);
  expect(isGitStoreError(g, "GIT_LOCKED")).toBe(true);
});
