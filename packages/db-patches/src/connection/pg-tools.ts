import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { scrubSecrets } from "./redact-url.js";
import { toolConninfo, type ServerTarget } from "./resolve-connection.js";

/** A PostgreSQL client program db-patches runs. */
export type PgToolName = "pg_dump" | "pg_restore" | "psql";

/**
 * Finds a client program: `$PG_BIN/<name>`, then the newest `/usr/lib/postgresql/<major>/bin/<name>`
 * (pg_dump must not be older than the server; a newer one reads older servers), then `<name>` on
 * the PATH.
 */
export function findPgTool(name: PgToolName): string {
  const bin = process.env["PG_BIN"];
  if (bin !== undefined && bin !== "" && existsSync(join(bin, name))) return join(bin, name);
  const root = "/usr/lib/postgresql";
  let versions: number[] = [];
  try {
    versions = readdirSync(root)
      .map(Number)
      .filter((v) => Number.isInteger(v) && existsSync(join(root, String(v), "bin", name)))
      .sort((a, b) => a - b);
  } catch {
    // not a Debian-style layout
  }
  // The newest installed client: pg_dump/pg_restore read every older server and archive.
  const pick = versions[versions.length - 1];
  return pick === undefined ? name : join(root, String(pick), "bin", name);
}

/** The output of a finished program. */
export interface ToolResult {
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a client program against a server target. The password travels in `PGPASSWORD`, never
 * on the command line; stderr is scrubbed of it.
 *
 * @throws {@link DbPatchError} `DB_TOOL_NOT_FOUND`, or `failCode` when the program exits non-zero.
 */
export async function runPgTool(
  target: ServerTarget,
  name: PgToolName,
  args: readonly string[],
  options: {
    failCode: (typeof DB_PATCH_ERROR_CODES)[keyof typeof DB_PATCH_ERROR_CODES];
    serverMajor?: number;
    what: string;
    /** Pass the connection (`-d`); false for offline uses such as `pg_restore --list` (default true). */
    connect?: boolean;
  },
): Promise<ToolResult> {
  const exe = findPgTool(name);
  const env: Record<string, string | undefined> = { ...process.env, ...target.toolEnv };
  delete env["PGPASSWORD"];
  const pw = target.password();
  if (pw !== undefined) env["PGPASSWORD"] = pw;
  const secrets = pw === undefined ? [] : [pw];
  const fullArgs = [...args];
  if (options.connect !== false) fullArgs.push("-d", toolConninfo(target));
  return new Promise<ToolResult>((resolve, reject) => {
    const child = spawn(exe, fullArgs, { env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => {
      reject(
        new DbPatchError(DB_PATCH_ERROR_CODES.TOOL_NOT_FOUND, `cannot run ${name} (${exe}): ${(e as Error).message}`, {
          hint: `Install the PostgreSQL client programs (apt install postgresql-client) or set PG_BIN to the directory holding ${name}.`,
          data: { tool: name, path: exe },
        }),
      );
    });
    child.on("close", (code) => {
      const stderr = scrubSecrets(Buffer.concat(err).toString("utf8"), secrets);
      if (code === 0) {
        resolve({ stdout: Buffer.concat(out), stderr });
        return;
      }
      reject(
        new DbPatchError(
          options.failCode,
          `${options.what} failed: ${name} exited with ${code}: ${stderr.trim().split("\n").slice(-5).join(" | ")}`,
          {
            hint: `Read ${name}'s message; check the connection, and that ${exe} is at least as new as the server${options.serverMajor === undefined ? "" : ` (PostgreSQL ${options.serverMajor})`}.`,
            data: { tool: name, path: exe, exitCode: code, stderr: stderr.slice(-4000), database: target.display },
          },
        ),
      );
    });
  });
}
