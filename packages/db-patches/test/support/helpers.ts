/** Shared test helpers: one server database and one PGlite data directory per test file. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { expect, inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../src/connection/open-database.js";
import type { ConnectionOptions } from "../../src/connection/resolve-connection.js";
import { DbPatchError } from "../../src/errors.js";

export type BackendKind = "pglite" | "server";
export const BACKENDS: readonly BackendKind[] = ["pglite", "server"];

/** The server URL, or a failure that says why there is none. */
export function serverUrl(): string {
  const url = inject("pgUrl");
  if (url === "") throw new Error(inject("pgUrlError") || "TEST_PG_URL is not set");
  return url;
}

export function tmpDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gp-dbp-${prefix}-`));
}

/** URL of `db` on the test server. */
export function urlFor(db: string): string {
  const u = new URL(serverUrl());
  u.pathname = `/${db}`;
  return u.toString();
}

/** Runs SQL on the server's maintenance database. */
export async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates a uniquely named database for one test file. */
export async function createServerDatabase(prefix: string): Promise<string> {
  const name = `gp_${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin((c) => c.query(`create database "${name}"`));
  return name;
}

export async function dropServerDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
}

/**
 * A backend for a test file: connection options and a lazily opened, shared handle. PGlite
 * instances are expensive (≈0.5 GB, ≈0.6 s to open): one per file, reset between tests.
 */
export class Backend {
  readonly kind: BackendKind;
  #options: ConnectionOptions | undefined;
  #handle: DatabaseHandle | undefined;
  #dbName: string | undefined;
  #dir: string | undefined;
  readonly prefix: string;

  constructor(kind: BackendKind, prefix: string) {
    this.kind = kind;
    this.prefix = prefix;
  }

  /** Connection options of this backend's database (created on first use). */
  async options(): Promise<ConnectionOptions> {
    if (this.#options !== undefined) return this.#options;
    if (this.kind === "server") {
      this.#dbName = await createServerDatabase(this.prefix);
      this.#options = { url: urlFor(this.#dbName), env: {} };
    } else {
      this.#dir = tmpDir(this.prefix);
      this.#options = {
        kind: "pglite",
        pgliteDir: join(this.#dir, ".pglite", "db"),
        pgliteCacheDir: inject("pgliteCacheDir"),
        env: {},
      };
    }
    return this.#options;
  }

  get databaseName(): string {
    return this.#dbName ?? "";
  }

  /** The shared handle (opened on first use). */
  async handle(): Promise<DatabaseHandle> {
    if (this.#handle === undefined || this.#handle.closed) this.#handle = await openDatabase(await this.options());
    return this.#handle;
  }

  /** Closes the shared handle (e.g. before a restore that needs the database to itself). */
  async closeHandle(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
  }

  /** Empties the database: drops the public and git_prolly schemas (and any other of ours). */
  async reset(): Promise<void> {
    const h = await this.handle();
    const schemas = await sql<{ nspname: string }>`
      select nspname from pg_namespace
       where nspname not like 'pg\\_%' and nspname not in ('information_schema')`.execute(h.db);
    for (const s of schemas.rows) await sql.raw(`drop schema "${s.nspname}" cascade`).execute(h.db);
    await sql`create schema public`.execute(h.db);
  }

  async dispose(): Promise<void> {
    await this.closeHandle();
    if (this.#dbName !== undefined) await dropServerDatabase(this.#dbName);
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Writes `Patches/<id>/<file>` trees under `root`; returns the Patches directory. */
export function writePatches(root: string, patches: Record<string, Record<string, string>>): string {
  const dir = join(root, "Patches");
  for (const [id, files] of Object.entries(patches)) {
    for (const [name, content] of Object.entries(files)) {
      const path = join(dir, id, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
  }
  return dir;
}

/** The DbPatchError that `fn` throws (a test failure when it throws nothing or something else). */
export function thrownBy(fn: () => unknown): DbPatchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DbPatchError);
    return e as DbPatchError;
  }
  throw new Error("expected a DbPatchError");
}

/** The DbPatchError that `p` rejects with, checked to carry `code`. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<DbPatchError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DbPatchError);
    expect((e as DbPatchError).code).toBe(code);
    return e as DbPatchError;
  }
  throw new Error(`expected ${code}`);
}
