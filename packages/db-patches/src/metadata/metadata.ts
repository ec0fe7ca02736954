import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { withAdvisoryLock } from "../applying/advisory-lock.js";
import { METADATA_SCHEMA, metadataTable } from "./metadata-schema.js";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import type { DatabaseHandle } from "../connection/open-database.js";
import { parseReleaseVersion } from "../planning/release-version.js";

/** Version of the metadata tables this build writes. */
export const METADATA_VERSION = 1;

/** DDL of the metadata schema (idempotent). */
export const METADATA_DDL = `
create schema if not exists ${METADATA_SCHEMA};
create table if not exists ${METADATA_SCHEMA}.database (
  id boolean primary key default true check (id),
  project text not null,
  production boolean not null default false,
  metadata_version integer not null,
  created_at timestamptz not null default now()
);
create table if not exists ${METADATA_SCHEMA}.release (
  major integer not null check (major >= 0),
  minor integer not null check (minor >= 0),
  patch integer not null check (patch >= 0),
  pre_release text not null default '' check (pre_release in ('', 'alpha', 'beta', 'rc')),
  pre_release_num integer not null default 0 check (pre_release_num >= 0),
  version text not null unique,
  released_at timestamptz not null default now(),
  changelog text not null default '',
  commit text,
  primary key (major, minor, patch, pre_release, pre_release_num)
);
create table if not exists ${METADATA_SCHEMA}.applied_patch (
  patch_id text primary key,
  release text,
  checksum text not null,
  applied_at timestamptz not null default now(),
  duration_ms integer not null check (duration_ms >= 0)
);
create table if not exists ${METADATA_SCHEMA}.applied_patch_file (
  patch_id text not null references ${METADATA_SCHEMA}.applied_patch (patch_id) on delete cascade,
  file_name text not null,
  sha256 text not null,
  primary key (patch_id, file_name)
);
create or replace view ${METADATA_SCHEMA}.current_release as
  select * from ${METADATA_SCHEMA}.release
  order by major desc, minor desc, patch desc,
    array_position(array['alpha', 'beta', 'rc', ''], pre_release) desc, pre_release_num desc
  limit 1;
`;

/** What the metadata says about the database. */
export interface MetadataInfo {
  project: string;
  production: boolean;
  metadataVersion: number;
}

/** A release row. */
export interface ReleaseRecord {
  version: string;
  releasedAt: Date;
  changelog: string;
  commit: string | null;
}

/** An applied patch with the checksum of each of its files. */
export interface AppliedPatch {
  id: string;
  release: string | null;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
  files: { name: string; sha256: string }[];
}

/** Options of {@link installMetadata}. */
export interface InstallMetadataOptions {
  project: string;
  /** Mark the database as production: restores and resets refuse to touch it. */
  production?: boolean;
  lockTimeoutMs?: number;
}

/**
 * Creates the `git_prolly` schema and its tables if missing and records the project. Idempotent.
 *
 * @throws {@link DbPatchError} `DB_METADATA_INCOMPATIBLE` when the database belongs to another
 * project or was set up by a newer git-prolly.
 */
export async function installMetadata(handle: DatabaseHandle, options: InstallMetadataOptions): Promise<MetadataInfo> {
  return withAdvisoryLock(handle, { project: options.project, ...lockTimeout(options.lockTimeoutMs) }, async () => {
    const existing = await readMetadataInfo(handle);
    if (existing !== undefined) {
      assertCompatible(existing, options.project);
      if (options.production === true && !existing.production) await setProductionFlag(handle, true);
      return { ...existing, production: existing.production || options.production === true };
    }
    await handle.execScript(METADATA_DDL);
    await sql`insert into ${metadataTable("database")} (project, production, metadata_version)
              values (${options.project}, ${options.production === true}, ${METADATA_VERSION})
              on conflict (id) do nothing`.execute(handle.db);
    if (options.production === true) await setProductionFlag(handle, true);
    const info = await readMetadataInfo(handle);
    assertCompatible(info!, options.project);
    return info!;
  });
}

