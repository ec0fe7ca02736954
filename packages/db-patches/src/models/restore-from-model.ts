import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { advisoryLockKey, lockServer, withServerLock } from "../applying/advisory-lock.js";
import { lockDataDir } from "../connection/data-dir-lock.js";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { METADATA_DDL, METADATA_VERSION, PGLITE_PRODUCTION_MARKER } from "../metadata/metadata.js";
import { metadataTableName } from "../metadata/metadata-schema.js";
import { readModel, type Model } from "./model-files.js";
import {
  connectClient,
  ensureParent,
  openPglite,
  openTarget,
  PGLITE_VERSION,
  type DatabaseHandle,
} from "../connection/open-database.js";
import { databaseScope, maintenanceTarget, renameDatabase } from "../connection/database-admin.js";
import { replaceDir } from "../support/replace-dir.js";
import { sha256Hex } from "../support/sha256-hex.js";
import { quoteIdent, quoteLiteral } from "../support/sql-quote.js";
import { scrubError } from "../connection/redact-url.js";
import {
  resolveConnection,
  targetSecrets,
  withDatabase,
  type ConnectionOptions,
  type PgliteTarget,
  type ServerTarget,
} from "../connection/resolve-connection.js";

/** Options of {@link restoreFromModel}. */
export interface RestoreFromModelOptions {
  project: string;
  /** The directory holding `schema.sql` (the pointer) and the `schema-`/`metadata-X.Y.Z.sql` dumps. */
  modelDir: string;
  /** Reuse (and keep) a template database / data-directory snapshot of the model (default true). */
  cache?: boolean;
  /** Server: the database to connect to for DROP/CREATE DATABASE (default `postgres`, or `template1` for a target named postgres). */
  maintenanceDatabase?: string;
  lockTimeoutMs?: number;
}

/** The outcome of {@link restoreFromModel}. */
export interface RestoreResult {
  version: string;
  /** `clone`: copied from a cached template (server) or snapshot (PGlite); `build`: loaded from the dumps. */
  method: "clone" | "build";
  durationMs: number;
}

/**
 * Resets a development database to production state: the schema dump the model's pointer names
 * plus its metadata dump. The first restore of a model loads the dumps and keeps the result — a
 * template database on a server, a data-directory snapshot on PGlite — so later restores are a
 * clone. The database must not be open elsewhere on PGlite; on a server its sessions are ended.
 * A database whose metadata marks it as production is never reset.
 *
 * @throws {@link DbPatchError} `DB_PRODUCTION_RESET_REFUSED`, `DB_MODEL_INVALID`,
 * `DB_RESTORE_FAILED`, `DB_PGLITE_LOCKED`, `DB_LOCK_TIMEOUT`.
 */
export async function restoreFromModel(
  connection: ConnectionOptions,
  options: RestoreFromModelOptions,
): Promise<RestoreResult> {
  const t0 = performance.now();
  const model = readModel(options.modelDir);
  const target = resolveConnection(connection);
  const method =
    target.kind === "server"
      ? await restoreServer(target, model, options)
      : await restorePglite(target, model, options);
  return { version: model.version, method, durationMs: performance.now() - t0 };
}

/** Identity of a model's loaded image: changes with the dumps, the metadata DDL or the project. */
function modelHash(model: Model, project: string, engine: string): string {
  return sha256Hex(
    [engine, project, String(METADATA_VERSION), METADATA_DDL, model.schemaSql, model.metadataSql].join("\0"),
  );
}

