/**
 * Vitest global setup of the `git-prolly dev` tests: a PostgreSQL server URL (TEST_PG_URL, else a
 * throwaway cluster started with the local initdb and stopped afterwards) and a warm PGlite
 * empty-cluster cache shared by every CLI process. Without a server the server tests fail with the
 * reason; they never skip.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase, PGLITE_VERSION } from "@git-prolly/db-patches";
import { startThrowawayPostgres } from "../../../../../scripts/throwaway-postgres.mjs";

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
      const started = startThrowawayPostgres({ prefix: "gp-dev-pg-", maxConnections: 200 });
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
