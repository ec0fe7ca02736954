import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";

/** The committed configuration file of a project (no secrets: the database URL never goes here). */
export const PROJECT_CONFIG_FILE = ".git-prolly-dev.json";
/** Per-clone settings, inside `.git` so they are never committed. */
export const LOCAL_CONFIG_FILE = "git-prolly-dev.local.json";

/** The committed configuration of a project. */
export interface ProjectConfig {
  /** The package name; also names the advisory lock and the metadata's project. */
  project: string;
  /** The database name (server) or PGlite data directory name (`.pglite/<database>`). */
  database: string;
  /** The command `patch add` runs to validate a release (`vitest run` by default). */
  testCommand: string;
  /** Where `patch apply` writes the generated Kysely types. */
  typesFile: string;
  configVersion: 1;
}

/** Per-clone settings that are not committed. */
export interface LocalConfig {
  /** A production clone: its database is upgraded, never reset. */
  production?: boolean;
  /** A database name overriding the committed one (`clone --database`). */
  database?: string;
}

/** A project found on disk. */
export interface Project {
  root: string;
  config: ProjectConfig;
  local: LocalConfig;
}

/** Writes the committed configuration. */
export function writeProjectConfig(root: string, config: ProjectConfig): void {
  writeFileSync(join(root, PROJECT_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

/** Writes the per-clone settings into `.git/`. */
export function writeLocalConfig(root: string, local: LocalConfig): void {
  writeFileSync(join(root, ".git", LOCAL_CONFIG_FILE), `${JSON.stringify(local, null, 2)}\n`);
}

/** Finds the project holding `cwd` (walking up to the configuration file). */
export function findProject(cwd: string): Project {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, PROJECT_CONFIG_FILE))) return loadProject(dir);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new DevError(DEV_ERROR_CODES.NOT_A_PROJECT, `not a git-prolly dev project: ${resolve(cwd)}`, {
    hint: "Run this inside a project made by `git-prolly dev init` or `git-prolly dev clone`, or pass -C <dir>.",
    data: { cwd: resolve(cwd) },
  });
}

function loadProject(root: string): Project {
  const path = join(root, PROJECT_CONFIG_FILE);
  let config: ProjectConfig;
  try {
    config = JSON.parse(readFileSync(path, "utf8")) as ProjectConfig;
  } catch (e) {
    throw new DevError(DEV_ERROR_CODES.NOT_A_PROJECT, `${PROJECT_CONFIG_FILE} is not valid JSON`, {
      hint: `Fix ${path} (git show HEAD:${PROJECT_CONFIG_FILE} shows the committed one).`,
      cause: e,
    });
  }
  if (typeof config.project !== "string" || typeof config.database !== "string") {
    throw new DevError(DEV_ERROR_CODES.NOT_A_PROJECT, `${PROJECT_CONFIG_FILE} lacks "project" or "database"`, {
      hint: `Fix ${path}.`,
    });
  }
  config.testCommand ??= "vitest run";
  config.typesFile ??= "src/db/database.ts";
  const localPath = join(root, ".git", LOCAL_CONFIG_FILE);
  const local = existsSync(localPath) ? (JSON.parse(readFileSync(localPath, "utf8")) as LocalConfig) : {};
  return { root, config, local };
}
