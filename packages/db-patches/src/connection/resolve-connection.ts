import { userInfo } from "node:os";
import { resolve } from "node:path";
import { parse } from "pg-connection-string";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { redactUrl } from "./redact-url.js";

/** Where the database is: options common to every function that connects. */
export interface ConnectionOptions {
  /** A server URL (`postgres://…`); wins over the environment. */
  url?: string;
  /** Environment read for `DATABASE_URL` and `PG*`; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Force a backend instead of deciding from the options and environment. */
  kind?: "server" | "pglite";
  /**
   * PGlite data directory, used when no server is configured. Defaults to `.pglite/db` under the
   * current directory; the `.pglite/` folder receives a `.gitignore` of `*` so Git ignores it.
   */
  pgliteDir?: string;
  /**
   * A directory where the image of an empty PGlite cluster is cached, so that creating a new data
   * directory copies it (≈0.6 s) instead of running initdb (≈4.5 s). Optional.
   */
  pgliteCacheDir?: string;
  /** Server connections per handle (default 4). */
  poolSize?: number;
  /** `application_name` on the server (default `git-prolly`). */
  applicationName?: string;
}

/** The server half of a {@link ConnectionTarget}. Its password is only reachable through a closure. */
export interface ServerTarget {
  readonly kind: "server";
  /** node-postgres client configuration, without the password. */
  readonly clientConfig: Readonly<Record<string, unknown>>;
  /** `PG*` variables (minus PGPASSWORD) passed to libpq programs. */
  readonly toolEnv: Readonly<Record<string, string>>;
  /** The database this target designates. */
  readonly database: string;
  /** A printable description, password redacted. */
  readonly display: string;
  /** Reads the password (undefined: pg and libpq fall back to `.pgpass`). */
  readonly password: () => string | undefined;
  readonly poolSize: number;
  readonly applicationName: string;
}

/** The PGlite half of a {@link ConnectionTarget}. */
export interface PgliteTarget {
  readonly kind: "pglite";
  /** Absolute data directory. */
  readonly dataDir: string;
  readonly cacheDir: string | undefined;
  readonly display: string;
}

/** A resolved connection: where to connect, with the secret kept out of sight. */
export type ConnectionTarget = ServerTarget | PgliteTarget;

const PG_ENV_KEYS = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"] as const;

/**
 * Decides where to connect: `options.url`, else `DATABASE_URL`, else the `PG*` variables (a
 * server), else PGlite in `options.pgliteDir`. Pure apart from reading the current directory.
 */
export function resolveConnection(options: ConnectionOptions = {}): ConnectionTarget {
  const env = options.env ?? process.env;
  const url = options.url ?? nonEmpty(env["DATABASE_URL"]);
  const hasPgEnv = PG_ENV_KEYS.some((k) => nonEmpty(env[k]) !== undefined);
  const kind = options.kind ?? (url !== undefined || hasPgEnv ? "server" : "pglite");
  if (kind === "pglite") {
    const dataDir = resolve(options.pgliteDir ?? ".pglite/db");
    return { kind, dataDir, cacheDir: options.pgliteCacheDir, display: `pglite:${dataDir}` };
  }
  const clientConfig: Record<string, unknown> = {};
  const toolEnv: Record<string, string> = {};
  let password: string | undefined;
  if (url !== undefined) {
    let parsed: Record<string, unknown>;
    try {
      parsed = parse(url) as Record<string, unknown>;
    } catch {
      throw new DbPatchError(DB_PATCH_ERROR_CODES.INVALID_OPTIONS, `invalid database URL: ${redactUrl(url)}`, {
        hint: "Use postgres://user@host:port/database (percent-encode special characters in the password).",
        data: { url: redactUrl(url) },
      });
    }
    for (const [k, v] of Object.entries(parsed)) {
      if (k === "password") password = typeof v === "string" && v !== "" ? v : undefined;
      else if (v !== undefined && v !== "") clientConfig[k] = v;
    }
  } else {
    const map: Record<string, string> = { PGHOST: "host", PGPORT: "port", PGDATABASE: "database", PGUSER: "user" };
    for (const [e, k] of Object.entries(map)) {
      const v = nonEmpty(env[e]);
      if (v !== undefined) clientConfig[k] = v;
    }
    for (const [k, v] of Object.entries(env)) {
      if (k.startsWith("PG") && k !== "PGPASSWORD" && v !== undefined) toolEnv[k] = v;
    }
    password = nonEmpty(env["PGPASSWORD"]);
  }
  const str = (k: string): string | undefined =>
    typeof clientConfig[k] === "string" ? (clientConfig[k] as string) : undefined;
  const user = str("user") ?? nonEmpty(env["PGUSER"]) ?? safeUserName();
  const database = str("database") ?? nonEmpty(env["PGDATABASE"]) ?? user;
  const host = str("host") ?? nonEmpty(env["PGHOST"]) ?? "localhost";
  const port = str("port") ?? nonEmpty(env["PGPORT"]) ?? "5432";
  clientConfig["user"] = user;
  clientConfig["database"] = database;
  const secret = password;
  return {
    kind: "server",
    clientConfig,
    toolEnv,
    database,
    display: `postgres://${user}@${host.startsWith("/") ? encodeURIComponent(host) : host}:${port}/${database}`,
    password: () => secret,
    poolSize: options.poolSize ?? 4,
    applicationName: options.applicationName ?? "git-prolly",
  };
}

/** The same server target, pointed at another database (for CREATE/DROP DATABASE). */
export function withDatabase(target: ServerTarget, database: string): ServerTarget {
  return {
    ...target,
    clientConfig: { ...target.clientConfig, database },
    database,
    display: target.display.replace(/\/[^/]*$/, `/${database}`),
  };
}

const LIBPQ_KEYS: Readonly<Record<string, string>> = {
  host: "host",
  port: "port",
  user: "user",
  database: "dbname",
  sslmode: "sslmode",
  sslcert: "sslcert",
  sslkey: "sslkey",
  sslrootcert: "sslrootcert",
  application_name: "application_name",
  options: "options",
  connect_timeout: "connect_timeout",
};

/**
 * A libpq keyword/value connection string for pg_dump / pg_restore, without the password (which
 * travels in `PGPASSWORD`, never on a command line that `ps` shows).
 */
export function toolConninfo(target: ServerTarget): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(target.clientConfig)) {
    const key = LIBPQ_KEYS[k];
    if (key === undefined || (typeof v !== "string" && typeof v !== "number")) continue;
    parts.push(`${key}='${String(v).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`);
  }
  return parts.join(" ");
}

/** Secrets a target holds, for {@link scrubSecrets}. */
export function targetSecrets(target: ConnectionTarget): string[] {
  if (target.kind === "pglite") return [];
  const pw = target.password();
  return pw === undefined ? [] : [pw];
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return "postgres";
  }
}
