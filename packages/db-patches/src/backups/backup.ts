import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { withServerLock } from "../applying/advisory-lock.js";
import { lockDataDir } from "../connection/data-dir-lock.js";
import { serverMajor } from "../models/dump-schema.js";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { writeAtomic } from "../models/model-files.js";
import {
  connectClient,
  ensureParent,
  loadPglite,
  PGLITE_PARSERS,
  type DatabaseHandle,
} from "../connection/open-database.js";
import { runPgTool } from "../connection/pg-tools.js";
import { replaceDirAsync } from "../support/replace-dir.js";
import { sha256Hex } from "../support/sha256-hex.js";
import { quoteIdent } from "../support/sql-quote.js";
import {
  resolveConnection,
  withDatabase,
  type ConnectionOptions,
  type PgliteTarget,
  type ServerTarget,
} from "../connection/resolve-connection.js";
import { databaseScope, maintenanceTarget, renameDatabase } from "../connection/database-admin.js";
import { restoreFailed } from "../models/restore-from-model.js";
import { checkTar } from "./tar-check.js";

/** A written and verified backup. Its manifest sits beside it as `<path>.json`. */
export interface BackupInfo {
  /** The backup file. */
  path: string;
  /** `pg_dump-custom`: `pg_dump -Fc` of a server database; `pglite-datadir`: a tarball of the PGlite data directory. */
  format: "pg_dump-custom" | "pglite-datadir";
  sha256: string;
  bytes: number;
  createdAt: string;
  /** The database it was taken from, password redacted. */
  database: string;
}

/** Options of {@link createBackup}. */
export interface CreateBackupOptions {
  /** Directory of the backups (created; keep it out of Git). */
  dir: string;
  /** File name without extension (default: database name and a timestamp). */
  label?: string;
}

/**
 * Writes a backup of the whole database (schema, data, metadata) and verifies it: a
 * `pg_dump -Fc` archive on a server (checked with `pg_restore --list`), a checkpointed tarball of
 * the data directory on PGlite (tar headers and checksums checked). The file's sha256 is computed
 * from the bytes read back from disk.
 *
 * @throws {@link DbPatchError} `DB_BACKUP_FAILED`, `DB_TOOL_NOT_FOUND`.
 */
