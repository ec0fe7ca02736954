/** Administration of server databases: the maintenance database, lock scopes, renames. */
import type pg from "pg";
import { withDatabase, type ServerTarget } from "./resolve-connection.js";
import { quoteIdent } from "../support/sql-quote.js";

/** @internal The maintenance target for CREATE/DROP DATABASE of `target`. */
export function maintenanceTarget(target: ServerTarget, name?: string): ServerTarget {
  return withDatabase(target, name ?? (target.database === "postgres" ? "template1" : "postgres"));
}

/** @internal Lock options for operations that drop and create `target`'s database. */
export function databaseScope(project: string, target: ServerTarget, timeoutMs: number | undefined) {
  return { project, scope: `database:${target.database}`, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
}

/**
 * @internal Renames a database we just closed. A backend outlives its client's disconnect by a
 * few milliseconds, and RENAME refuses a database with sessions: end them and retry.
 */
export async function renameDatabase(admin: pg.Client, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`alter database ${quoteIdent(from)} rename to ${quoteIdent(to)}`);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== "55006" || attempt >= 50) throw e;
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [from],
      );
      await new Promise((r) => setTimeout(r, 20 + attempt * 10));
    }
  }
}
