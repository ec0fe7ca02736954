import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Signature } from "../src/index.js";

/** A fixed identity so that tests do not depend on the machine's Git config. */
export const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.com",
  GIT_COMMITTER_NAME: "Test Committer",
  GIT_COMMITTER_EMAIL: "committer@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};
Object.assign(process.env, GIT_ENV);

/** A fresh temporary directory (under the OS temp dir, never inside the checkout). */
export function tempDir(label = "gos"): string {
  return mkdtempSync(join(tmpdir(), `${label}-`));
}

/** Removes a temporary directory. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs the real git CLI and returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["pipe", "pipe", "pipe"],
  }).trim();
}

/** Runs git with stdin. */
export function gitInput(cwd: string, input: string | Uint8Array, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    input,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  }).trim();
}

/** A signature at a given second (deterministic commit ids and orders). */
export function sig(timestamp: number, name = "Test"): Signature {
  return { name, email: `${name.toLowerCase()}@example.com`, timestamp, timezoneOffset: 60 };
}

export const bytes = (s: string): Uint8Array => Buffer.from(s, "utf8");
export const text = (b: Uint8Array): string => Buffer.from(b).toString("utf8");
