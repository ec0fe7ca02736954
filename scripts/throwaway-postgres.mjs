/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temporary directory with
 * the local binaries (`PG_BIN`, else the newest /usr/lib/postgresql/<v>/bin, else the `psql` on
 * PATH), started on a free port with durability off, and removed by `stop()`. As root the cluster
 * runs as the `postgres` user. Shared by the global setups of db-patches' and the CLI's dev tests
 * and by bench/dev-patch-apply.bench.mjs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The directory of the PostgreSQL binaries (initdb, pg_ctl, psql…). */
export function findPgBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  const v = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (v !== undefined) return join(root, v, "bin");
  const r = spawnSync("sh", ["-c", "command -v initdb || command -v psql"], { encoding: "utf8" });
  const p = r.stdout.trim();
  if (r.status !== 0 || p === "") throw new Error("initdb not found (PG_BIN, /usr/lib/postgresql/*/bin, PATH)");
  return p.slice(0, p.lastIndexOf("/"));
}

function freePortSync() {
  const out = execFileSync(
    process.execPath,
    [
      "-e",
      "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
    ],
    { encoding: "utf8" },
  );
  return Number(out.trim());
}

/**
 * Starts a cluster; returns its URL (`postgres` superuser, trust authentication, database
 * `postgres`), the binaries' directory and `stop()`.
 * @param {{ prefix?: string, maxConnections?: number }} [options]
 */
export function startThrowawayPostgres(options = {}) {
  const bin = findPgBin();
  const dir = mkdtempSync(join(tmpdir(), options.prefix ?? "gp-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, id("-u"), id("-g"));
  }
  const run = (cmd, args) => {
    const [c, a] = asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
    const r = spawnSync(c, a, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  const data = join(dir, "data");
  run(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "-A",
    "trust",
    "--no-sync",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  const port = freePortSync();
  const settings = [
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
    ...(options.maxConnections === undefined ? [] : [`-c max_connections=${options.maxConnections}`]),
  ].join(" ");
  try {
    run(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "-o", settings, "start"]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    bin,
    stop() {
      try {
        run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
