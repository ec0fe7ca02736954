import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

/** The built entry point every test runs, as users do (vitest's global setup builds it first). */
export const BIN = resolve(import.meta.dirname, "../../bin/run.js");

/** What a run printed and how it exited. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const ENV = {
  ...process.env,
  NO_COLOR: "1",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  DEBUG: "",
};

/** Runs `git-prolly <args>` in `cwd` (stdin from `input`). */
export function cli(
  cwd: string,
  args: readonly string[],
  options: { input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...ENV, ...options.env }, encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        done({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
          stdout: stdout.toString("utf8"),
          stderr: stderr.toString("utf8"),
        });
      },
    );
    child.stdin?.end(options.input ?? "");
  });
}

/** Runs `git <args>` in `cwd` and returns its stdout. */
export function git(cwd: string, args: readonly string[]): string {
  return execFileSync("git", args, { cwd, env: ENV, encoding: "utf8" }).trim();
}

/** A scratch directory, removed by the returned function. */
export function scratch(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "git-prolly-cli-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new repository on `main` with a bare `origin`, and a dataset in `config/` initialized by the CLI. */
export async function repoWithDataset(
  root: string,
  dataset = "config",
): Promise<{ repo: string; data: string; origin: string }> {
  const origin = join(root, "origin.git");
  const repo = join(root, "app");
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", origin], { env: ENV });
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env: ENV });
  git(repo, ["remote", "add", "origin", origin]);
  const data = dataset === "" ? repo : join(repo, dataset);
  const r = await cli(repo, ["init", dataset === "" ? "." : dataset]);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return { repo, data, origin };
}

/** A scratch directory (`dir`) holding a {@link repoWithDataset}. */
export interface TestDataset {
  dir: string;
  repo: string;
  data: string;
  origin: string;
}

/**
 * A {@link repoWithDataset} in a scratch directory, made before each test (`"each"`) or once
 * before all tests of the enclosing block (`"all"`), then handed to `setup`; removed afterwards.
 * The returned object's fields are filled in before the tests run.
 */
export function useDataset(when: "each" | "all", setup?: (d: TestDataset) => Promise<void> | void): TestDataset {
  const dataset: TestDataset = { dir: "", repo: "", data: "", origin: "" };
  let root: ReturnType<typeof scratch> | undefined;
  (when === "each" ? beforeEach : beforeAll)(async () => {
    root = scratch();
    Object.assign(dataset, { dir: root.dir, ...(await repoWithDataset(root.dir)) });
    await setup?.(dataset);
  });
  (when === "each" ? afterEach : afterAll)(() => root?.cleanup());
  return dataset;
}

/** Fails with the output when a run did not succeed; returns stdout. */
export function ok(r: RunResult): string {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}
