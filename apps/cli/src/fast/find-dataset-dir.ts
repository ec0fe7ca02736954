import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** A checked-out dataset and the Git directory of its working tree. */
export interface CheckedOutDataset {
  /** The directory holding `prolly.json`. */
  readonly dir: string;
  /** The working tree's Git directory (`.git`, or where a `.git` file points). */
  readonly gitDir: string;
}

function gitDirAt(dir: string): string | undefined {
  const dotGit = join(dir, ".git");
  let stat;
  try {
    stat = statSync(dotGit);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return dotGit;
  const line = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"));
  return line === null ? undefined : resolve(dir, line[1]!.trim());
}

/**
 * The checked-out dataset at or above `start` (the nearest directory holding `prolly.json`, not
 * past the top of its working tree) and that working tree's Git directory; `undefined` when
 * there is none, or no repository around it.
 */
export function findCheckedOutDataset(start: string): CheckedOutDataset | undefined {
  let current = start;
  let dataset: string | undefined;
  for (;;) {
    if (dataset === undefined && existsSync(join(current, "prolly.json"))) dataset = current;
    const gitDir = gitDirAt(current);
    if (gitDir !== undefined) return dataset === undefined ? undefined : { dir: dataset, gitDir };
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * True when some dataset of the repository has a write-buffer journal on disk (edits of a process
 * that was killed before it flushed): only kv-store replays those, so the fast path steps aside.
 */
export function hasPendingJournal(gitDir: string): boolean {
  const walk = (dir: string, depth: number): boolean => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return false;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (name === "journal") {
        try {
          if (readdirSync(path).length > 0) return true;
        } catch {
          // a file named journal: not ours
        }
      } else if (depth < 8 && !name.includes(".")) {
        if (walk(path, depth + 1)) return true;
      }
    }
    return false;
  };
  return walk(join(gitDir, "prolly", "datasets"), 0);
}
