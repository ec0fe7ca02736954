import type { Signature } from "../objects/commit-object.js";
import type { ObjectId } from "../objects/object-id.js";

/** A ref's own value: an object id, or the name of another ref (`HEAD` → `refs/heads/main`). */
export type RefValue =
  { readonly kind: "direct"; readonly id: ObjectId } | { readonly kind: "symbolic"; readonly target: string };

/** A ref and the object it points at. */
export interface RefEntry {
  readonly name: string;
  readonly id: ObjectId;
}

/** Options of {@link RefStore.update}. */
export interface RefUpdateOptions {
  /**
   * Compare-and-swap: the value the ref must hold for the update to happen; `null` means the
   * ref must not exist. Omit for an unconditional update.
   */
  readonly expected?: ObjectId | null;
  /** Reflog message. */
  readonly message?: string;
  /** Who is updating (for the reflog). */
  readonly committer?: Signature;
}

/** Options of {@link RefStore.delete}. */
export interface RefDeleteOptions {
  /** The value the ref must hold to be deleted; omit to delete unconditionally. */
  readonly expected?: ObjectId;
}

/**
 * Refs with compare-and-swap updates. Names are full (`refs/heads/main`, `HEAD`); updates never
 * follow symbolic refs (resolve them first with {@link RefStore.read}).
 */
export interface RefStore {
  /** The ref's own value, or `undefined`. */
  read(name: string): Promise<RefValue | undefined>;
  /** The object id a ref leads to, following symbolic refs; `undefined` when it leads nowhere. */
  resolve(name: string): Promise<ObjectId | undefined>;
  /** Refs under `prefix` (e.g. `refs/heads/`), sorted by name, symbolic refs resolved. */
  list(prefix: string): Promise<RefEntry[]>;
  /**
   * Points `name` at `next`.
   * @throws {GitStoreError} GIT_REF_MOVED when `expected` does not match, GIT_LOCKED, GIT_INVALID_REF_NAME.
   */
  update(name: string, next: ObjectId, options?: RefUpdateOptions): Promise<void>;
  /** Makes `name` a symbolic ref to `target` (e.g. `HEAD` → `refs/heads/dev`). */
  setSymbolic(name: string, target: string, options?: Pick<RefUpdateOptions, "message" | "committer">): Promise<void>;
  /**
   * Deletes a ref (loose and packed).
   * @throws {GitStoreError} GIT_REF_NOT_FOUND, GIT_REF_MOVED
   */
  delete(name: string, options?: RefDeleteOptions): Promise<void>;
}