/** @internal Loads the model's dumps into an empty database. */
export async function loadModel(handle: DatabaseHandle, model: Model, project: string): Promise<void> {
  for (const [file, script] of [
    [model.schemaFile, model.schemaSql],
    [
      `metadata schema`,
      `${METADATA_DDL};\ninsert into ${metadataTableName("database")} (project, metadata_version) values (${quoteLiteral(project)}, ${METADATA_VERSION});`,
    ],
    [model.metadataFile ?? "metadata", model.metadataSql],
  ] as const) {
    if (script.trim() === "") continue;
    try {
      await handle.execScript(script);
    } catch (e) {
      const pos = Number((e as { position?: unknown }).position);
      const line = Number.isFinite(pos) ? script.slice(0, pos).split("\n").length : undefined;
      const cause = scrubError(e, targetSecrets(handle.target));
      throw new DbPatchError(
        DB_PATCH_ERROR_CODES.RESTORE_FAILED,
        `loading ${file}${line === undefined ? "" : ` (line ${line})`} failed: ${cause.message}`,
        {
          hint: "The model does not load on this server: check that it was dumped by a compatible PostgreSQL, or regenerate it from the release.",
          data: { file, ...(line === undefined ? {} : { line }), ...(cause.code ? { sqlState: cause.code } : {}) },
          cause,
        },
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Server: template databases.

async function restoreServer(
  target: ServerTarget,
  model: Model,
  options: RestoreFromModelOptions,
): Promise<"clone" | "build"> {
  const maint = maintenanceTarget(target, options.maintenanceDatabase);
  return withServerLock(maint, databaseScope(options.project, target, options.lockTimeoutMs), async () => {
    const admin = await connectClient(maint);
    try {
      await assertResettable(admin, target, options);
      const prefix = `gpt_${sha256Hex(target.database).slice(0, 8)}_`;
      const template = `${prefix}${modelHash(model, options.project, "server").slice(0, 16)}`;
      const cache = options.cache !== false;
      const have = cache && (await databaseExists(admin, template));
      let source = template;
      if (!have) {
        source = `${prefix}b${process.pid}_${Date.now().toString(36)}`;
        await admin.query(`create database ${quoteIdent(source)} template template0`);
        try {
          const h = await openTarget({ ...withDatabase(target, source), poolSize: 1 });
          try {
            await loadModel(h, model, options.project);
          } finally {
            await h.close();
          }
        } catch (e) {
          await admin.query(`drop database if exists ${quoteIdent(source)} with (force)`).catch(() => {});
          throw e;
        }
        if (cache) {
          await renameDatabase(admin, source, template);
          await admin.query(`alter database ${quoteIdent(template)} with is_template true allow_connections false`);
          source = template;
          await dropStaleTemplates(admin, prefix, template);
        }
      }
      await admin.query(`drop database if exists ${quoteIdent(target.database)} with (force)`);
      if (source === template)
        await admin.query(`create database ${quoteIdent(target.database)} template ${quoteIdent(template)}`);
      else await renameDatabase(admin, source, target.database);
      return have ? "clone" : "build";
    } catch (e) {
      throw e instanceof DbPatchError ? e : restoreFailed(target, e);
    } finally {
      await admin.end().catch(() => {});
    }
  });
}

async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  const r = await admin.query("select 1 from pg_database where datname = $1", [name]);
  return r.rowCount === 1;
}

async function dropStaleTemplates(admin: pg.Client, prefix: string, keep: string): Promise<void> {
  const r = await admin.query<{ datname: string }>(
    "select datname from pg_database where starts_with(datname, $1) and datname <> $2",
    [prefix, keep],
  );
  for (const { datname } of r.rows) {
    await admin.query(`alter database ${quoteIdent(datname)} with is_template false`).catch(() => {});
    await admin.query(`drop database if exists ${quoteIdent(datname)} with (force)`).catch(() => {});
  }
}

/** Refuses production databases, and waits for a run that holds the project lock in the target. */
async function assertResettable(
  admin: pg.Client,
  target: ServerTarget,
  options: RestoreFromModelOptions,
): Promise<void> {
  if (!(await databaseExists(admin, target.database))) return;
  const client = await connectClient(target);
  try {
    const r = await client
      .query<{ production: boolean }>(
        `select production from ${metadataTableName("database")} where to_regclass('${metadataTableName("database")}') is not null`,
      )
      .catch(() => ({ rows: [] as { production: boolean }[] }));
    if (r.rows[0]?.production === true) throw productionRefused(target.display);
  } finally {
    await client.end().catch(() => {});
  }
  // A patch run in progress holds the project lock in the target: wait for it, then reset.
  const release = await lockServer(target, advisoryLockKey(options.project), {
    project: options.project,
    ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
  });
  await release();
}

function productionRefused(display: string): DbPatchError {
  return new DbPatchError(
    DB_PATCH_ERROR_CODES.PRODUCTION_RESET_REFUSED,
    `${display} is a production database: it is never reset`,
    {
      hint: "Point the command at a development database. Production is changed only by upgrade.",
      data: { database: display },
    },
  );
}

/** @internal */
export function restoreFailed(target: ServerTarget | PgliteTarget, e: unknown): DbPatchError {
  const cause = scrubError(e, targetSecrets(target));
  return new DbPatchError(DB_PATCH_ERROR_CODES.RESTORE_FAILED, `restoring ${target.display} failed: ${cause.message}`, {
    hint: "Check that the role may CREATE DATABASE and that no other tool holds the database.",
    data: { database: target.display, ...(cause.code ? { sqlState: cause.code } : {}) },
    cause,
  });
}

// ---------------------------------------------------------------------------------------------
// PGlite: data-directory snapshots.

async function restorePglite(
  target: PgliteTarget,
  model: Model,
  options: RestoreFromModelOptions,
): Promise<"clone" | "build"> {
  ensureParent(target.dataDir);
  const lock = await lockDataDir(target.dataDir);
  try {
    if (existsSync(join(target.dataDir, PGLITE_PRODUCTION_MARKER))) throw productionRefused(target.display);
    const snapshots = `${target.dataDir}.snapshots`;
    const name = `model-${PGLITE_VERSION}-${modelHash(model, options.project, "pglite").slice(0, 16)}`;
    const snapshot = join(snapshots, name);
    const cache = options.cache !== false;
    if (cache && existsSync(join(snapshot, "PG_VERSION"))) {
      replaceDir(target.dataDir, (dest) => cpSync(snapshot, dest, { recursive: true }));
      return "clone";
    }
    const build = `${target.dataDir}.build-${process.pid}`;
    rmSync(build, { recursive: true, force: true });
    try {
      // The build directory's lock is implied by the target's: nobody else knows its name.
      const h = await openPglite({ ...target, dataDir: build, display: `pglite:${build}` }, () =>
        rmSync(`${build}.lock`, { force: true }),
      );
      try {
        await loadModel(h, model, options.project);
      } finally {
        await h.close();
      }
      if (cache) {
        mkdirSync(snapshots, { recursive: true });
        for (const old of readdirSync(snapshots))
          if (old !== name) rmSync(join(snapshots, old), { recursive: true, force: true });
        const tmp = `${snapshot}.tmp-${process.pid}`;
        cpSync(build, tmp, { recursive: true });
        renameSync(tmp, snapshot);
      }
      replaceDir(target.dataDir, (dest) => renameSync(build, dest));
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
    return "build";
  } catch (e) {
    throw e instanceof DbPatchError ? e : restoreFailed(target, e);
  } finally {
    await lock.release();
  }
}
