import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { GIT_ENV, git, removeDir, tempDir, writeFile } from "../../../scripts/test-git.mjs";
import { isKvStoreError, type KvStoreError, VersionedKvStore } from "../src/index.js";

export { GIT_ENV, git, removeDir, tempDir, writeFile } from "../../../scripts/test-git.mjs";

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

/** Sets `entries` (key → value) and commits them as `message`; returns the store. */
export async function commitEntries(
  store: VersionedKvStore,
  entries: Record<string, string>,
  message: string,
): Promise<VersionedKvStore> {
  await store.apply(Object.entries(entries).map(([key, value]) => ({ key, value })));
  await store.commit(message);
  return store;
}

/** A dataset at `config/` in a new monorepo (made under a temporary `label-` directory), with `entries` committed. */
export async function committedStore(
  label: string,
  entries: Record<string, string>,
  message: string,
): Promise<{ dir: string; store: VersionedKvStore }> {
  const dir = monorepo(tempDir(label));
  const store = await commitEntries(await VersionedKvStore.init(join(dir, "config")), entries, message);
  return { dir, store };
}

/**
 * A monorepo in `dir` with a dataset at `config/` holding `n` entries `base:00000` → `b0`… in one
 * commit, closed again (for tests whose processes open it); returns the dataset's path.
 */
export async function baseDataset(dir: string, n: number): Promise<string> {
  monorepo(dir);
  const config = join(dir, "config");
  const store = await VersionedKvStore.init(config);
  await store.import(
    Array.from({ length: n }, (_, i) => [`base:${String(i).padStart(5, "0")}`, `b${i}`] as const),
    { sorted: true },
  );
  await store.commit("base");
  await store.close();
  return config;
}

/** Closes a store and removes its directory (the usual `afterEach`). */
export async function closeAndRemove(store: VersionedKvStore, dir: string): Promise<void> {
  await store.close();
  removeDir(dir);
}

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

/** How a fixture process ended and what it printed. */
export interface FixtureExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** A running fixture process. */
export interface Fixture {
  readonly done: Promise<FixtureExit>;
  /** SIGKILL, as a crash would. */
  kill(): void;
  /** stdout so far. */
  output(): string;
}

/**
 * Runs `test/fixtures/<script>` in a child process with the test identity. The fixtures import
 * the built package (`dist/`), which the global setup builds first.
 */
export function runFixture(script: string, args: string[]): Fixture {
  const path = new URL(`./fixtures/${script}`, import.meta.url).pathname;
  const child = spawn(process.execPath, [path, ...args], { env: { ...process.env, ...GIT_ENV } });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const done = new Promise<FixtureExit>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, out, err })),
  );
  return { done, kill: () => child.kill("SIGKILL"), output: () => out };
}

/** Runs the fixture once per argument list, all at once; checks each exited 0 and returns their exits. */
export async function runTogether(script: string, argLists: string[][]): Promise<FixtureExit[]> {
  const exits = await Promise.all(argLists.map((args) => runFixture(script, args).done));
  for (const r of exits) if (r.code !== 0) throw new Error(`${script} exited ${r.code}: ${r.err}`);
  return exits;
}

/** A dataset for the multi-process tests: `config/` in a new monorepo in `dir`, or a bare repository `dir` itself. */
export function datasetPath(dir: string, kind: "working tree" | "bare"): string {
  if (kind === "working tree") return join(monorepo(dir), "config");
  git(dir, "init", "-q", "--bare", "-b", "main");
  return dir;
}
