import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import type pg from "pg";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { connectClient, type DatabaseHandle } from "../connection/open-database.js";
import type { ServerTarget } from "../connection/resolve-connection.js";

/** Options of {@link withAdvisoryLock}. */
export interface AdvisoryLockOptions {
  /** The project whose lock to take; the key is derived from it. */
  project: string;
  /** How long to wait for another holder, in ms; 0 fails at once (default 30 000). */
  timeoutMs?: number;
  /** A suffix that scopes the lock (e.g. a database name, for locks taken in a maintenance database). */
  scope?: string;
}

/** Locks this async flow already holds, so nested operations do not wait on themselves. */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

/** PGlite: the in-process holder per handle (the data-directory lock keeps other processes out). */
const pgliteHolders = new WeakMap<object, Set<string>>();

/**
 * The 64-bit advisory-lock key of a project: the first 8 bytes of
 * `sha256("git-prolly\0" + project [+ "\0" + scope])`, as a signed decimal string (bigint).
 */
export function advisoryLockKey(project: string, scope?: string): string {
  const digest = createHash("sha256")
    .update(`git-prolly\0${project}${scope === undefined ? "" : `\0${scope}`}`)
    .digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Runs `fn` while holding the project's PostgreSQL advisory lock: every operation that changes a
 * database holds it, so two runs never interleave. The lock lives on a dedicated session that stays
 * idle (no snapshot), and waiters poll with `pg_try_advisory_lock` instead of blocking, so a
 * `CREATE INDEX CONCURRENTLY` run under the lock cannot deadlock with a waiter (flyway#1654).
 * Nested calls in the same async flow do not wait on themselves.
 *
 * On PGlite, where the data-directory lock already keeps other processes out, the lock serialises
 * operations on the handle within the process.
 *
 * @throws {@link DbPatchError} `DB_LOCK_TIMEOUT` naming the holding backend's pid.
 */
export async function withAdvisoryLock<T>(
  handle: DatabaseHandle,
  options: AdvisoryLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const key = advisoryLockKey(options.project, options.scope);
  return reentrant(`${handle.display}#${key}`, fn, () =>
    handle.kind === "server"
      ? lockServer(handle.target as ServerTarget, key, options)
      : lockPglite(handle, key, options),
  );
}

/**
 * @internal Runs `fn` under the project lock taken in any database of a server (a maintenance
 * database, for operations that drop and create the target database).
 */
export async function withServerLock<T>(
  target: ServerTarget,
  options: AdvisoryLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const key = advisoryLockKey(options.project, options.scope);
  return reentrant(`${target.display}#${key}`, fn, () => lockServer(target, key, options));
}

async function reentrant<T>(id: string, fn: () => Promise<T>, acquire: () => Promise<() => Promise<void>>): Promise<T> {
  const mine = held.getStore();
  if (mine?.has(id)) return fn();
  const release = await acquire();
  try {
    return await held.run(new Set([...(mine ?? []), id]), fn);
  } finally {
    await release();
  }
}

/** @internal Takes the lock on a server target (any database): returns its release function. */
export async function lockServer(
  target: ServerTarget,
  key: string,
  options: AdvisoryLockOptions,
): Promise<() => Promise<void>> {
  const client = await connectClient(target);
  try {
    await poll(
      options,
      async () => {
        const r = await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1::bigint) as ok", [key]);
        return r.rows[0]?.ok === true;
      },
      async () => holderOf(client, key),
    );
  } catch (e) {
    await client.end().catch(() => {});
    throw lockError(e, options, key, target.display);
  }
  return async () => {
    try {
      await client.query("select pg_advisory_unlock($1::bigint)", [key]);
    } catch {
      // The session is gone: the server released the lock with it.
    } finally {
      await client.end().catch(() => {});
    }
  };
}

async function lockPglite(
  handle: DatabaseHandle,
  key: string,
  options: AdvisoryLockOptions,
): Promise<() => Promise<void>> {
  let set = pgliteHolders.get(handle);
  if (set === undefined) {
    set = new Set();
    pgliteHolders.set(handle, set);
  }
  const holders = set;
  try {
    await poll(
      options,
      async () => {
        if (holders.has(key)) return false;
        holders.add(key);
        return true;
      },
      async () => ({ pid: process.pid }),
    );
  } catch (e) {
    throw lockError(e, options, key, handle.display);
  }
  // The advisory lock itself, for tools that inspect pg_locks; PGlite has one session, so it never waits.
  await handle.withPglite((pg) => pg.query("select pg_advisory_lock($1::bigint)", [key]));
  return async () => {
    try {
      if (!handle.closed) await handle.withPglite((pg) => pg.query("select pg_advisory_unlock($1::bigint)", [key]));
    } finally {
      holders.delete(key);
    }
  };
}

class Timeout extends Error {
  constructor(readonly holder: Record<string, unknown> | undefined) {
    super("timeout");
  }
}

async function poll(
  options: AdvisoryLockOptions,
  attempt: () => Promise<boolean>,
  holder: () => Promise<Record<string, unknown> | undefined>,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  for (;;) {
    if (await attempt()) return;
    if (Date.now() >= deadline) throw new Timeout(await holder().catch(() => undefined));
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(1, deadline - Date.now()))));
    delay = Math.min(delay * 2, 250);
  }
}

async function holderOf(client: pg.Client, key: string): Promise<Record<string, unknown> | undefined> {
  const k = BigInt.asUintN(64, BigInt(key));
  const r = await client.query<{
    pid: number;
    application_name: string | null;
    backend_start: Date | null;
    state: string | null;
  }>(
    `select l.pid, a.application_name, a.backend_start, a.state
       from pg_locks l left join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.objsubid = 1
        and l.classid = $1::oid and l.objid = $2::oid
        and l.database = (select oid from pg_database where datname = current_database())`,
    [(k >> 32n).toString(), (k & 0xffffffffn).toString()],
  );
  const row = r.rows[0];
  if (row === undefined) return undefined;
  return {
    pid: row.pid,
    applicationName: row.application_name,
    backendStart: row.backend_start?.toISOString() ?? null,
    state: row.state,
  };
}

function lockError(e: unknown, options: AdvisoryLockOptions, key: string, display: string): unknown {
  if (!(e instanceof Timeout)) return e;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const who = e.holder?.["pid"] !== undefined ? ` (held by backend pid ${String(e.holder["pid"])})` : "";
  return new DbPatchError(
    DB_PATCH_ERROR_CODES.LOCK_TIMEOUT,
    `another git-prolly run holds the lock of project ${options.project} on ${display}${who}; gave up after ${timeoutMs} ms`,
    {
      hint: "Wait for the other run to finish and try again (or raise the lock timeout). If it hung, end its session with pg_terminate_backend(pid).",
      data: { project: options.project, key, timeoutMs, database: display, ...(e.holder ? { holder: e.holder } : {}) },
    },
  );
}
