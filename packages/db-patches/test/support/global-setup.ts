/**
 * Vitest global setup: provides a PostgreSQL server URL and a PGlite cluster cache to every test
 * file. TEST_PG_URL wins (CI sets it); without it, a throwaway cluster is started with the local
 * initdb. With neither, the server tests fail with a message saying so — they never skip.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startThrowawayPostgres } from "../../../../scripts/throwaway-postgres.mjs";
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
      const started = startThrowawayPostgres({ prefix: "gp-db-patches-pg-" });
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
