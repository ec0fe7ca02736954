import { hostname, userInfo } from "node:os";
import { HO_PROD_LOCK_REF } from "./branch-names.js";
import type { GitPort } from "./git-port.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";

/** Who holds a lock (or a patch id reservation), as written in its commit message. */
export interface LockOwner {
  /** `user.email` of the holder's Git configuration, else the OS user name. */
  owner: string;
  host: string;
  pid: number;
  /** The command that took it, e.g. `patch add 123-users`. */
  command: string;
  /** ISO time of acquisition (holder's clock). */
  acquiredAt: string;
  /** ISO time after which another client may take the lock over. */
  expiresAt: string;
}

/** A lock as seen on the remote. */
export interface LockState {
  /** The ref, e.g. `refs/git-prolly/lock/ho-prod`. */
  ref: string;
  /** The lock commit's id: the lease a takeover or a release must name. */
  id: string;
  /** Undefined when the commit message cannot be read as a lock. */
  holder: LockOwner | undefined;
  /** True when `expiresAt` is past (or the message is unreadable). */
  stale: boolean;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly ref: string;
  /** The current lock commit (changes when the lock is renewed). */
  readonly id: string;
  readonly holder: LockOwner;
  /**
   * Pushes a new lock commit with a later `expiresAt`, with a lease on the current id. Resolves
   * false when the lock is no longer ours (released, or taken over after it expired).
   */
  renew(): Promise<boolean>;
  /**
   * Deletes the ref on the remote if it still is this lock (lease on `id`); idempotent. Resolves
   * false when the ref was no longer this lock (it expired and another client took it over).
   */
  release(): Promise<boolean>;
}

/** Options of {@link acquireOriginLock}. */
export interface OriginLockOptions {
  /** The command that takes the lock, recorded for whoever finds it held. */
  command: string;
  /** The remote (default `origin` when configured, else `.`: the lock is then a ref of the local repository). */
  remote?: string;
  /** The lock ref (default {@link HO_PROD_LOCK_REF}). */
  ref?: string;
  /** Lifetime before the lock counts as stale (default 10 minutes, `GIT_PROLLY_LOCK_TTL_MS` overrides). */
  ttlMs?: number;
  /** The clock (tests). */
  now?: () => Date;
}

const DEFAULT_TTL_MS = 10 * 60 * 1000;
const TITLE = "git-prolly lock";

/** The lifetime of a lock: `options.ttlMs`, else `GIT_PROLLY_LOCK_TTL_MS`, else 10 minutes. */
export function lockTtlMs(ttlMs?: number): number {
  if (ttlMs !== undefined) return ttlMs;
  const env = Number(process.env["GIT_PROLLY_LOCK_TTL_MS"]);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_TTL_MS;
}

/** The commit message of a lock: a title, then the holder as JSON. */
export function formatLockMessage(holder: LockOwner, ref: string): string {
  return `${TITLE} ${ref}\n\n${JSON.stringify(holder, null, 2)}\n`;
}

/** Reads a holder from a lock commit message; undefined when it is not one. */
export function parseLockMessage(message: string): LockOwner | undefined {
  const start = message.indexOf("{");
  if (!message.startsWith(TITLE) || start < 0) return undefined;
  try {
    const v = JSON.parse(message.slice(start)) as Partial<LockOwner>;
    if (
      typeof v.owner !== "string" ||
      typeof v.host !== "string" ||
      typeof v.pid !== "number" ||
      typeof v.command !== "string" ||
      typeof v.acquiredAt !== "string" ||
      typeof v.expiresAt !== "string"
    )
      return undefined;
    return {
      owner: v.owner,
      host: v.host,
      pid: v.pid,
      command: v.command,
      acquiredAt: v.acquiredAt,
      expiresAt: v.expiresAt,
    };
  } catch {
    return undefined;
  }
}

