import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The checked-out dataset directory at or above `dir` (the nearest one holding `prolly.json`,
 * not past the top of the repository), or `undefined`.
 */
export function findDatasetDir(dir: string): string | undefined {
  let current = dir;
  for (;;) {
    if (existsSync(join(current, "prolly.json"))) return current;
    if (existsSync(join(current, ".git"))) return undefined;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}