/** The metadata of the database, or undefined when git-prolly was never installed in it. */
export async function readMetadataInfo(handle: DatabaseHandle): Promise<MetadataInfo | undefined> {
  const exists = await sql<{
    ok: boolean;
  }>`select to_regclass('${metadataTable("database")}') is not null as ok`.execute(handle.db);
  if (exists.rows[0]?.ok !== true) return undefined;
  const r = await sql<{ project: string; production: boolean; metadata_version: number }>`
    select project, production, metadata_version from ${metadataTable("database")}`.execute(handle.db);
  const row = r.rows[0];
  if (row === undefined) return undefined;
  return { project: row.project, production: row.production, metadataVersion: Number(row.metadata_version) };
}

/** A file in a PGlite data directory that marks it as production without opening it. */
export const PGLITE_PRODUCTION_MARKER = "git-prolly-production";

/** Marks (or unmarks) the database as production. Production databases are never reset. */
export async function setProductionFlag(handle: DatabaseHandle, production: boolean): Promise<void> {
  await sql`update ${metadataTable("database")} set production = ${production}`.execute(handle.db);
  if (handle.target.kind === "pglite") {
    const marker = join(handle.target.dataDir, PGLITE_PRODUCTION_MARKER);
    if (production)
      writeFileSync(marker, "This PGlite database is a production database: git-prolly never resets it.\n");
    else rmSync(marker, { force: true });
  }
}

/** @internal Throws unless the metadata is installed and belongs to `project`. */
export async function requireMetadata(handle: DatabaseHandle, project: string): Promise<MetadataInfo> {
  const info = await readMetadataInfo(handle);
  if (info === undefined) {
    throw new DbPatchError(
      DB_PATCH_ERROR_CODES.METADATA_MISSING,
      `${handle.display} has no ${METADATA_SCHEMA} metadata`,
      {
        hint: "Install it first (git-prolly dev init, or installMetadata()).",
        data: { database: handle.display },
      },
    );
  }
  assertCompatible(info, project);
  return info;
}

function assertCompatible(info: MetadataInfo, project: string): void {
  if (info.metadataVersion > METADATA_VERSION) {
    throw new DbPatchError(
      DB_PATCH_ERROR_CODES.METADATA_INCOMPATIBLE,
      `the ${METADATA_SCHEMA} metadata is version ${info.metadataVersion}; this git-prolly knows ${METADATA_VERSION}`,
      {
        hint: "Upgrade git-prolly.",
        data: { metadataVersion: info.metadataVersion },
      },
    );
  }
  if (info.project !== project) {
    throw new DbPatchError(
      DB_PATCH_ERROR_CODES.METADATA_INCOMPATIBLE,
      `the database belongs to project ${info.project}, not ${project}`,
      {
        hint: "Check the database URL: it points at another project's database.",
        data: { project: info.project, expected: project },
      },
    );
  }
}

/** Options of {@link recordRelease}. */
export interface RecordReleaseOptions {
  project: string;
  /** `X.Y.Z` or `X.Y.Z-rcN`. */
  version: string;
  changelog?: string;
  /** The Git commit of the release. */
  commit?: string;
  /** Defaults to now (server clock). */
  releasedAt?: Date;
  /** Attribute patches applied without a release (development) to this one (default true). */
  claimUnreleasedPatches?: boolean;
  lockTimeoutMs?: number;
}

/**
 * Records a release in the metadata and makes it the current release.
 *
 * @throws {@link DbPatchError} `DB_INVALID_VERSION`, `DB_RELEASE_EXISTS`, `DB_METADATA_MISSING`.
 */
