import { sql } from "kysely";
import { requireMetadata } from "./metadata.js";
import { quoteLiteral } from "../support/sql-quote.js";
import { METADATA_SCHEMA, metadataTable } from "./metadata-schema.js";
import type { DatabaseHandle } from "../connection/open-database.js";

/**
 * The content of the metadata tables (releases, applied patches and their file checksums) as
 * deterministic `INSERT` statements, ordered by key, timestamps in UTC: the `metadata-X.Y.Z.sql`
 * of a model. The production flag is not part of it, so a development database restored from a
 * production model is not production.
 *
 * @throws {@link DbPatchError} `DB_METADATA_MISSING`.
 */
export async function dumpMetadata(handle: DatabaseHandle, project: string): Promise<string> {
  await requireMetadata(handle, project);
  const ts = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
  const releases = await sql<Record<string, string | null>>`
    select major::text, minor::text, patch::text, pre_release, pre_release_num::text, version,
           ${ts("released_at")} as released_at, changelog, commit
      from ${metadataTable("release")}
     order by major, minor, patch, array_position(array['alpha', 'beta', 'rc', ''], pre_release), pre_release_num`.execute(
    handle.db,
  );
  const patches = await sql<Record<string, string | null>>`
    select patch_id, release, checksum, ${ts("applied_at")} as applied_at, duration_ms::text
      from ${metadataTable("applied_patch")} order by patch_id`.execute(handle.db);
  const files = await sql<Record<string, string | null>>`
    select patch_id, file_name, sha256 from ${metadataTable("applied_patch_file")} order by patch_id, file_name`.execute(
    handle.db,
  );
  const lines = ["-- git-prolly metadata (format 1): releases and applied patches. Generated; do not edit.", ""];
  const insert = (
    table: string,
    cols: string[],
    rows: Record<string, string | null>[],
    types: Record<string, string>,
  ) => {
    for (const r of rows) {
      const values = cols.map((c) => {
        const v = r[c];
        if (v === null || v === undefined) return "NULL";
        const lit = quoteLiteral(v);
        return types[c] === undefined ? lit : `${lit}::${types[c]}`;
      });
      lines.push(`INSERT INTO ${METADATA_SCHEMA}.${table} (${cols.join(", ")}) VALUES (${values.join(", ")});`);
    }
  };
  insert(
    "release",
    ["major", "minor", "patch", "pre_release", "pre_release_num", "version", "released_at", "changelog", "commit"],
    releases.rows,
    { major: "integer", minor: "integer", patch: "integer", pre_release_num: "integer", released_at: "timestamptz" },
  );
  insert("applied_patch", ["patch_id", "release", "checksum", "applied_at", "duration_ms"], patches.rows, {
    applied_at: "timestamptz",
    duration_ms: "integer",
  });
  insert("applied_patch_file", ["patch_id", "file_name", "sha256"], files.rows, {});
  return `${lines.join("\n")}\n`;
}
