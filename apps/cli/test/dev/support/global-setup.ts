/**
 * Vitest global setup of the `git-prolly dev` tests: a PostgreSQL server URL (TEST_PG_URL, else a
 * throwaway cluster started with the local initdb and stopped afterwards) and a warm PGlite
 * empty-cluster cache shared by every CLI process. Without a server the server tests fail with the
 * reason; they never skip.
 */
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase, PGLITE_VERSION } from "@git-prolly/db-patches";

declare module "vitest" {
  export interface ProvidedContext {
    devPgUrl: string;
    devPgUrlError: string;
    devPgliteCache: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url = process.env["TEST_PG_URL"] ?? "";
  let error = "";
  let stop: (() => void) | undefined;
  if (url === "") {
    try {
      const started = await startThrowawayServer();
      url = started.url;
      stop = started.stop;
    } catch (e) {
      error = `TEST_PG_URL is not set and no throwaway PostgreSQL could be started: ${(e as Error).message}`;
    }
  }
  const cache = join(tmpdir(), `git-prolly-pglite-cache-${PGLITE_VERSION}`);
  if (!existsSync(join(cache, `empty-cluster-pglite-${PGLITE_VERSION}.tar`))) {
    const scratch = mkdtempSync(join(tmpdir(), "gp-dev-pglite-init-"));
    const h = await openDatabase({ kind: "pglite", pgliteDir: join(scratch, "db"), pgliteCacheDir: cache });
    await h.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  project.provide("devPgUrl", url);
  project.provide("devPgUrlError", error);
  project.provide("devPgliteCache", cache);
  return async () => stop?.();
}

async function startThrowawayServer(): Promise<{ url: string; stop: () => void }> {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  const v = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (v === undefined) throw new Error("initdb not found under /usr/lib/postgresql/*/bin");
  const bin = join(root, v, "bin");
  const dir = mkdtempSync(join(tmpdir(), "gp-dev-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
    chownSync(dir, id("-u"), id("-g"));
  }
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
    const r = spawnSync(c as string, a as string[], { encoding: "utf8" });
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
  const port = await freePort();
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a !== null ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}