export async function createBackup(handle: DatabaseHandle, options: CreateBackupOptions): Promise<BackupInfo> {
  mkdirSync(options.dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const base = options.label ?? `${handle.target.kind === "server" ? handle.target.database : "pglite"}-${stamp}`;
  let path: string;
  let format: BackupInfo["format"];
  if (handle.kind === "server") {
    path = join(options.dir, `${base}.dump`);
    format = "pg_dump-custom";
    await runPgTool(handle.target as ServerTarget, "pg_dump", ["-Fc", "-f", path], {
      failCode: DB_PATCH_ERROR_CODES.BACKUP_FAILED,
      serverMajor: await serverMajor(handle),
      what: "backup",
    });
  } else {
    path = join(options.dir, `${base}.tar`);
    format = "pglite-datadir";
    const tar = await handle.withPglite(async (pg) => {
      await pg.exec("checkpoint");
      return pg.dumpDataDir("none");
    });
    writeAtomic(path, new Uint8Array(await tar.arrayBuffer()));
  }
  const info: BackupInfo = {
    path,
    format,
    sha256: await fileSha256(path),
    bytes: statSync(path).size,
    createdAt: new Date().toISOString(),
    database: handle.display,
  };
  writeAtomic(`${path}.json`, `${JSON.stringify(info, null, 2)}\n`);
  await verifyBackup(info, handle.kind === "server" ? (handle.target as ServerTarget) : undefined);
  return info;
}

/**
 * Checks that a backup is intact: its sha256 matches the manifest and its structure reads back
 * (`pg_restore --list` for a dump, tar headers and `PG_VERSION` for a PGlite tarball).
 *
 * @throws {@link DbPatchError} `DB_BACKUP_FAILED`.
 */
export async function verifyBackup(info: BackupInfo, server?: ServerTarget): Promise<void> {
  const fail = (why: string, cause?: unknown) =>
    new DbPatchError(DB_PATCH_ERROR_CODES.BACKUP_FAILED, `backup ${info.path} is not usable: ${why}`, {
      hint: "Do not upgrade without a backup: free disk space or fix the backup directory, then take it again.",
      data: { path: info.path },
      ...(cause === undefined ? {} : { cause }),
    });
  if (!existsSync(info.path)) throw fail("the file is missing");
  if ((await fileSha256(info.path)) !== info.sha256) throw fail("its sha256 differs from the manifest");
  if (info.format === "pglite-datadir") {
    const problem = checkTar(readFileSync(info.path), ["PG_VERSION", "global/pg_control"]);
    if (problem !== undefined) throw fail(problem);
    return;
  }
  if (server === undefined) return;
  try {
    const { stdout } = await runPgTool(server, "pg_restore", ["--list", info.path], {
      failCode: DB_PATCH_ERROR_CODES.BACKUP_FAILED,
      what: "backup verification",
      connect: false,
    });
    if (!/^; Archive created at/m.test(stdout.toString("utf8")))
      throw new Error("pg_restore --list shows no archive header");
  } catch (e) {
    throw fail((e as Error).message, e);
  }
}

/** Reads a backup's manifest (`<backup>.json`). */
export function readBackupManifest(path: string): BackupInfo {
  const manifest = path.endsWith(".json") ? path : `${path}.json`;
  return JSON.parse(readFileSync(manifest, "utf8")) as BackupInfo;
}

/** Options of {@link restoreBackup}. */
export interface RestoreBackupOptions {
  project: string;
  maintenanceDatabase?: string;
  lockTimeoutMs?: number;
}

/**
 * Puts a database back exactly as a backup holds it. On a server, the archive is restored into a
 * new database in one transaction, then swapped for the target (whose sessions are ended), so a
 * failed restore leaves the target as it was. On PGlite, the data directory (which must not be
 * open) is replaced by the tarball's content.
 *
 * @throws {@link DbPatchError} `DB_BACKUP_FAILED` (verification), `DB_RESTORE_FAILED`.
 */
export async function restoreBackup(
  connection: ConnectionOptions,
  backup: BackupInfo,
  options: RestoreBackupOptions,
): Promise<void> {
  const target = resolveConnection(connection);
  if (target.kind === "server") {
    await verifyBackup(backup, target);
    await restoreServerBackup(target, backup, options);
    return;
  }
  await verifyBackup(backup);
  ensureParent(target.dataDir);
  const lock = await lockDataDir(target.dataDir);
  try {
    await restorePgliteBackupLocked(target, backup);
  } finally {
    await lock.release();
  }
}

/** @internal Restores a server backup; takes (or reuses) the database-scope lock. */
export async function restoreServerBackup(
  target: ServerTarget,
  backup: BackupInfo,
  options: RestoreBackupOptions,
): Promise<void> {
  const maint = maintenanceTarget(target, options.maintenanceDatabase);
  await withServerLock(maint, databaseScope(options.project, target, options.lockTimeoutMs), async () => {
    const admin = await connectClient(maint);
    const scratch = `gprb_${sha256Hex(target.database).slice(0, 8)}_${process.pid}_${Date.now().toString(36)}`;
    try {
      const enc = await admin.query<{ encoding: string; datcollate: string; datctype: string }>(
        "select pg_encoding_to_char(encoding) as encoding, datcollate, datctype from pg_database where datname = $1",
        [target.database],
      );
      const e = enc.rows[0];
      const props =
        e === undefined ? "" : ` encoding '${e.encoding}' lc_collate '${e.datcollate}' lc_ctype '${e.datctype}'`;
      await admin.query(`create database ${quoteIdent(scratch)} template template0${props}`);
      try {
        await runPgTool(
          withDatabase(target, scratch),
          "pg_restore",
          ["--exit-on-error", "--single-transaction", backup.path],
          { failCode: DB_PATCH_ERROR_CODES.RESTORE_FAILED, what: "restore" },
        );
      } catch (err) {
        await admin.query(`drop database if exists ${quoteIdent(scratch)} with (force)`).catch(() => {});
        throw err;
      }
      await admin.query(`drop database if exists ${quoteIdent(target.database)} with (force)`);
      await renameDatabase(admin, scratch, target.database);
    } catch (err) {
      throw err instanceof DbPatchError ? err : restoreFailed(target, err);
    } finally {
      await admin.end().catch(() => {});
    }
  });
}

/** @internal Replaces a PGlite data directory (lock held by the caller) with a backup's content. */
export async function restorePgliteBackupLocked(target: PgliteTarget, backup: BackupInfo): Promise<void> {
  const blob = new Blob([readFileSync(backup.path)]);
  const { PGlite } = await loadPglite();
  try {
    await replaceDirAsync(target.dataDir, async (dest) => {
      const pg = await PGlite.create(dest, { parsers: PGLITE_PARSERS, loadDataDir: blob });
      await pg.query("select 1");
      await pg.close();
    });
  } catch (e) {
    throw e instanceof DbPatchError ? e : restoreFailed(target, e);
  }
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
