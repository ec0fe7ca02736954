/**
 * What the packages' tests share to run the real `git`: a fixed identity with no system config
 * (set in `process.env` on import, so child processes get it too), temporary directories, and
 * `git` / `writeFile` helpers. Each package's test helpers re-export what they use (kv-store,
 * git-object-store, reader).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A fixed identity and no system config, so tests do not depend on the machine. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.com",
  GIT_COMMITTER_NAME: "Test Committer",
  GIT_COMMITTER_EMAIL: "committer@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};
Object.assign(process.env, GIT_ENV);

/** A fresh temporary directory (under the OS temp dir, never inside the checkout). */
export function tempDir(label = "test") {
  return mkdtempSync(join(tmpdir(), `${label}-`));
}

/** Removes a temporary directory. */
export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs the real git CLI (with `input` on stdin when given) and returns trimmed stdout. */
export function gitWith(cwd, input, ...args) {
  return execFileSync("git", args, {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: "pipe",
    ...(input === undefined ? {} : { input }),
  }).trim();
}

/** Runs the real git CLI and returns trimmed stdout. */
export function git(cwd, ...args) {
  return gitWith(cwd, undefined, ...args);
}

/** Writes a file, creating its directories. */
export function writeFile(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
