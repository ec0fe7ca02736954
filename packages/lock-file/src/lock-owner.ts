import { hostname } from "node:os";
import { threadId } from "node:worker_threads";

/** The process that holds an owned lock, as its lock file records it. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** The worker thread inside that process (0: the main thread); absent in older lock files. */
  threadId?: number;
}

/** This thread as a lock owner. */
export function currentOwner(): LockOwner {
  return { pid: process.pid, hostname: hostname(), threadId };
}

/** The lock file's text for `owner`: `pid host thread\n`. */
export function formatOwner(owner: LockOwner): string {
  return `${owner.pid} ${owner.hostname} ${owner.threadId ?? 0}\n`;
}

/** The owner a lock file names, or undefined for text not written by {@link formatOwner}. */
export function parseOwner(text: string): LockOwner | undefined {
  const m = /^(\d+) (\S+)(?: (\d+))?\n$/.exec(text);
  if (m === null) return undefined;
  const owner: LockOwner = { pid: Number(m[1]), hostname: m[2] ?? "" };
  if (m[3] !== undefined) owner.threadId = Number(m[3]);
  return owner;
}

/** True unless no process of this host has `pid` (a process we may not signal counts as running). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code !== "ESRCH";
  }
}

/**
 * True when the owner of a lock is certainly gone: a process of this host that no longer runs,
 * or this very thread when it does not hold the lock (`heldHere` false: the pid was reused
 * after the process that took it died). Another host's process, or another thread of this
 * process, cannot be checked and counts as alive.
 */
export function ownerIsGone(owner: LockOwner, heldHere: boolean): boolean {
  if (owner.hostname !== hostname()) return false;
  if (owner.pid !== process.pid) return !isRunning(owner.pid);
  return !heldHere && (owner.threadId ?? 0) === threadId;
}
