import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";
import type { RefStore } from "./ref-store.js";

/** @internal A ref name that would be a directory of, or inside, an existing ref. */
export function refNameConflict(name: string, cause?: unknown): GitStoreError {
  return new GitStoreError(
    GIT_ERROR_CODES.INVALID_REF_NAME,
    `cannot create ${name}: it conflicts with an existing ref`,
    {
      hint: "A ref cannot be both a name and a directory of other refs (e.g. `a` and `a/b`); pick another name.",
      data: { name },
      cause,
    },
  );
}

/**
 * Refuses to create `name` when `name/…` or one of its parent paths is already a ref, the same
 * rule Git applies (refs are files, so `refs/heads/a` and `refs/heads/a/b` cannot coexist).
 * @internal
 */
export async function assertNoNameConflict(refs: RefStore, name: string): Promise<void> {
  if (!name.startsWith("refs/")) return;
  if ((await refs.list(`${name}/`)).length > 0) throw refNameConflict(name);
  const parts = name.split("/");
  for (let i = 2; i < parts.length; i++) {
    const parent = parts.slice(0, i).join("/");
    if ((await refs.read(parent))?.kind !== undefined) throw refNameConflict(name);
  }
}
