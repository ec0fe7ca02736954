/**
 * Finding a repository from a path, including what isomorphic-git does not follow (issue #735):
 * `.git` files (`gitdir: …`, used by submodules and linked worktrees) and the `commondir` of a
 * linked worktree, where objects and shared refs live. The few small files involved are read
 * with synchronous calls (cheaper than trips through libuv's thread pool for a CLI command).
 */
import { readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { configBool, readConfigFile } from "./git-config.js";
import { isMissing } from "../is-missing.js";

/** Where a repository's parts are. */
export interface RepositoryLayout {
  /** The Git directory of this worktree (HEAD, index, per-worktree refs). */
  readonly gitDir: string;
  /** The common directory (objects, shared refs, config); equals `gitDir` except in linked worktrees. */
  readonly commonDir: string;
  /** The top of the working tree, or `undefined` for a bare repository. */
  readonly workTree: string | undefined;
  /** True for a bare repository. */
  readonly bare: boolean;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return statSync(path).isDirectory();
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return statSync(path).isFile();
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

/** True when `dir` looks like a Git directory (HEAD plus objects and refs, or a commondir file). */
export async function isGitDirectory(dir: string): Promise<boolean> {
  if (!(await isFile(join(dir, "HEAD")))) return false;
  if (await isFile(join(dir, "commondir"))) return true;
  return (await isDir(join(dir, "objects"))) && (await isDir(join(dir, "refs")));
}

async function commonDirOf(gitDir: string): Promise<string> {
  try {
    return resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim());
  } catch (e) {
    if (isMissing(e)) return gitDir;
    throw e;
  }
}

/** Reads a `.git` file's `gitdir: <path>` line. */
async function gitFileTarget(file: string): Promise<string | undefined> {
  const text = readFileSync(file, "utf8");
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  return m === null ? undefined : resolve(dirname(file), m[1]!);
}

/**
 * The repository containing `path` (searched upwards), or `undefined`. `path` need not exist.
 *
 * @example
 * ```ts
 * const layout = await findRepository("app/data/config"); // works in submodules and worktrees
 * ```
 */
export async function findRepository(path: string): Promise<RepositoryLayout | undefined> {
  let dir = resolve(path);
  for (;;) {
    const dotGit = join(dir, ".git");
    let gitDir: string | undefined;
    if (await isDir(dotGit)) gitDir = dotGit;
    else if (await isFile(dotGit)) gitDir = await gitFileTarget(dotGit);
    if (gitDir !== undefined && (await isGitDirectory(gitDir))) {
      const commonDir = await commonDirOf(gitDir);
      return { gitDir, commonDir, workTree: dir, bare: false };
    }
    if (await isGitDirectory(dir)) {
      const commonDir = await commonDirOf(dir);
      const config = await readConfigFile(join(commonDir, "config"));
      const bare = configBool(config.get("core.bare")) ?? basename(dir) !== ".git";
      return { gitDir: dir, commonDir, workTree: bare ? undefined : dirname(dir), bare };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
