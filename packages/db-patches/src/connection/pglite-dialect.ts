import type { PGlite, Results } from "@electric-sql/pglite";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { AsyncMutex } from "./async-mutex.js";
import { quoteIdent } from "../support/sql-quote.js";

/** Options of {@link PgliteDialect}. */
export interface PgliteDialectConfig {
  /** The PGlite instance. Create it with `parsers: { [types.INT8]: (x) => x }` to get pg-like int8 strings. */
  pglite: PGlite;
  /**
   * The mutex that serialises every use of the instance. Share it with any code that talks to the
   * instance outside Kysely (pg_dump, dumpDataDir); defaults to a private one.
   */
  mutex?: AsyncMutex;
  /** Close the instance when the Kysely instance is destroyed (default true). */
  closeOnDestroy?: boolean;
}

const WRITE_COMMANDS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

/**
 * A Kysely dialect for PGlite. PGlite is a single backend, so the driver hands out one
 * connection at a time: a query issued while a transaction is open waits for it instead of
 * running inside it (the bug of `kysely-pglite` 0.6.1, toolchain.md G14).
 *
 * @example
 * ```ts
 * const pglite = await PGlite.create("memory://", { parsers: { [types.INT8]: (x) => x } });
 * const db = new Kysely<Database>({ dialect: new PgliteDialect({ pglite }) });
 * ```
 */
export class PgliteDialect implements Dialect {
  readonly #config: PgliteDialectConfig;

  constructor(config: PgliteDialectConfig) {
    this.#config = config;
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PgliteDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PgliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #mutex: AsyncMutex;
  readonly #closeOnDestroy: boolean;
  readonly #releases = new WeakMap<DatabaseConnection, () => void>();

  constructor(config: PgliteDialectConfig) {
    this.#pglite = config.pglite;
    this.#mutex = config.mutex ?? new AsyncMutex();
    this.#closeOnDestroy = config.closeOnDestroy ?? true;
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.acquire();
    const connection = new PgliteConnection(this.#pglite);
    this.#releases.set(connection, release);
    return connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#releases.get(connection)?.();
    this.#releases.delete(connection);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let sql = "begin";
    if (settings.isolationLevel !== undefined) sql += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode !== undefined) sql += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(sql));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async destroy(): Promise<void> {
    if (this.#closeOnDestroy && !this.#pglite.closed) {
      // Wait for the query in flight, if any, then close for good.
      await this.#mutex.run(() => this.#pglite.close());
    }
  }
}

class PgliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Like pg, a query without parameters goes through the simple-query protocol, so a script of
    // several statements runs in one call; its last result is returned.
    const result: Results<R> =
      query.parameters.length === 0
        ? (((await this.#pglite.exec(query.sql)).at(-1) as Results<R> | undefined) ?? { rows: [], fields: [] })
        : await this.#pglite.query<R>(query.sql, [...query.parameters]);
    const command = result.command?.toUpperCase();
    if (command !== undefined && WRITE_COMMANDS.has(command)) {
      return { rows: result.rows, numAffectedRows: BigInt(result.rowCount ?? result.affectedRows ?? 0) };
    }
    return { rows: result.rows };
  }

  /** PGlite has no cursors over its wire: the result is computed whole, then handed out in chunks. */
  async *streamQuery<R>(query: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}
