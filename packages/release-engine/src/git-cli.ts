import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { GitPort, LeasedPush, LeasedPushOutcome, MergeOutcome } from "./git-port.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";

/** The outcome of one git invocation. */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const ENV = { GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
/** Lock and reservation commits carry their holder in the message; their author is fixed so a repository without user.name works. */
const IDENTITY = ["-c", "user.name=git-prolly", "-c", "user.email=git-prolly@localhost"];
const STALE =
  /stale info|already exists|fetch first|non-fast-forward|failed to update ref|but expected|cannot lock ref|reference already exists|remote ref does not exist/i;

function leaseArgs(remote: string, u: LeasedPush): string[] {
  return [
    "push",
    "--porcelain",
    `--force-with-lease=${u.ref}:${u.expected ?? ""}`,
    remote,
    `${u.newValue ?? ""}:${u.ref}`,
  ];
}

function leaseOutcome(r: Run): LeasedPushOutcome {
  if (r.code === 0) return { ok: true };
  const message = `${r.stdout}\n${r.stderr}`.trim();
  return {
    ok: false,
    reason: STALE.test(message) ? "stale" : "rejected",
    message: message.split("\n").slice(-3).join(" "),
  };
}

/**
 * {@link GitPort} on the user's `git` executable (node:child_process): every transport and
 * credential helper the user configured works; prompts are disabled (`GIT_TERMINAL_PROMPT=0`).
 */
export class GitCli implements GitPort {
  constructor(readonly cwd: string) {}

  /** Runs git and returns exit code and output, never throwing on a non-zero exit. */
  tryRun(args: readonly string[], input?: string): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        "git",
        [...args],
        { cwd: this.cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...ENV } },
        (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== "number") {
            reject(
              new ReleaseError(RELEASE_ERROR_CODES.GIT_FAILED, `Cannot run git: ${error.message}`, {
                hint: "Install git and make sure it is on PATH",
                cause: error,
              }),
            );
            return;
          }
          resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
        },
      );
      // git may exit before reading its stdin (EPIPE): the exit code tells what happened.
      child.stdin?.on("error", () => {});
      if (input === undefined) child.stdin?.end();
      else child.stdin?.end(input);
    });
  }

  /** Runs git; a non-zero exit is `RELEASE_GIT_FAILED` carrying git's own message. */
  async run(args: readonly string[], input?: string): Promise<string> {
    const r = await this.tryRun(args, input);
    if (r.code !== 0) {
      const msg = (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-3).join(" ");
      throw new ReleaseError(
        RELEASE_ERROR_CODES.GIT_FAILED,
        `git ${args.find((a) => !a.startsWith("-")) ?? ""} failed: ${msg}`,
        {
          hint: "Run git status to see the repository's state; the message above is git's own",
          data: { args: [...args], exitCode: r.code },
        },
      );
    }
    return r.stdout;
  }

  async currentBranch(): Promise<string | undefined> {
    const r = await this.tryRun(["symbolic-ref", "--quiet", "--short", "HEAD"]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  async isClean(): Promise<boolean> {
    return (await this.run(["status", "--porcelain"])).trim() === "";
  }

  async revParse(rev: string): Promise<string | undefined> {
    const r = await this.tryRun(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const r = await this.tryRun(["merge-base", a, b]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  async hasRemote(remote: string): Promise<boolean> {
    return (await this.tryRun(["remote", "get-url", remote])).code === 0;
  }

  async fetch(remote: string, refspecs: readonly string[] = []): Promise<void> {
    await this.run(["fetch", "--prune", "--tags", remote, ...refspecs]);
  }

  async pullFastForward(remote: string, branch: string): Promise<void> {
    await this.run(["pull", "--ff-only", "--no-rebase", remote, branch]);
  }

  async push(remote: string, refspecs: readonly string[], options: { atomic?: boolean } = {}): Promise<void> {
    await this.run(["push", ...(options.atomic === false ? [] : ["--atomic"]), remote, ...refspecs]);
  }

  async pushWithLease(remote: string, update: LeasedPush): Promise<LeasedPushOutcome> {
    return leaseOutcome(await this.tryRun(leaseArgs(remote, update)));
  }

  pushWithLeaseSync(remote: string, update: LeasedPush): LeasedPushOutcome {
    const r = spawnSync("git", leaseArgs(remote, update), {
      cwd: this.cwd,
      env: { ...process.env, ...ENV },
      encoding: "utf8",
      timeout: 15_000,
    });
    return leaseOutcome({ code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? String(r.error ?? "") });
  }

  async readRemoteCommit(remote: string, ref: string): Promise<{ id: string; message: string } | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = (await this.lsRemote(remote, ref)).get(ref);
      if (id === undefined) return undefined;
      if ((await this.tryRun(["cat-file", "-e", `${id}^{commit}`])).code !== 0) {
        await this.tryRun(["fetch", "--no-tags", "--no-write-fetch-head", remote, ref]);
      }
      const msg = await this.tryRun(["log", "-1", "--format=%B", id]);
      if (msg.code === 0) return { id, message: msg.stdout };
    }
    return undefined;
  }

  async lsRemote(remote: string, pattern: string): Promise<Map<string, string>> {
    const out = await this.run(["ls-remote", remote, pattern]);
    const refs = new Map<string, string>();
    for (const line of out.split("\n")) {
      const [id, ref] = line.split("\t");
      if (id !== undefined && ref !== undefined && ref !== "") refs.set(ref, id);
    }
    return refs;
  }

  async branches(pattern: string): Promise<string[]> {
    const out = await this.run([
      "for-each-ref",
      "--format=%(refname:short)",
      pattern === "*" ? "refs/heads/" : `refs/heads/${pattern}`,
    ]);
    return out.split("\n").filter((l) => l !== "");
  }

  async remoteBranches(remote: string, pattern: string): Promise<string[]> {
    const prefix = `refs/remotes/${remote}/`;
    const out = await this.run([
      "for-each-ref",
      "--format=%(refname)",
      pattern === "*" ? prefix : `${prefix}${pattern}`,
    ]);
    return out
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.slice(prefix.length));
  }

  async createBranch(name: string, from: string): Promise<void> {
    await this.run(["branch", "--no-track", name, from]);
  }

  async deleteBranch(name: string, options: { force?: boolean } = {}): Promise<void> {
    await this.run(["branch", options.force === true ? "-D" : "-d", name]);
  }

  async checkout(branch: string, options: { force?: boolean } = {}): Promise<void> {
    await this.run(["checkout", ...(options.force === true ? ["--force"] : []), branch]);
    if (options.force === true) await this.run(["clean", "-fd"]);
  }

  async createTag(name: string, at: string, message: string): Promise<void> {
    await this.run(["tag", "-a", name, at, "-m", message]);
  }

  async deleteTag(name: string): Promise<void> {
    await this.run(["tag", "-d", name]);
  }

  async merge(ref: string, message: string, options: { theirs?: readonly string[] } = {}): Promise<MergeOutcome> {
    const r = await this.tryRun(["merge", "--no-ff", "--no-edit", "-m", message, ref]);
    if (r.code === 0) return { ok: true, commit: (await this.run(["rev-parse", "HEAD"])).trim() };
    const conflicts = (await this.run(["diff", "--name-only", "--diff-filter=U"])).split("\n").filter((l) => l !== "");
    const theirs = options.theirs ?? [];
    if (conflicts.length > 0 && conflicts.every((c) => theirs.includes(c))) {
      await this.run(["checkout", "--theirs", "--", ...conflicts]);
      await this.run(["add", "--", ...conflicts]);
      await this.run(["commit", "--no-verify", "--no-edit"]);
      return { ok: true, commit: (await this.run(["rev-parse", "HEAD"])).trim() };
    }
    await this.tryRun(["merge", "--abort"]);
    if (conflicts.length === 0) {
      throw new ReleaseError(
        RELEASE_ERROR_CODES.GIT_FAILED,
        `git merge ${ref} failed: ${(r.stderr.trim() || r.stdout.trim()).split("\n").slice(-2).join(" ")}`,
        {
          hint: `Check that ${ref} exists (git branch -a) and the working tree is clean`,
          data: { ref },
        },
      );
    }
    return { ok: false, conflicts };
  }

  async resetHard(rev: string): Promise<void> {
    await this.run(["reset", "--quiet", "--hard", rev]);
  }

  async readFile(rev: string, path: string): Promise<string | undefined> {
    const r = await this.tryRun(["cat-file", "blob", `${rev}:${path}`]);
    return r.code === 0 ? r.stdout : undefined;
  }

  async listDir(rev: string, dir: string): Promise<string[]> {
    const r = await this.tryRun(["ls-tree", "--name-only", `${rev}:${dir}`]);
    return r.code === 0 ? r.stdout.split("\n").filter((l) => l !== "") : [];
  }

  async commit(paths: readonly string[], message: string): Promise<string> {
    // A path that is neither on disk nor tracked (no model written yet) is not an error.
    const tracked = new Set((await this.run(["ls-files", "-z", "--", ...paths])).split("\0").filter((p) => p !== ""));
    const present = paths.filter(
      (p) => existsSync(join(this.cwd, p)) || [...tracked].some((t) => t === p || t.startsWith(`${p}/`)),
    );
    if (present.length === 0)
      throw new ReleaseError(RELEASE_ERROR_CODES.GIT_FAILED, `Nothing to commit: none of ${paths.join(", ")} exists`, {
        hint: "This is a bug in the plan: report it",
        data: { paths: [...paths] },
      });
    await this.run(["add", "-A", "--", ...present]);
    await this.run(["commit", "--no-verify", "-m", message, "--", ...present]);
    return (await this.run(["rev-parse", "HEAD"])).trim();
  }

  async createDetachedCommit(message: string, parents: readonly string[] = []): Promise<string> {
    const tree = (await this.run(["hash-object", "-t", "tree", "-w", "--stdin"], "")).trim();
    const args = [...IDENTITY, "commit-tree", tree, ...parents.flatMap((p) => ["-p", p])];
    return (await this.run(args, message)).trim();
  }

  async createEmptyCommitOn(parent: string, message: string): Promise<string> {
    const tree = (await this.run(["rev-parse", `${parent}^{tree}`])).trim();
    return (await this.run(["commit-tree", tree, "-p", parent], message)).trim();
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.tryRun(["merge-base", "--is-ancestor", ancestor, descendant])).code === 0;
  }

  async commitMessage(rev: string): Promise<string> {
    return this.run(["log", "-1", "--format=%B", rev]);
  }

  async commitsAdding(rev: string, path: string): Promise<string[]> {
    const out = await this.run(["log", "--reverse", "--diff-filter=A", "--format=%H", rev, "--", path]);
    return out.split("\n").filter((l) => l !== "");
  }

  async pathsEverAdded(rev: string, dir: string): Promise<string[]> {
    if ((await this.revParse(rev)) === undefined) return [];
    const out = await this.run(["log", "--diff-filter=A", "--name-only", "--format=", rev, "--", `${dir}/`]);
    return [...new Set(out.split("\n").filter((l) => l !== ""))];
  }

  async configValue(key: string): Promise<string | undefined> {
    const r = await this.tryRun(["config", "--get", key]);
    return r.code === 0 && r.stdout.trim() !== "" ? r.stdout.trim() : undefined;
  }
}
