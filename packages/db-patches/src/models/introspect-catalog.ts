import { sql } from "kysely";
import { METADATA_SCHEMA } from "../metadata/metadata-schema.js";
import type { DatabaseHandle } from "../connection/open-database.js";

/** A column's type, resolved through domains. */
export type CatalogType =
  | { kind: "base"; name: string }
  | { kind: "enum"; schema: string; name: string }
  | { kind: "array"; element: CatalogType }
  | { kind: "other"; name: string };

/** A column of a table or view. */
export interface CatalogColumn {
  name: string;
  type: CatalogType;
  nullable: boolean;
  /** Has a default or is an identity `BY DEFAULT`: optional on insert. */
  hasDefault: boolean;
  /** Identity `ALWAYS` or a generated column: never written. */
  alwaysGenerated: boolean;
}

/** A table, view, materialized view or foreign table. */
export interface CatalogRelation {
  schema: string;
  name: string;
  kind: "table" | "view";
  columns: CatalogColumn[];
}

/** The user-visible part of a database catalog. */
export interface Catalog {
  relations: CatalogRelation[];
  enums: { schema: string; name: string; values: string[] }[];
}

/** Schemas never shown: the system's and git-prolly's own. */
function hiddenSchemaFilter(column: string) {
  return sql.raw(
    `${column} not in ('pg_catalog', 'information_schema', '${METADATA_SCHEMA}') and ${column} not like 'pg\\_%'`,
  );
}

/**
 * Reads tables, views and their columns, and enums, from the live catalog (system schemas and the
 * `git_prolly` schema left out; partitions shown through their parent), in a stable order.
 */
export async function introspectCatalog(handle: DatabaseHandle): Promise<Catalog> {
  const types = await sql<{
    oid: number;
    typname: string;
    typtype: string;
    typcategory: string;
    typbasetype: number;
    typelem: number;
    nspname: string;
  }>`
    select t.oid::int4 as oid, t.typname, t.typtype, t.typcategory, t.typbasetype::int4 as typbasetype, t.typelem::int4 as typelem, n.nspname
      from pg_type t join pg_namespace n on n.oid = t.typnamespace`.execute(handle.db);
  const byOid = new Map(types.rows.map((t) => [Number(t.oid), t]));
  const resolve = (oid: number, depth = 0): CatalogType => {
    const t = byOid.get(oid);
    if (t === undefined || depth > 20) return { kind: "other", name: String(oid) };
    if (t.typtype === "d") return resolve(Number(t.typbasetype), depth + 1);
    if (t.typtype === "e") return { kind: "enum", schema: t.nspname, name: t.typname };
    if (t.typcategory === "A" && Number(t.typelem) !== 0)
      return { kind: "array", element: resolve(Number(t.typelem), depth + 1) };
    if (t.typtype === "b" && t.nspname === "pg_catalog") return { kind: "base", name: t.typname };
    if (t.typtype === "b") return { kind: "base", name: t.typname }; // extension types (citext…): mapped by name
    return { kind: "other", name: t.typname };
  };
  const rels = await sql<{ oid: number; schema: string; name: string; relkind: string }>`
    select c.oid::int4 as oid, n.nspname as schema, c.relname as name, c.relkind::text as relkind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition and ${hiddenSchemaFilter("n.nspname")}
     order by n.nspname collate "C", c.relname collate "C"`.execute(handle.db);
  const cols = await sql<{
    relid: number;
    name: string;
    atttypid: number;
    attnotnull: boolean;
    atthasdef: boolean;
    attidentity: string;
    attgenerated: string;
  }>`
    select a.attrelid::int4 as relid, a.attname as name, a.atttypid::int4 as atttypid, a.attnotnull, a.atthasdef,
           a.attidentity::text as attidentity, a.attgenerated::text as attgenerated
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f') and ${hiddenSchemaFilter("n.nspname")}
     order by a.attrelid, a.attnum`.execute(handle.db);
  const columnsOf = new Map<number, CatalogColumn[]>();
  for (const c of cols.rows) {
    const list = columnsOf.get(Number(c.relid)) ?? [];
    list.push({
      name: c.name,
      type: resolve(Number(c.atttypid)),
      nullable: !c.attnotnull,
      hasDefault: c.atthasdef || c.attidentity === "d",
      alwaysGenerated: c.attidentity === "a" || (c.attgenerated ?? "") !== "",
    });
    columnsOf.set(Number(c.relid), list);
  }
  const enums = await sql<{ schema: string; name: string; label: string }>`
    select n.nspname as schema, t.typname as name, e.enumlabel as label
      from pg_enum e join pg_type t on t.oid = e.enumtypid join pg_namespace n on n.oid = t.typnamespace
     where ${hiddenSchemaFilter("n.nspname")}
     order by n.nspname collate "C", t.typname collate "C", e.enumsortorder`.execute(handle.db);
  const enumMap = new Map<string, { schema: string; name: string; values: string[] }>();
  for (const e of enums.rows) {
    const k = `${e.schema}.${e.name}`;
    const entry = enumMap.get(k) ?? { schema: e.schema, name: e.name, values: [] };
    entry.values.push(e.label);
    enumMap.set(k, entry);
  }
  return {
    relations: rels.rows.map((r) => ({
      schema: r.schema,
      name: r.name,
      kind: r.relkind === "v" || r.relkind === "m" ? "view" : "table",
      columns: columnsOf.get(Number(r.oid)) ?? [],
    })),
    enums: [...enumMap.values()],
  };
}
