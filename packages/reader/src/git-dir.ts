/**
 * Finding the Git repository that holds a dataset directory: the nearest `.git` above it, a
 * directory or a `gitdir:` file (submodules, linked worktrees), and the common directory that
 * linked worktrees share (`commondir`), where refs and objects live.
 */
import { basename, dirname, resolve } from "node:path";
import { ReaderError } from "./errors.js";
import { readFile, readText } from "./read-file.js";

/** Where a dataset sits in a repository. */
export interface GitLocation {
  /** The repository's own Git directory (`HEAD` of this worktree). */
  readonly gitDir: string;
  /** Where refs and objects live (the main repository's Git directory for linked worktrees). */
  readonly commonDir: string;
  /** The dataset directory's path inside the repository's tree, as components. */
  readonly prefix: readonly string[];
}

/**
 * The repository containing `datasetDir` (which need not exist in the working tree).
 * @throws {ReaderError} READER_REPOSITORY_NOT_FOUND
 */
export function findRepository(datasetDir: string): GitLocation {
  const start = resolve(datasetDir);
  const prefix: string[] = [];
  for (let dir = start; ; ) {
    const dotGit = `${dir}/.git`;
    const file = readFile(dotGit);
    if (file === "EISDIR") return located(dotGit, prefix);
    if (typeof file !== "string") {
      const m = /^gitdir: *(.+?)\s*$/m.exec(new TextDecoder().decode(file));
      if (m !== null) return located(resolve(dir, m[1]!), prefix);
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new ReaderError("READER_REPOSITORY_NOT_FOUND", `no Git repository contains ${start}`, {
        hint: "Reading a { ref } needs the .git repository; without one, read the checked-out files (no ref).",
        data: { path: start },
      });
    }
    prefix.unshift(basename(dir));
    dir = parent;
  }
}

function located(gitDir: string, prefix: readonly string[]): GitLocation {
  const common = readText(`${gitDir}/commondir`)?.trim();
  return { gitDir, commonDir: common === undefined || common === "" ? gitDir : resolve(gitDir, common), prefix };
}

