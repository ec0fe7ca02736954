/**
 * Finding the Git repository that holds a dataset directory: the nearest `.git` above it, a
 * directory or a `gitdir:` file (submodules, linked worktrees), or a bare repository (the path
 * then names a place in its tree), and the common directory of linked worktrees (`commondir`).
 */
import { basename, dirname, resolve } from "node:path";
import { fail } from "./errors.js";
import { decoder, readFile, readText } from "./read-file.js";

/** Where a dataset sits in a repository. */
export interface GitLocation {
  /** The repository's own Git directory (`HEAD` of this worktree). */ readonly gitDir: string;
  /** Where refs and objects live (the main repository's Git directory for linked worktrees). */ readonly commonDir: string;
  /** The dataset directory's path inside the repository's tree, as components. */ readonly prefix: readonly string[];
}

/** The repository containing `datasetDir` (which need not exist in the working tree). @throws {ReaderError} READER_REPOSITORY_NOT_FOUND */
export function findRepository(datasetDir: string): GitLocation {
  const start = resolve(datasetDir);
  const prefix: string[] = [];
  const isDir = (path: string): boolean => readFile(path) === "EISDIR";
  for (let dir = start; ; dir = dirname(dir)) {
    const file = readFile(`${dir}/.git`);
    const m = typeof file === "string" ? null : /^gitdir: *(.+?)\s*$/m.exec(decoder.decode(file));
    // `.git` (a directory, or a `gitdir:` file); else a bare repository (or a Git directory named directly) as Git knows one.
    const gitDir = file === "EISDIR" ? `${dir}/.git` : m !== null ? resolve(dir, m[1]!) : typeof readFile(`${dir}/HEAD`) !== "string" && isDir(`${dir}/objects`) && isDir(`${dir}/refs`) ? dir : undefined;
    if (gitDir !== undefined) {
      // A `.git` file naming a directory that is gone (a submodule or worktree copied without its repository).
      if (typeof readFile(`${gitDir}/HEAD`) === "string") throw fail("READER_REPOSITORY_NOT_FOUND", `${dir}/.git names ${gitDir}, which is not a Git directory`, { path: start, gitDir });
      return { gitDir, commonDir: resolve(gitDir, readText(`${gitDir}/commondir`)?.trim() || "."), prefix };
    }
    if (dirname(dir) === dir) throw fail("READER_REPOSITORY_NOT_FOUND", `no Git repository contains ${start}`, { path: start });
    prefix.unshift(basename(dir));
  }
}
