/**
 * The one narrow port to the user's `git` executable, for porcelain and index/working-tree work
 * (init, clone, push, fetch, update-index, read-tree, checkout, status): every transport and
 * credential helper keeps working, and Git's own safety checks apply. Object and ref work stays
 * in process.
 */
import type * as ChildProcess from "node:child_process";
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";

/** Options of {@link runGit}. */
export interface RunGitOptions {
  /** Arguments after `git` (and after `--git-dir`/`--work-tree` when given). */
  readonly args: readonly string[];
  /** Working directory of the process. */
  readonly cwd?: string;
  /** Passed as `--git-dir`. */
  readonly gitDir?: string;
  /** Passed as `--work-tree`. */
  readonly workTree?: string;
  /** Bytes or text written to stdin (stdin is closed either way). */
  readonly input?: string | Uint8Array;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that count as success (default `[0]`). */
  readonly okCodes?: readonly number[];
  /** Retry while Git reports a held `index.lock` (ms, default 3000). */
  readonly lockRetryMs?: number;
}

/** What a finished `git` process printed. */
export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment variables that would point `git` at another repository than the one we pass. */
const REPO_ENV = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_COMMON_DIR",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
];

/**
 * `node:child_process`, loaded on the first run (a command that runs no `git` never loads it),
 * through `process.getBuiltinModule`, not `import()`: code compiled with `vm.Script` (the CLI's
 * code-cached CommonJS bundle of the hot commands) has no dynamic-import callback, and there an
 * `import()` throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING.
 */
let childProcess: typeof ChildProcess | undefined;

async function once(options: RunGitOptions): Promise<GitResult> {
  const { spawn } = (childProcess ??= process.getBuiltinModule("node:child_process"));
  const args: string[] = [];
  if (options.gitDir !== undefined) args.push(`--git-dir=${options.gitDir}`);
  if (options.workTree !== undefined) args.push(`--work-tree=${options.workTree}`);
  args.push(...options.args);
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const k of REPO_ENV) if (options.env?.[k] === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child: ChildProcess.ChildProcessWithoutNullStreams = spawn("git", args, {
      cwd: options.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (cause) =>
      reject(
        new GitStoreError(GIT_ERROR_CODES.COMMAND_FAILED, `cannot run git: ${cause.message}`, {
          hint: "Install Git and make sure `git` is on the PATH.",
          data: { args: options.args },
          cause,
        }),
      ),
    );
    child.on("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
    child.stdin.on("error", () => undefined); // git may exit before reading all input
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/**
 * Runs `git` and returns its output.
 * @throws {GitStoreError} GIT_COMMAND_FAILED (stderr in `data.stderr`), GIT_LOCKED when
 *   `index.lock` stays held.
 */
export async function runGit(options: RunGitOptions): Promise<GitResult> {
  const deadline = Date.now() + (options.lockRetryMs ?? 3000);
  let wait = 10;
  for (;;) {
    const result = await once(options);
    if ((options.okCodes ?? [0]).includes(result.code)) return result;
    const locked = /index\.lock'?: File exists|Unable to create '.*\.lock'/.test(result.stderr);
    if (locked && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 200);
      continue;
    }
    const first = result.stderr.trim().split("\n").slice(-3).join(" ").slice(0, 400);
    throw new GitStoreError(
      locked ? GIT_ERROR_CODES.LOCKED : GIT_ERROR_CODES.COMMAND_FAILED,
      `git ${options.args[0] ?? ""} failed: ${first || `exit code ${result.code}`}`,
      {
        hint: locked
          ? "Another Git process holds the index lock; wait for it, or remove the stale .lock file if none runs."
          : "See data.stderr for Git's own message.",
        data: { args: options.args, code: result.code, stderr: result.stderr.slice(0, 4000) },
      },
    );
  }
}
