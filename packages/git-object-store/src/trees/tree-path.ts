import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";

/**
 * Splits a repository-relative path into components, refusing what Git refuses inside trees:
 * empty components, `.`, `..` and `.git` (any case), and NUL bytes.
 * @throws {GitStoreError} GIT_INVALID_PATH
 */
export function splitTreePath(path: string): string[] {
  const parts = path.split("/");
  for (const p of parts) {
    if (p === "" || p === "." || p === ".." || p.toLowerCase() === ".git" || p.includes("\0")) {
      throw new GitStoreError(GIT_ERROR_CODES.INVALID_PATH, `invalid path ${JSON.stringify(path)} in a tree`, {
        hint: "Use a relative path of non-empty components, without '.', '..' or '.git'.",
        data: { path },
      });
    }
  }
  return parts;
}
