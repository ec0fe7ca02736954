import { hostname, userInfo } from "node:os";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import type { Git } from "./git.js";

/** The ref of the lock on a branch (on `origin`, or in the local repository without one). */
export function lockRef(branch: string): string {
  return `refs/git-prolly/locks/${branch}`;
}

/** Who holds a lock, as written in its commit. */
export interface LockOwner {
  owner: string;
  command: string;
  acquiredAt: string;
  pid: number;
  host: string;
}

/** How long a lock lives before another client may break it (default 15 min, `GIT_PROLLY_LOCK_TTL_MS`). */
export function lockTtlMs(): number {
  const v = Number(process.env["GIT_PROLLY_LOCK_TTL_MS"]);
  return Number.isFinite(v) && v > 0 ? v : 15 * 60_000;
}

const ZERO = "0000000000000000000000000000000000000000";

/**
 * Runs `fn` holding the lock on `branch`: a fixed ref on `origin` created with a lease that says
 * "must not exist", so the server accepts exactly one of two racing clients (no check-then-act).
 * The lock commit records owner, command and time; a lock older than {@link lockTtlMs} is broken
 * (again with a lease on its id). The lock is released on every exit path of `fn`.
 *
 * @throws {@link DevError} `DEV_ORIGIN_LOCKED` naming the holder.
 */
export async function withOriginLock<T>(git: Git, branch: string, command: string, fn: () => Promise<T>): Promise<T> {
  const remote = await git.hasOrigin();
  const ref = lockRef(branch);
  const who: LockOwner = {
    owner: `${safeUser()}@${hostname()}`,
    command,
    acquiredAt: new Date().toISOString(),
    pid: process.pid,
    host: hostname(),
  };
  const tree = (await git.run(["mktree"], { input: "" })).trim();
  const sha = (await git.run(["commit-tree", tree, "-m", `git-prolly lock ${branch}\n\n${JSON.stringify(who)}`])).trim();
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(git, remote, ref, sha)) break;
    const held = await readLock(git, remote, ref);
    if (held === undefined) {
      if (attempt < 2) continue; // released between our push and our read
      throw locked(branch, undefined);
    }
    const age = Date.now() - Date.parse(held.owner.acquiredAt);
    if (attempt < 2 && Number.isFinite(age) && age > lockTtlMs()) {
      await deleteRef(git, remote, ref, held.sha);
      continue;
    }
    throw locked(branch, held.owner);
  }
  try {
    return await fn();
  } finally {
    await deleteRef(git, remote, ref, sha);
  }
}

/** The holder of the lock on `branch`, if any (reads origin, or the local ref without one). */
export async function lockHolder(git: Git, branch: string): Promise<(LockOwner & { sha: string }) | undefined> {
  const held = await readLock(git, await git.hasOrigin(), lockRef(branch));
  return held === undefined ? undefined : { ...held.owner, sha: held.sha };
}

async function tryCreate(git: Git, remote: boolean, ref: string, sha: string): Promise<boolean> {
  if (!remote) return (await git.tryRun(["update-ref", ref, sha, ZERO])).code === 0;
  const r = await git.tryRun(["push", "--quiet", "--porcelain", `--force-with-lease=${ref}:`, "origin", `${sha}:${ref}`]);
  return r.code === 0;
}

async function deleteRef(git: Git, remote: boolean, ref: string, sha: string): Promise<void> {
  if (!remote) {
    await git.tryRun(["update-ref", "-d", ref, sha]);
    return;
  }
  await git.tryRun(["push", "--quiet", "--porcelain", `--force-with-lease=${ref}:${sha}`, "origin", `:${ref}`]);
}

async function readLock(git: Git, remote: boolean, ref: string): Promise<{ sha: string; owner: LockOwner } | undefined> {
  let sha: string | undefined;
  if (remote) {
    const out = await git.tryRun(["ls-remote", "origin", ref]);
    sha = out.stdout.split(/\s/)[0];
    if (sha === undefined || sha === "") return undefined;
    await git.tryRun(["fetch", "--quiet", "--no-tags", "origin", ref]);
  } else {
    sha = await git.revParse(ref);
    if (sha === undefined) return undefined;
  }
  const body = await git.tryRun(["log", "-1", "--format=%b", sha]);
  let owner: LockOwner;
  try {
    owner = JSON.parse(body.stdout.trim()) as LockOwner;
  } catch {
    owner = { owner: "unknown", command: "unknown", acquiredAt: new Date(0).toISOString(), pid: 0, host: "unknown" };
  }
  return { sha, owner };
}

function locked(branch: string, owner: LockOwner | undefined): DevError {
  const since = owner === undefined ? "" : `, held by ${owner.owner} (${owner.command}) since ${owner.acquiredAt}`;
  return new DevError(DEV_ERROR_CODES.ORIGIN_LOCKED, `Branch ${branch} is locked by another process${since}`, {
    hint: `Wait for the other command to finish and run this again; a lock older than ${Math.round(lockTtlMs() / 60_000)} min is broken automatically.`,
    data: { branch, ref: lockRef(branch), ...(owner === undefined ? {} : { holder: owner }) },
  });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
