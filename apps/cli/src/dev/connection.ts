import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, PGLITE_VERSION, resolveConnection, type ConnectionOptions } from "@git-prolly/db-patches";
import { sql } from "kysely";
import type { Project } from "./project-config.js";

/** Where the connection comes from: `--database-url`, else DATABASE_URL, else PG*, else PGlite. */
export interface ConnectionFlags {
  databaseUrl?: string | undefined;
}

/** The database name of a clone (its local override, else the committed one). */
export function databaseName(project: Project): string {
  return project.local.database ?? project.config.database;
}

/**
 * The db-patches connection of a project. On a server, the database is the project's (the
 * `--database` of `init`), whatever database the URL or PGDATABASE names; on PGlite it is the data
 * directory `.pglite/<database>` of the project, which Git ignores.
 */
export function projectConnection(root: string, database: string, flags: ConnectionFlags = {}): ConnectionOptions {
  const env = process.env;
  const url = flags.databaseUrl ?? nonEmpty(env["DATABASE_URL"]);
  const base: ConnectionOptions = { pgliteDir: join(root, ".pglite", database), pgliteCacheDir: pgliteCacheDir() };
  if (url !== undefined) return { ...base, url: withDatabase(url, database) };
  const target = resolveConnection({ env });
  if (target.kind === "pglite") return { ...base, kind: "pglite" };
  return { ...base, env: { ...env, PGDATABASE: database } };
}

/** A cache of an empty PGlite cluster shared by every project of this user (≈0.6 s per new database instead of initdb's 4.5 s). */
export function pgliteCacheDir(): string {
  return process.env["GIT_PROLLY_PGLITE_CACHE"] ?? join(tmpdir(), `git-prolly-pglite-cache-${PGLITE_VERSION}`);
}

/** Whether the connection is a server (else PGlite). */
export function isServer(connection: ConnectionOptions): boolean {
  return resolveConnection(connection).kind === "server";
}

/** Creates the server database when it does not exist (PGlite creates its directory itself). Returns whether it was created. */
export async function ensureServerDatabase(connection: ConnectionOptions): Promise<boolean> {
  const target = resolveConnection(connection);
  if (target.kind !== "server") return false;
  const admin = await openDatabase(maintenance(connection));
  try {
    const r = await sql<{ n: number }>`select 1 as n from pg_database where datname = ${target.database}`.execute(
      admin.db,
    );
    if (r.rows.length !== 0) return false;
    await sql.raw(`create database "${target.database.replace(/"/g, '""')}"`).execute(admin.db);
    return true;
  } finally {
    await admin.close();
  }
}

function maintenance(connection: ConnectionOptions): ConnectionOptions {
  if (connection.url !== undefined) return { url: withDatabase(connection.url, "postgres") };
  return { env: { ...(connection.env ?? process.env), PGDATABASE: "postgres" } };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
