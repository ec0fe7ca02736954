/**
 * Vitest global setup: provides a PostgreSQL server URL and a PGlite cluster cache to every test
 * file. TEST_PG_URL wins (CI sets it); without it, a throwaway cluster is started with the local
 * initdb. With neither, the server tests fail with a message saying so — they never skip.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createPglite, PGLITE_VERSION } from "../../src/connection/open-database.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
    pgUrlError: string;
    pgliteCacheDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: (() => void)[] = [];
  let url = process.env["TEST_PG_URL"] ?? "";
  let error = "";
  if (url === "") {
    try {
      const started = startThrowawayServer();
      url = started.url;
      cleanups.push(started.stop);
    } catch (e) {
      error = `TEST_PG_URL is not set and no throwaway PostgreSQL could be started: ${(e as Error).message}`;
    }
  }
  project.provide("pgUrl", url);
  project.provide("pgUrlError", error);

  // One empty PGlite cluster image for every test file: opening a new data directory then copies
  // it (≈0.6 s) instead of running initdb (≈4.5 s). Kept between runs in the temp directory.
  const cacheDir = join(tmpdir(), `git-prolly-db-patches-pglite-cache-${PGLITE_VERSION}`);
  if (!existsSync(join(cacheDir, `empty-cluster-pglite-${PGLITE_VERSION}.tar`))) {
    const scratch = mkdtempSync(join(tmpdir(), "gp-pglite-init-"));
    const pg = await createPglite({ kind: "pglite", dataDir: join(scratch, "db"), cacheDir, display: "init" });
    await pg.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  project.provide("pgliteCacheDir", cacheDir);
  return async () => {
    for (const c of cleanups.reverse()) c();
  };
}

function startThrowawayServer(): { url: string; stop: () => void } {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  const v = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (v === undefined) throw new Error("initdb not found under /usr/lib/postgresql/*/bin");
  const bin = join(root, v, "bin");
  const dir = mkdtempSync(join(tmpdir(), "gp-db-patches-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, uidOf("postgres"), gidOf("postgres"));
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? (["runuser", ["-u", "postgres", "--", cmd, ...args]] as const) : ([cmd, args] as const);
    const r = spawnSync(full[0], full[1], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  run(join(bin, "initdb"), [
    "-D",
    join(dir, "data"),
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
  run(join(bin, "pg_ctl"), [
    "-D",
    join(dir, "data"),
    "-l",
    join(dir, "log"),
    "-w",
    "-t",
    "60",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run(join(bin, "pg_ctl"), ["-D", join(dir, "data"), "-m", "immediate", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function uidOf(user: string): number {
  return Number(execFileSync("id", ["-u", user], { encoding: "utf8" }).trim());
}
function gidOf(user: string): number {
  return Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
}

function freePortSync(): number {
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
