import { execFile } from "node:child_process";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";

/** The outcome of a git invocation that was allowed to fail. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `git` executable run in one working tree. Remote work (fetch, push, ls-remote) goes through
 * it so every transport and credential helper the user has configured works.
 */
export class Git {
  constructor(readonly cwd: string) {}

  /** Runs git; a non-zero exit is a `DEV_GIT_FAILED` error carrying git's own message. */
  async run(args: readonly string[], options: { input?: string } = {}): Promise<string> {
    const r = await this.tryRun(args, options);
    if (r.code !== 0) {
      const msg = (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-3).join(" ");
      throw new DevError(DEV_ERROR_CODES.GIT_FAILED, `git ${args[0] ?? ""} failed: ${msg}`, {
        hint: "Run `git status` to see the repository's state; the message above is git's own.",
        data: { args: [...args], exitCode: r.code },
      });
    }
    return r.stdout;
  }

  /** Runs git and returns its exit code and output, never throwing on a non-zero exit. */
  tryRun(args: readonly string[], options: { input?: string } = {}): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        "git",
        [...args],
        {
          cwd: this.cwd,
          maxBuffer: 256 * 1024 * 1024,
          env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
        },
        (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== "number") {
            reject(
              new DevError(DEV_ERROR_CODES.GIT_FAILED, `cannot run git: ${error.message}`, {
                hint: "Install git and make sure it is on PATH.",
                cause: error,
              }),
            );
            return;
          }
          resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
    });
  }

  /** The current branch, or undefined on a detached HEAD. */
  async currentBranch(): Promise<string | undefined> {
    const r = await this.tryRun(["symbolic-ref", "--quiet", "--short", "HEAD"]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /** Whether the working tree and index have no changes (untracked files count as changes). */
  async isClean(): Promise<boolean> {
    return (await this.run(["status", "--porcelain"])).trim() === "";
  }

  /** The object id a revision names, or undefined. */
  async revParse(rev: string): Promise<string | undefined> {
    const r = await this.tryRun(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /** Whether `origin` is configured. */
  async hasOrigin(): Promise<boolean> {
    return (await this.tryRun(["remote", "get-url", "origin"])).code === 0;
  }

  /** Local branches matching a pattern (`ho-patch/*`). */
  async branches(pattern: string): Promise<string[]> {
    const out = await this.run(["for-each-ref", "--format=%(refname:short)", `refs/heads/${pattern}`]);
    return out.split("\n").filter((l) => l !== "");
  }

  /** Branches of origin (as last fetched) matching a pattern, without the `origin/` prefix. */
  async remoteBranches(pattern: string): Promise<string[]> {
    const out = await this.run(["for-each-ref", "--format=%(refname)", `refs/remotes/origin/${pattern}`]);
    return out
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.slice("refs/remotes/origin/".length));
  }

  /** The content of a file at a revision, or undefined when it does not exist there. */
  async show(rev: string, path: string): Promise<string | undefined> {
    const r = await this.tryRun(["show", `${rev}:${path}`]);
    return r.code === 0 ? r.stdout : undefined;
  }

  /** File names (not paths) directly inside a directory at a revision. */
  async listDir(rev: string, dir: string): Promise<string[]> {
    const r = await this.tryRun(["ls-tree", "--name-only", `${rev}:${dir}`]);
    return r.code === 0 ? r.stdout.split("\n").filter((l) => l !== "") : [];
  }
}
