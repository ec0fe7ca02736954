import { unlinkSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { onExit } from "signal-exit";

/*
 * The lock files this thread holds, removed when the process exits or a signal kills it (Ctrl-C),
 * as Git removes its own: a lock left behind stops every later command until removed by hand.
 * This state is module-level on purpose: a lock belongs to the process (its file names the pid),
 * not to a store object, and the exit handler that removes it is process-wide too. signal-exit
 * decides when a signal ends the process (no other handler takes it) and plays well with the
 * other libraries that use it; a handler is installed only while a lock is held. Worker threads
 * have their own copy of this module and no exit handler (their process's main thread has it).
 */
const held = new Set<string>();
/**
 * Owned lock files this thread is creating or removing right now: between the hard link and
 * `track`, and between `untrack` and the removal, the file on disk is still this thread's.
 */
const busy = new Map<string, number>();
let stopWatching: (() => void) | undefined;

function removeHeld(): void {
  for (const p of held) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
  held.clear();
}

/** Records a lock file this thread now holds. */
export function track(lockPath: string): void {
  held.add(lockPath);
  if (stopWatching === undefined && isMainThread) stopWatching = onExit(removeHeld);
}

/** Forgets a lock file; called before it is renamed or removed, so a signal meanwhile never removes a successor's lock. */
export function untrack(lockPath: string): void {
  held.delete(lockPath);
  if (held.size > 0 || stopWatching === undefined) return;
  stopWatching();
  stopWatching = undefined;
}

/**
 * Marks `lockPath` as being created or removed by this thread until the returned function is
 * called. Its lock file exists (linked into place) before the lock is tracked, and after it is
 * untracked until it is removed: a concurrent waiter of this thread must not take that file,
 * which names this very process, for one left by a dead process whose pid was reused (it would
 * break it, take the lock, and then lose its own lock file to the pending removal).
 */
export function markBusy(lockPath: string): () => void {
  busy.set(lockPath, (busy.get(lockPath) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const n = (busy.get(lockPath) ?? 1) - 1;
    if (n === 0) busy.delete(lockPath);
    else busy.set(lockPath, n);
  };
}

/** True when this thread holds `lockPath`, or is creating or removing it. */
export function isHeldHere(lockPath: string): boolean {
  return held.has(lockPath) || busy.has(lockPath);
}
