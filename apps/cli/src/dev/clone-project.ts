import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import {
  currentRelease,
  installMetadata,
  openDatabase,
  readMetadataInfo,
  recordRelease,
  restoreFromModel,
} from "@git-prolly/db-patches";
import { GitCli, HO_PROD } from "@git-prolly/release-engine";
import { ensureServerDatabase, projectConnection, type ConnectionFlags } from "./connection.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { findProject, writeLocalConfig } from "./project-config.js";

/** Options of {@link cloneProject}. */
export interface CloneOptions extends ConnectionFlags {
  cwd: string;
  url: string;
  destination?: string | undefined;
  production?: boolean | undefined;
  database?: string | undefined;
  report?: (line: string) => void;
}

/** The outcome of {@link cloneProject}. */
export interface CloneResult {
  root: string;
  production: boolean;
  database: string;
  /** `restored`: development database reset to the production model; `kept`: an existing production database left untouched; `created`: a new production database at 0.0.0. */
  databaseState: "restored" | "kept" | "created";
  release: string;
}

/**
 * Clones a project, checks out ho-prod and sets its database up. A development clone resets its
 * database to the production model. A production clone never resets a database: an existing one
 * (with this project's metadata) is kept as is, an empty one gets the metadata at release 0.0.0,
 * ready for `upgrade`.
 */
export async function cloneProject(options: CloneOptions): Promise<CloneResult> {
  const dest = resolve(
    options.cwd,
    options.destination ?? basename(options.url.replace(/\/+$/, "")).replace(/\.git$/, ""),
  );
  if (existsSync(dest)) {
    throw new DevError(DEV_ERROR_CODES.DIRECTORY_EXISTS, `Directory '${basename(dest)}' already exists`, {
      hint: "Pass another destination directory, or remove it.",
      data: { path: dest },
    });
  }
  const git = new GitCli(resolve(options.cwd));
  await git.run(["clone", "--quiet", "--branch", HO_PROD, options.url, dest]);
  const production = options.production === true;
  writeLocalConfig(dest, {
    ...(production ? { production: true } : {}),
    ...(options.database === undefined ? {} : { database: options.database }),
  });
  await new GitCli(dest).run(["fetch", "--quiet", "--tags", "origin"]);
  const project = findProject(dest);
  const database = options.database ?? project.config.database;
  const connection = projectConnection(dest, database, options);
  await ensureServerDatabase(connection);
  const name = project.config.project;
  if (production) {
    const handle = await openDatabase(connection);
    try {
      const info = await readMetadataInfo(handle);
      if (info !== undefined) {
        await installMetadata(handle, { project: name, production: true });
        options.report?.(`kept the existing production database ${handle.display} (never reset)`);
        return {
          root: dest,
          production,
          database,
          databaseState: "kept",
          release: (await currentRelease(handle))?.version ?? "0.0.0",
        };
      }
      await installMetadata(handle, { project: name, production: true });
      await recordRelease(handle, { project: name, version: "0.0.0", changelog: "Initial release" });
      options.report?.(`production database ${handle.display} set up at 0.0.0; run git-prolly dev upgrade`);
      return { root: dest, production, database, databaseState: "created", release: "0.0.0" };
    } finally {
      await handle.close();
    }
  }
  const r = await restoreFromModel(connection, { project: name, modelDir: join(dest, "model") });
  options.report?.(`development database restored to production state ${r.version}`);
  return { root: dest, production, database, databaseState: "restored", release: r.version };
}
