/** The directory of the PostgreSQL binaries (initdb, pg_ctl, psql…). */
export function findPgBin(): string;

/** A running throwaway cluster. */
export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  /** The binaries' directory. */
  bin: string;
  /** Stops the cluster and removes its directory. */
  stop(): void;
}

/** Starts a throwaway cluster (initdb in a temporary directory, a free port, durability off). */
export function startThrowawayPostgres(options?: { prefix?: string; maxConnections?: number }): ThrowawayPostgres;
