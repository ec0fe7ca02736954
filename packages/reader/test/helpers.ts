import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { ReaderError } from "../src/index.js";

/** A fixed identity and no system config, so tests do not depend on the machine. */
export const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.com",
  GIT_COMMITTER_NAME: "Test Committer",
  GIT_COMMITTER_EMAIL: "committer@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};
Object.assign(process.env, GIT_ENV);

const made: string[] = [];

/** A temporary directory, removed by {@link removeTempDirs}. */
export function tempDir(label = "reader"): string {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Runs the real git CLI; returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["pipe", "pipe", "pipe"],
  }).trim();
}

/** Writes a file, creating directories. */
export function writeFile(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
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
