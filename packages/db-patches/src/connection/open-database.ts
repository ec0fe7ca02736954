import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { AsyncMutex } from "./async-mutex.js";
import { lockDataDir } from "./data-dir-lock.js";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { PgliteDialect } from "./pglite-dialect.js";
import { scrubError } from "./redact-url.js";
import {
  resolveConnection,
  targetSecrets,
  type ConnectionOptions,
  type ConnectionTarget,
  type PgliteTarget,
  type ServerTarget,
} from "./resolve-connection.js";

/** The PGlite release this build pins; part of every cached cluster image's name. */
export const PGLITE_VERSION = "0.5.8";

/**
 * An open database: a Kysely instance plus what db-patches needs to run tools against it.
 * Obtain one with {@link openDatabase}; always {@link DatabaseHandle.close} it.
 */
export class DatabaseHandle {
  /** Which backend this is. */
  readonly kind: "pglite" | "server";
  /** Kysely over the database. int8 values come back as strings on both backends, as pg returns them. */
  readonly db: Kysely<any>;
  /** Where it is, password redacted. */
  readonly display: string;
  /** @internal */
  readonly target: ConnectionTarget;
  /** @internal PGlite only: the instance and the mutex every use of it goes through. */
  readonly pglite: { readonly instance: PGlite; readonly mutex: AsyncMutex } | undefined;
  /** @internal Server only. */
  readonly pool: pg.Pool | undefined;
  #onClose: () => Promise<void> | void;
  #closed = false;

  /** @internal */
  constructor(parts: {
    target: ConnectionTarget;
    db: Kysely<any>;
    pglite?: { instance: PGlite; mutex: AsyncMutex };
    pool?: pg.Pool;
    onClose?: () => Promise<void> | void;
  }) {
    this.kind = parts.target.kind;
    this.target = parts.target;
    this.display = parts.target.display;
    this.db = parts.db;
    this.pglite = parts.pglite;
    this.pool = parts.pool;
    this.#onClose = parts.onClose ?? (() => {});
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the pool or the PGlite instance and releases the data-directory lock. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.db.destroy();
      // Kysely initialises its driver lazily and destroys only what it initialised: a handle used
      // only through execScript or the PGlite mutex still owns an open pool or instance.
      if (this.pool !== undefined && !this.pool.ended) await this.pool.end();
      const pglite = this.pglite;
      if (pglite !== undefined && !pglite.instance.closed) await pglite.mutex.run(() => pglite.instance.close());
    } finally {
      await this.#onClose();
    }
  }

  /**
   * @internal Runs a multi-statement script in one round trip (simple-query protocol), outside
   * Kysely. Used for trusted scripts (schema dumps), never for patches: no per-statement report.
   */
  async execScript(script: string): Promise<void> {
    // Scripts such as pg_dump output change session settings (search_path = ''): reset them on
    // the same session afterwards, failed or not.
    if (this.pglite !== undefined) {
      const { instance, mutex } = this.pglite;
      await mutex.run(async () => {
        try {
          await instance.exec(script);
        } finally {
          await instance.exec("reset all").catch(() => {});
        }
      });
      return;
    }
    const client = await this.pool!.connect();
    try {
      await client.query(script);
    } finally {
      await client.query("reset all").catch(() => {});
      client.release();
    }
  }

  /**
   * @internal Closes the instance or pool but keeps the PGlite data-directory lock: the caller
   * replaces the data directory and must call the returned function to release it.
   */
  async closeKeepingLock(): Promise<() => Promise<void> | void> {
    const release = this.#onClose;
    this.#onClose = () => {};
    await this.close();
    return release;
  }

  /** @internal Exclusive use of the PGlite instance (no query of Kysely runs meanwhile). */
  async withPglite<T>(fn: (pglite: PGlite) => Promise<T>): Promise<T> {
    if (this.pglite === undefined) {
      throw new DbPatchError(DB_PATCH_ERROR_CODES.INVALID_OPTIONS, `withPglite on ${this.display}, a server handle`, {
        hint: "Use a handle opened on a PGlite data directory.",
        data: { database: this.display },
      });
    }
    const { instance, mutex } = this.pglite;
    return mutex.run(() => fn(instance));
  }

  /** No pool, password or instance in `console.log(handle)`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `DatabaseHandle(${this.display})`;
  }

  toJSON(): { kind: string; display: string } {
    return { kind: this.kind, display: this.display };
  }
}

/**
 * Opens the database the options designate: a server through `pg` (`url`, `DATABASE_URL`, or
 * `PG*` variables), else PGlite in a Git-ignored data directory, locked against a second opener.
 *
 * @throws {@link DbPatchError} `DB_CONNECTION_FAILED` (message free of the password),
 * `DB_PGLITE_LOCKED`.
 *
 * @example
 * ```ts
 * const handle = await openDatabase({ url: process.env.DATABASE_URL });
 * try { await handle.db.selectFrom("users").selectAll().execute(); } finally { await handle.close(); }
 * ```
 */
