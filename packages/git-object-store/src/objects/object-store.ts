import type { NodeId, ObjectDatabase } from "@git-prolly/prolly-core";
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";
import type { ObjectId, ObjectInput, ObjectType, StoredObject } from "./object-id.js";

/**
 * Called with each object a store receives for writing (once per id while it is queued). A
 * returned promise makes that `write` call wait for it (backpressure from a slower consumer).
 */
export type WriteObserver = (id: ObjectId, type: ObjectType, content: Uint8Array) => Promise<void> | undefined;

/**
 * Where a repository's objects live. Writes are buffered: objects are readable as soon as
 * `write` returns and become durable on `flush`, as loose objects or, for big batches, a pack.
 */
export interface ObjectStore {
  /** The object, or `undefined` when absent. */
  read(id: ObjectId): Promise<StoredObject | undefined>;
  /** True when the object exists. */
  has(id: ObjectId): Promise<boolean>;
  /** Queues objects (ids computed when absent) and returns their ids. */
  write(objects: readonly ObjectInput[]): Promise<ObjectId[]>;
  /** Makes every queued object durable. */
  flush(): Promise<void>;
  /** Drops queued objects that were not flushed. */
  discard(): Promise<void>;
  /** Writes many objects at once as one pack (bulk imports). */
  writePack(objects: Iterable<ObjectInput>): Promise<ObjectId[]>;
  /** Ids starting with a hex prefix, sorted, at most `limit`. */
  findByPrefix(prefix: string, limit?: number): Promise<ObjectId[]>;
  /**
   * Calls `observer` with every object written from now on, before it is queued; returns the
   * function that stops it. Observers run inside `write`, which waits for the promises they return.
   */
  observeWrites(observer: WriteObserver): () => void;
  /** Number of queued objects. */
  readonly pendingCount: number;
  /** Releases open files. */
  close(): Promise<void>;
}

/**
 * prolly-core's {@link ObjectDatabase} view of an {@link ObjectStore}: nodes are blobs and trees.
 *
 * @example
 * ```ts
 * const nodes = new ObjectNodeStore(nodeDatabase(repo.objects), { hash: nodeSha1 });
 * ```
 */
export function nodeDatabase(store: ObjectStore): ObjectDatabase {
  return {
    async read(id: NodeId) {
      const o = await store.read(id);
      if (o === undefined) return undefined;
      if (o.type !== "blob" && o.type !== "tree") {
        throw new GitStoreError(GIT_ERROR_CODES.WRONG_OBJECT_TYPE, `object ${id} is a ${o.type}, not a prolly node`, {
          hint: "The dataset points at an object that is not a node; the dataset files are damaged.",
          data: { id, type: o.type },
        });
      }
      // A plain Uint8Array view, not a Buffer: prolly-core copies node bytes with `.slice()`,
      // which on a Buffer returns a view and let an edit overwrite the cached bytes of the node
      // it started from (see the README, "prolly-core and Node Buffers").
      const c = o.content;
      return { type: o.type, content: Buffer.isBuffer(c) ? new Uint8Array(c.buffer, c.byteOffset, c.byteLength) : c };
    },
    async write(objects) {
      await store.write(objects);
    },
  };
}
