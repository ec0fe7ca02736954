import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { git, tempDir as newTempDir, writeFile } from "../../../scripts/test-git.mjs";
import { ReaderError } from "../src/index.js";

export { GIT_ENV, git, writeFile } from "../../../scripts/test-git.mjs";

const made: string[] = [];

/** A temporary directory, removed by {@link removeTempDirs}. */
export function tempDir(label = "reader"): string {
  const dir = newTempDir(label);
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A Git repository with one commit of code (the seed's monorepo start). */
export function monorepo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  writeFile(join(dir, "src/main.rs"), 'fn main() { println!("Hello World"); }\n');
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "Initial project setup");
  return dir;
}

/** Runs `fn` and checks it throws a ReaderError with `code`, a message and a hint. */
export function expectReaderError(fn: () => unknown, code: string): ReaderError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${code}`).toBeInstanceOf(ReaderError);
  const e = error as ReaderError;
  expect(e.code, e.message).toBe(code);
  expect(e.message.length).toBeGreaterThan(10);
  expect(e.hint.length).toBeGreaterThan(10);
  expect(e.toJSON()).toMatchObject({ name: "ReaderError", code });
  return e;
}

export const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : Buffer.from(b).toString("utf8");