export async function openDatabase(options: ConnectionOptions = {}): Promise<DatabaseHandle> {
  const target = resolveConnection(options);
  return target.kind === "server" ? openServer(target) : openPglite(target);
}

/** @internal Opens an already resolved target. */
export async function openTarget(target: ConnectionTarget): Promise<DatabaseHandle> {
  return target.kind === "server" ? openServer(target) : openPglite(target);
}

/** @internal A pg client configuration for a target, with the password behind a closure. */
export function pgConfig(target: ServerTarget): pg.ClientConfig {
  const config: pg.ClientConfig = {
    ...(target.clientConfig as pg.ClientConfig),
    application_name: target.applicationName,
  };
  if (target.password() !== undefined) config.password = () => target.password() as string;
  return config;
}

/** @internal Connects one pg client, turning failures into a scrubbed `DB_CONNECTION_FAILED`. */
export async function connectClient(target: ServerTarget): Promise<pg.Client> {
  const client = new pg.Client(pgConfig(target));
  client.on("error", () => {}); // a killed backend must not crash the process; the next query fails
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw connectionError(target, e);
  }
  return client;
}

/** @internal */
export function connectionError(target: ServerTarget, e: unknown): DbPatchError {
  const cause = scrubError(e, targetSecrets(target));
  return new DbPatchError(
    DB_PATCH_ERROR_CODES.CONNECTION_FAILED,
    `cannot connect to ${target.display}: ${cause.message}`,
    {
      hint: "Check that the server is running and that the URL (DATABASE_URL, --database-url or PG* variables) is right.",
      data: { database: target.display, ...(cause.code ? { sqlState: cause.code } : {}) },
      cause,
    },
  );
}

async function openServer(target: ServerTarget): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ ...pgConfig(target), max: target.poolSize });
  // Idle clients die when a database is dropped WITH (FORCE) or the server restarts: without a
  // listener, pg re-emits that as an uncaught 'error' and the process exits.
  pool.on("error", () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => {});
    throw connectionError(target, e);
  }
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return new DatabaseHandle({ target, db, pool });
}

/** @internal Opens PGlite; with `heldLock`, reuses a data-directory lock the caller already holds. */
export async function openPglite(target: PgliteTarget, heldLock?: () => Promise<void> | void): Promise<DatabaseHandle> {
  ensureParent(target.dataDir);
  const lock = heldLock === undefined ? await lockDataDir(target.dataDir) : { release: heldLock };
  try {
    const instance = await createPglite(target);
    const mutex = new AsyncMutex();
    const db = new Kysely<any>({ dialect: new PgliteDialect({ pglite: instance, mutex }) });
    return new DatabaseHandle({ target, db, pglite: { instance, mutex }, onClose: () => lock.release() });
  } catch (e) {
    await lock.release();
    throw e;
  }
}

/** @internal The parser table that makes PGlite return int8 (type oid 20) as pg does: a string (G15). */
export const PGLITE_PARSERS = { 20: (x: string) => x };

/**
 * @internal PGlite is loaded on first use only: a server-only run (the CLI against production)
 * does not pay for importing it.
 */
// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- the type of a lazily imported module
export async function loadPglite(): Promise<typeof import("@electric-sql/pglite")> {
  return import("@electric-sql/pglite");
}

/** @internal Creates (or resumes) the PGlite instance of a target, using the cluster cache. */
export async function createPglite(target: PgliteTarget): Promise<PGlite> {
  const fresh = !existsSync(join(target.dataDir, "PG_VERSION"));
  const cached =
    target.cacheDir === undefined ? undefined : join(target.cacheDir, `empty-cluster-pglite-${PGLITE_VERSION}.tar`);
  const { PGlite } = await loadPglite();
  try {
    if (fresh && cached !== undefined && existsSync(cached)) {
      return await PGlite.create(target.dataDir, {
        parsers: PGLITE_PARSERS,
        loadDataDir: new Blob([readFileSync(cached)]),
      });
    }
    const instance = await PGlite.create(target.dataDir, { parsers: PGLITE_PARSERS });
    if (fresh && cached !== undefined) {
      const tar = await instance.dumpDataDir("none");
      mkdirSync(dirname(cached), { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      writeFileSync(tmp, new Uint8Array(await tar.arrayBuffer()));
      renameSync(tmp, cached);
    }
    return instance;
  } catch (e) {
    throw new DbPatchError(
      DB_PATCH_ERROR_CODES.CONNECTION_FAILED,
      `cannot open PGlite in ${target.dataDir}: ${(e as Error).message}`,
      {
        hint: "Check that the directory is writable and holds a PGlite data directory (or nothing).",
        data: { dataDir: target.dataDir },
        cause: e,
      },
    );
  }
}

/**
 * Creates the data directory's parent. A parent named `.pglite` (the default) is ours: it gets a
 * `.gitignore` of `*`, so Git ignores the data, its lock and its snapshots whatever the project's
 * own `.gitignore` says.
 */
export function ensureParent(dataDir: string): void {
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  const ignore = join(parent, ".gitignore");
  if (basename(parent) === ".pglite" && !existsSync(ignore)) writeFileSync(ignore, "*\n");
}
