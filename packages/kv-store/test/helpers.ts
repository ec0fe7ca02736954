import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isKvStoreError, type KvStoreError, type VersionedKvStore } from "../src/index.js";

/** A fixed identity and no system config, so tests do not depend on the machine. */
export const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.com",
  GIT_COMMITTER_NAME: "Test Committer",
  GIT_COMMITTER_EMAIL: "committer@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};
Object.assign(process.env, GIT_ENV);

export function tempDir(label = "kv"): string {
  return mkdtempSync(join(tmpdir(), `${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
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
export function writeFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** A Git repository with one commit of code (the seed's monorepo start). */
export function monorepo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  writeFile(join(dir, "src/main.rs"), 'fn main() { println!("Hello World"); }\n');
  writeFile(join(dir, "Cargo.toml"), '[package]\nname = "myapp"\n');
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "Initial project setup");
  return dir;
}

export const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : Buffer.from(b).toString("utf8");

/** All entries of a store as a plain object (UTF-8). */
export async function dump(store: VersionedKvStore, ref?: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const e of store.list(ref === undefined ? {} : { ref })) out[text(e.key)!] = text(e.value)!;
  return out;
}

/** Awaits a rejection and checks it is a KvStoreError with `code` and a hint. */
export async function expectKvError(p: Promise<unknown>, code: string): Promise<KvStoreError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isKvStoreError(e))
    throw new Error(`expected KvStoreError ${code}, got ${e === undefined ? "success" : String(e)}`);
  if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
  if (e.hint.length === 0) throw new Error(`${code} without a hint`);
  return e;
}