export async function recordRelease(handle: DatabaseHandle, options: RecordReleaseOptions): Promise<ReleaseRecord> {
  const v = parseReleaseVersion(options.version);
  return withAdvisoryLock(handle, { project: options.project, ...lockTimeout(options.lockTimeoutMs) }, async () => {
    await requireMetadata(handle, options.project);
    return handle.db.transaction().execute(async (trx) => {
      const dup = await sql<{
        n: string;
      }>`select count(*) as n from ${metadataTable("release")} where version = ${v.text}`.execute(trx);
      if (dup.rows[0]?.n !== "0") {
        throw new DbPatchError(
          DB_PATCH_ERROR_CODES.RELEASE_EXISTS,
          `release ${v.text} is already recorded in ${handle.display}`,
          {
            hint: "Each release is recorded once; check the current release with currentRelease().",
            data: { version: v.text },
          },
        );
      }
      const at = options.releasedAt === undefined ? sql`now()` : sql`${options.releasedAt.toISOString()}::timestamptz`;
      await sql`insert into ${metadataTable("release")} (major, minor, patch, pre_release, pre_release_num, version, released_at, changelog, commit)
                values (${v.major}, ${v.minor}, ${v.patch}, ${v.preRelease}, ${v.preReleaseNum}, ${v.text}, ${at},
                        ${options.changelog ?? ""}, ${options.commit ?? null})`.execute(trx);
      if (options.claimUnreleasedPatches !== false) {
        await sql`update ${metadataTable("applied_patch")} set release = ${v.text} where release is null`.execute(trx);
      }
      const r =
        await sql<ReleaseRow>`select version, released_at, changelog, commit from ${metadataTable("release")} where version = ${v.text}`.execute(
          trx,
        );
      return toRelease(r.rows[0]!);
    });
  });
}

interface ReleaseRow {
  version: string;
  released_at: Date;
  changelog: string;
  commit: string | null;
}

function toRelease(r: ReleaseRow): ReleaseRecord {
  return { version: r.version, releasedAt: new Date(r.released_at), changelog: r.changelog, commit: r.commit };
}

/** The current (highest) release, or undefined when none is recorded or metadata is missing. */
export async function currentRelease(handle: DatabaseHandle): Promise<ReleaseRecord | undefined> {
  if ((await readMetadataInfo(handle)) === undefined) return undefined;
  const r =
    await sql<ReleaseRow>`select version, released_at, changelog, commit from ${metadataTable("current_release")}`.execute(
      handle.db,
    );
  return r.rows[0] === undefined ? undefined : toRelease(r.rows[0]);
}

/** Every release, oldest first. */
export async function listReleases(handle: DatabaseHandle): Promise<ReleaseRecord[]> {
  if ((await readMetadataInfo(handle)) === undefined) return [];
  const r = await sql<ReleaseRow>`select version, released_at, changelog, commit from ${metadataTable("release")}
    order by major, minor, patch, array_position(array['alpha', 'beta', 'rc', ''], pre_release), pre_release_num`.execute(
    handle.db,
  );
  return r.rows.map(toRelease);
}

/** Every applied patch with its files, in application order. */
export async function listAppliedPatches(handle: DatabaseHandle): Promise<AppliedPatch[]> {
  if ((await readMetadataInfo(handle)) === undefined) return [];
  const patches = await sql<{
    patch_id: string;
    release: string | null;
    checksum: string;
    applied_at: Date;
    duration_ms: number;
  }>`
    select patch_id, release, checksum, applied_at, duration_ms from ${metadataTable("applied_patch")} order by applied_at, patch_id`.execute(
    handle.db,
  );
  const files = await sql<{ patch_id: string; file_name: string; sha256: string }>`
    select patch_id, file_name, sha256 from ${metadataTable("applied_patch_file")} order by patch_id, file_name`.execute(
    handle.db,
  );
  const byPatch = new Map<string, { name: string; sha256: string }[]>();
  for (const f of files.rows) {
    const list = byPatch.get(f.patch_id) ?? [];
    list.push({ name: f.file_name, sha256: f.sha256 });
    byPatch.set(f.patch_id, list);
  }
  return patches.rows.map((p) => ({
    id: p.patch_id,
    release: p.release,
    checksum: p.checksum,
    appliedAt: new Date(p.applied_at),
    durationMs: Number(p.duration_ms),
    files: byPatch.get(p.patch_id) ?? [],
  }));
}

/** @internal */
export function lockTimeout(ms: number | undefined): { timeoutMs?: number } {
  return ms === undefined ? {} : { timeoutMs: ms };
}
