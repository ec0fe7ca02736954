import { introspectCatalog, type Catalog, type CatalogType } from "./introspect-catalog.js";
import type { DatabaseHandle } from "../connection/open-database.js";

/** Shared aliases the generated file may declare, by name. */
const ALIASES: Readonly<Record<string, string>> = {
  Int8: "ColumnType<string, string | number | bigint, string | number | bigint>",
  Numeric: "ColumnType<string, string | number, string | number>",
  Timestamp: "ColumnType<Date, Date | string, Date | string>",
  Interval: "ColumnType<unknown, string, string>",
  JsonValue: "JsonPrimitive | JsonObject | JsonValue[]",
  JsonPrimitive: "string | number | boolean | null",
  Json: "ColumnType<JsonValue, string, string>",
};
/**
 * Kysely's own `Generated<T>` does not look inside a `ColumnType`: `Generated<Int8>` would
 * select as the ColumnType itself. These versions unwrap it (and distribute over `| null`).
 */
const GENERATED_HELPERS: Readonly<Record<string, string>> = {
  Generated:
    "export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>\n  ? ColumnType<S, I | undefined, U>\n  : ColumnType<T, T | undefined, T>;",
  GeneratedAlways:
    "export type GeneratedAlways<T> = T extends ColumnType<infer S, unknown, unknown>\n  ? ColumnType<S, never, never>\n  : ColumnType<T, never, never>;",
};
const JSON_OBJECT = "export interface JsonObject {\n  [key: string]: JsonValue;\n}";

const BASE: Readonly<Record<string, string>> = {
  int2: "number",
  int4: "number",
  float4: "number",
  float8: "number",
  oid: "number",
  int8: "Int8",
  numeric: "Numeric",
  money: "string",
  bool: "boolean",
  text: "string",
  varchar: "string",
  bpchar: "string",
  char: "string",
  name: "string",
  citext: "string",
  uuid: "string",
  inet: "string",
  cidr: "string",
  macaddr: "string",
  macaddr8: "string",
  xml: "string",
  tsvector: "string",
  tsquery: "string",
  bit: "string",
  varbit: "string",
  time: "string",
  timetz: "string",
  interval: "Interval",
  date: "Timestamp",
  timestamp: "Timestamp",
  timestamptz: "Timestamp",
  json: "Json",
  jsonb: "Json",
  bytea: "Uint8Array",
};

/** What an alias reads as inside an array (arrays are read and written as JS arrays). */
const SELECT_OF: Readonly<Record<string, string>> = {
  Int8: "string",
  Numeric: "string",
  Timestamp: "Date",
  Interval: "unknown",
  Json: "JsonValue",
};

/** Options of {@link generateKyselyTypes}. */
export interface GenerateTypesOptions {
  /** Schemas whose relations are keyed without a prefix (default `["public"]`). */
  unqualifiedSchemas?: readonly string[];
}

/**
 * A TypeScript module declaring the `Database` interface of the live schema for
 * `new Kysely<Database>(…)`: one interface per table and view, enums as string unions, nullable
 * columns as `T | null`, defaults and identities as `Generated<T>` (`GeneratedAlways<T>` for
 * identity ALWAYS and generated columns), arrays, json/jsonb, int8/numeric as pg returns them
 * (strings). Deterministic; compiles under `tsc --strict`; the `git_prolly` schema is left out.
 */
export async function generateKyselyTypes(handle: DatabaseHandle, options: GenerateTypesOptions = {}): Promise<string> {
  return renderKyselyTypes(await introspectCatalog(handle), options);
}

