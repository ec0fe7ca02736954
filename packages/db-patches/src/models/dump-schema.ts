import { execFileSync } from "node:child_process";
import { sql } from "kysely";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { METADATA_SCHEMA } from "../metadata/metadata-schema.js";
import type { DatabaseHandle } from "../connection/open-database.js";
import { findPgTool, runPgTool } from "../connection/pg-tools.js";
import type { ServerTarget } from "../connection/resolve-connection.js";

/** The fixed `--restrict-key` given to pg_dump ≥ 15.14 (toolchain.md G18), so dumps are stable. */
export const RESTRICT_KEY = "gitprolly";

/** Options of {@link dumpSchema}. */
export interface DumpSchemaOptions {
  /** Keep GRANT/REVOKE statements (default false: roles differ between machines). */
  privileges?: boolean;
}

/**
 * The schema of the database as SQL, normalised so that two dumps of one schema are
 * byte-identical: `pg_dump --schema-only --no-owner` on a server, pglite-tools' `pgDump` on
 * PGlite; the `git_prolly` metadata schema is left out (see {@link dumpMetadata}).
 *
 * @throws {@link DbPatchError} `DB_DUMP_FAILED`, `DB_TOOL_NOT_FOUND`.
 */
export async function dumpSchema(handle: DatabaseHandle, options: DumpSchemaOptions = {}): Promise<string> {
  const args = ["--schema-only", "--no-owner", `--exclude-schema=${METADATA_SCHEMA}`];
  if (options.privileges !== true) args.push("--no-privileges");
  if (handle.kind === "pglite") {
    const { pgDump } = await import("@electric-sql/pglite-tools/pg_dump");
    const text = await handle
      .withPglite(async (pg) => {
        try {
          const file = await pgDump({ pg, args });
          return await file.text();
        } finally {
          // pg_dump shares PGlite's only session and leaves it inside its read-only snapshot
          // transaction, with its settings (search_path, restrict_nonsystem_relation_kind = view,
          // DateStyle…): end the transaction and give the session back clean.
          await pg.exec("rollback").catch(() => {});
          await pg.exec("reset all").catch(() => {});
        }
      })
      .catch((e: unknown) => {
        throw new DbPatchError(DB_PATCH_ERROR_CODES.DUMP_FAILED, `pg_dump (PGlite) failed: ${(e as Error).message}`, {
          hint: "Check that the database is consistent (the PGlite data directory may be damaged).",
          data: { database: handle.display },
          cause: e,
        });
      });
    return normalizeSchemaDump(text);
  }
  const major = await serverMajor(handle);
  const exe = findPgTool("pg_dump");
  if (supportsRestrictKey(exe)) args.push(`--restrict-key=${RESTRICT_KEY}`);
  const { stdout } = await runPgTool(handle.target as ServerTarget, "pg_dump", args, {
    failCode: DB_PATCH_ERROR_CODES.DUMP_FAILED,
    serverMajor: major,
    what: "schema dump",
  });
  return normalizeSchemaDump(stdout.toString("utf8"));
}

/**
 * Makes a pg_dump output stable and portable: drops the version banner, psql's `\restrict` /
 * `\unrestrict` lines and `SET transaction_timeout` (PostgreSQL ≥ 17 only), uses LF line ends,
 * trims trailing blanks and ends with exactly one newline. Pure.
 */
export function normalizeSchemaDump(text: string): string {
  const out: string[] = [];
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.replace(/[ \t]+$/, "");
    if (/^\\(un)?restrict\b/.test(line)) continue;
    if (/^-- Dumped (from database|by pg_dump) version /.test(line)) continue;
    if (/^SET transaction_timeout = /.test(line)) continue;
    out.push(line);
  }
  // Collapse the runs of blank lines the removals leave behind.
  const collapsed: string[] = [];
  for (const line of out) {
    if (
      line === "" &&
      collapsed.length >= 2 &&
      collapsed[collapsed.length - 1] === "" &&
      collapsed[collapsed.length - 2] === ""
    )
      continue;
    collapsed.push(line);
  }
  while (collapsed.length > 0 && collapsed[collapsed.length - 1] === "") collapsed.pop();
  while (collapsed.length > 0 && collapsed[0] === "") collapsed.shift();
  return `${collapsed.join("\n")}\n`;
}

/** @internal The server's major version (15 for 15.18). */
export async function serverMajor(handle: DatabaseHandle): Promise<number> {
  const r = await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(handle.db);
  return Math.floor(Number(r.rows[0]?.v ?? "0") / 10000);
}

const restrictKeySupport = new Map<string, boolean>();

/** pg_dump learnt `--restrict-key` in 13.22, 14.19, 15.14, 16.10, 17.6 and 18. */
function supportsRestrictKey(exe: string): boolean {
  const cached = restrictKeySupport.get(exe);
  if (cached !== undefined) return cached;
  let ok = false;
  try {
    const out = execFileSync(exe, ["--version"], { encoding: "utf8" });
    const m = /(\d+)\.(\d+)/.exec(out);
    if (m !== null) {
      const [major, minor] = [Number(m[1]), Number(m[2])];
      const min: Record<number, number> = { 13: 22, 14: 19, 15: 14, 16: 10, 17: 6 };
      ok = major >= 18 || (min[major] !== undefined && minor >= min[major]);
    }
  } catch {
    ok = false; // runPgTool reports the missing program
  }
  restrictKeySupport.set(exe, ok);
  return ok;
}
