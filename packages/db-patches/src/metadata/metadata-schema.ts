import { type RawBuilder, sql } from "kysely";

/** The schema that holds git-prolly's own tables; left out of schema dumps and generated types. */
export const METADATA_SCHEMA = "git_prolly";

/** The metadata tables and views. */
export type MetadataTable = "database" | "release" | "applied_patch" | "applied_patch_file" | "current_release";

/** @internal `git_prolly.<table>` as SQL text. */
export function metadataTableName(table: MetadataTable): string {
  return `${METADATA_SCHEMA}.${table}`;
}

/** @internal `git_prolly.<table>` as a raw fragment of a Kysely `sql` template. */
export function metadataTable(table: MetadataTable): RawBuilder<unknown> {
  return sql.raw(metadataTableName(table));
}