/** Renders a catalog as a Kysely `Database` module. Pure. */
export function renderKyselyTypes(catalog: Catalog, options: GenerateTypesOptions = {}): string {
  const unqualified = new Set(options.unqualifiedSchemas ?? ["public"]);
  const used = new Set<string>();
  const helpers = new Set<string>();
  const names = new Names();
  const enumNames = new Map<string, string>();
  for (const e of catalog.enums)
    enumNames.set(
      `${e.schema}.${e.name}`,
      names.take(pascal(unqualified.has(e.schema) ? e.name : `${e.schema}_${e.name}`)),
    );

  const typeOf = (t: CatalogType, inArray: boolean): string => {
    switch (t.kind) {
      case "base": {
        const mapped = BASE[t.name] ?? "unknown";
        if (ALIASES[mapped] !== undefined) {
          used.add(mapped);
          if (inArray) {
            const sel = SELECT_OF[mapped] ?? mapped;
            if (sel === "JsonValue") used.add("JsonValue");
            return sel;
          }
        }
        return mapped;
      }
      case "enum":
        return enumNames.get(`${t.schema}.${t.name}`) ?? "string";
      case "array": {
        const inner = typeOf(t.element, true);
        return /^[A-Za-z0-9]+$/.test(inner) ? `${inner}[]` : `(${inner})[]`;
      }
      case "other":
        return "unknown";
    }
  };

  const interfaces: string[] = [];
  const entries: string[] = [];
  for (const r of catalog.relations) {
    const iface = names.take(pascal(unqualified.has(r.schema) ? r.name : `${r.schema}_${r.name}`));
    const lines = [`export interface ${iface} {`];
    for (const c of r.columns) {
      let ts = typeOf(c.type, false);
      if (c.nullable) ts = `${ts} | null`;
      if (r.kind === "table" && c.alwaysGenerated) {
        helpers.add("GeneratedAlways");
        ts = `GeneratedAlways<${ts}>`;
      } else if (r.kind === "table" && c.hasDefault) {
        helpers.add("Generated");
        ts = `Generated<${ts}>`;
      }
      lines.push(`  ${propertyName(c.name)}: ${ts};`);
    }
    lines.push("}");
    interfaces.push(lines.join("\n"));
    entries.push(`  ${propertyName(unqualified.has(r.schema) ? r.name : `${r.schema}.${r.name}`)}: ${iface};`);
  }

  if (used.has("Json")) used.add("JsonValue");
  if (used.has("JsonValue")) used.add("JsonPrimitive");
  const out: string[] = [
    "/**",
    " * Kysely `Database` types generated by git-prolly from the database catalog. Do not edit:",
    " * regenerate after changing the schema.",
    " */",
    "",
  ];
  const aliasOrder = ["Int8", "Numeric", "Timestamp", "Interval", "JsonPrimitive", "JsonValue", "Json"];
  if (helpers.size > 0 || aliasOrder.some((a) => used.has(a) && ALIASES[a]!.startsWith("ColumnType<"))) {
    out.push('import type { ColumnType } from "kysely";', "");
  }
  for (const h of ["Generated", "GeneratedAlways"]) if (helpers.has(h)) out.push(GENERATED_HELPERS[h]!, "");
  for (const a of aliasOrder) {
    if (!used.has(a)) continue;
    out.push(`export type ${a} = ${ALIASES[a]!};`);
    if (a === "JsonValue") out.push("", JSON_OBJECT);
    out.push("");
  }
  for (const e of catalog.enums) {
    const values = e.values.length === 0 ? "never" : e.values.map((v) => JSON.stringify(v)).join(" | ");
    out.push(`export type ${enumNames.get(`${e.schema}.${e.name}`)!} = ${values};`, "");
  }
  for (const i of interfaces) out.push(i, "");
  out.push("export interface Database {", ...entries, "}", "");
  return out.join("\n");
}

/** Hands out unique identifiers: a second `AuditLog` becomes `AuditLog2`. */
class Names {
  readonly #taken = new Set<string>([
    "Database",
    "Generated",
    "GeneratedAlways",
    "ColumnType",
    "JsonObject",
    ...Object.keys(ALIASES),
  ]);

  take(base: string): string {
    let name = base;
    for (let i = 2; this.#taken.has(name); i++) name = `${base}${i}`;
    this.#taken.add(name);
    return name;
  }
}

function pascal(s: string): string {
  const words = s.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  if (name === "") return "Relation";
  return /^[0-9]/.test(name) ? `T${name}` : name;
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