/** Who this process is, for lock and reservation commits. */
export async function currentHolder(git: GitPort, command: string, ttlMs: number, now: Date): Promise<LockOwner> {
  const email = await git.configValue("user.email");
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return {
    owner: email ?? user,
    host: hostname(),
    pid: process.pid,
    command,
    acquiredAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
  };
}

/** `origin` when it is configured, else `.` (the local repository). */
export async function defaultRemote(git: GitPort): Promise<string> {
  return (await git.hasRemote("origin")) ? "origin" : ".";
}

/** The lock on the remote, if any (for `dev status` and error messages). */
export async function readOriginLock(
  git: GitPort,
  options: { remote?: string; ref?: string; now?: () => Date } = {},
): Promise<LockState | undefined> {
  const ref = options.ref ?? HO_PROD_LOCK_REF;
  const found = await git.readRemoteCommit(options.remote ?? (await defaultRemote(git)), ref);
  if (found === undefined) return undefined;
  const holder = parseLockMessage(found.message);
  const now = (options.now ?? (() => new Date()))().getTime();
  return { ref, id: found.id, holder, stale: holder === undefined || Date.parse(holder.expiresAt) < now };
}

function describeHolder(h: LockOwner | undefined): string {
  return h === undefined
    ? "an unknown holder"
    : `${h.owner} on ${h.host} (pid ${h.pid}, "${h.command}", since ${h.acquiredAt})`;
}

/** The `RELEASE_LOCKED` error for a lock held by someone else. */
export function lockedError(state: LockState | undefined, ref: string): ReleaseError {
  const h = state?.holder;
  return new ReleaseError(RELEASE_ERROR_CODES.LOCKED, `Branch ho-prod is locked by ${describeHolder(h)}`, {
    hint:
      h === undefined
        ? "Another git-prolly command is changing ho-prod; wait a moment and run the command again"
        : `Wait for ${h.owner}'s "${h.command}" to finish and run the command again; the lock expires at ${h.expiresAt} if its holder died`,
    data: { ref, ...(state === undefined ? {} : { lockId: state.id }), ...(h === undefined ? {} : { holder: h }) },
  });
}

const live = new Set<{ releaseSync(): void }>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const l of [...live]) l.releaseSync();
  uninstall();
  // Nobody else listens: die of the signal as the default action would.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onExit(): void {
  for (const l of [...live]) l.releaseSync();
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on("exit", onExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off("exit", onExit);
}

/**
 * Takes the lock on the remote, atomically: a new commit whose message holds owner, host, pid,
 * command, time and expiry is pushed to the fixed ref with `--force-with-lease=<ref>:` (the ref
 * must not exist; the receiving repository checks the old value under its ref lock, so of two
 * clients exactly one succeeds — never check-then-act). A stale lock (past `expiresAt`) is taken
 * over with a lease on its exact id, so two clients breaking the same stale lock cannot both win.
 * A held lock is `RELEASE_LOCKED` with its holder and a hint. The lock is released by
 * {@link HeldLock.release}, or on SIGINT/SIGTERM/SIGHUP and process exit.
 */
export async function acquireOriginLock(git: GitPort, options: OriginLockOptions): Promise<HeldLock> {
  const remote = options.remote ?? (await defaultRemote(git));
  const ref = options.ref ?? HO_PROD_LOCK_REF;
  const now = options.now ?? (() => new Date());
  const ttl = lockTtlMs(options.ttlMs);
  let expected: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const holder = await currentHolder(git, options.command, ttl, now());
    const id = await git.createDetachedCommit(formatLockMessage(holder, ref));
    const pushed = await git.pushWithLease(remote, { ref, newValue: id, expected });
    if (pushed.ok) return hold(git, remote, ref, id, holder, ttl, now);
    if (pushed.reason === "rejected" && (await git.lsRemote(remote, ref)).size === 0) {
      throw new ReleaseError(
        RELEASE_ERROR_CODES.GIT_FAILED,
        `Could not take the lock ${ref} on ${remote}: ${pushed.message}`,
        {
          hint: `Check that you can push to ${remote} (git push --dry-run ${remote} ho-prod)`,
          data: { ref, remote },
        },
      );
    }
    const state = await readOriginLock(git, { remote, ref, now });
    if (state === undefined) {
      expected = null; // released meanwhile: try to create it again
      continue;
    }
    if (!state.stale) throw lockedError(state, ref);
    expected = state.id; // take over the stale lock, with a lease on its exact id
  }
  throw lockedError(await readOriginLock(git, { remote, ref, now }), ref);
}

function hold(
  git: GitPort,
  remote: string,
  ref: string,
  firstId: string,
  firstHolder: LockOwner,
  ttl: number,
  now: () => Date,
): HeldLock {
  let released = false;
  let id = firstId;
  let holder = firstHolder;
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const next = chain.then(op, op);
    chain = next.catch(() => undefined);
    return next;
  };
  const entry = {
    releaseSync(): void {
      if (released) return;
      released = true;
      live.delete(entry);
      git.pushWithLeaseSync(remote, { ref, newValue: null, expected: id });
    },
  };
  live.add(entry);
  install();
  return {
    ref,
    get id() {
      return id;
    },
    get holder() {
      return holder;
    },
    renew(): Promise<boolean> {
      return serial(async () => {
        if (released) return false;
        const next: LockOwner = { ...holder, expiresAt: new Date(now().getTime() + ttl).toISOString() };
        const nextId = await git.createDetachedCommit(formatLockMessage(next, ref));
        const r = await git.pushWithLease(remote, { ref, newValue: nextId, expected: id });
        if (!r.ok) return false;
        id = nextId;
        holder = next;
        return true;
      });
    },
    release(): Promise<boolean> {
      return serial(async () => {
        if (released) return true;
        released = true;
        live.delete(entry);
        if (live.size === 0) uninstall();
        const r = await git.pushWithLease(remote, { ref, newValue: null, expected: id });
        if (!r.ok && r.reason === "rejected") {
          throw new ReleaseError(RELEASE_ERROR_CODES.GIT_FAILED, `Could not release the lock ${ref}: ${r.message}`, {
            hint: `Check access to ${remote}; the lock expires at ${holder.expiresAt}`,
            data: { ref, lockId: id },
          });
        }
        // "stale": the ref no longer is our lock (expired and taken over); nothing of ours to delete.
        return r.ok;
      });
    },
  };
}

/**
 * Runs `fn` holding the lock, renewed every third of its lifetime (so a long test run never lets
 * it expire), and releases it on every exit path (return, throw, signal).
 * Before returning, checks the lock is still ours: if it was taken over (we outlived the expiry)
 * the result is `RELEASE_LOCK_LOST`, since another client may have changed ho-prod meanwhile.
 */
export async function withOriginLock<T>(
  git: GitPort,
  options: OriginLockOptions,
  fn: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireOriginLock(git, options);
  const ttl = lockTtlMs(options.ttlMs);
  const timer = setInterval(() => void lock.renew().catch(() => false), Math.max(Math.floor(ttl / 3), 1000));
  timer.unref();
  let result: T;
  try {
    result = await fn(lock);
  } catch (e) {
    clearInterval(timer);
    await lock.release().catch(() => false);
    throw e;
  }
  clearInterval(timer);
  if (!(await lock.release())) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.LOCK_LOST,
      `The lock ${lock.ref} expired during "${options.command}" and was taken over by another client`,
      {
        hint: "Check ho-prod (git fetch origin && git log origin/ho-prod) before running another command; raise GIT_PROLLY_LOCK_TTL_MS for long test suites",
        data: { ref: lock.ref, lockId: lock.id, expiresAt: lock.holder.expiresAt },
      },
    );
  }
  return result;
}
