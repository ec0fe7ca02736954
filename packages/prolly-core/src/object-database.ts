import type { GitObject } from "./git-object.js";
import type { NodeId } from "./node.js";
import type { RawObject } from "./node-objects.js";

/**
 * A Git-style object database: raw objects by id. git-object-store implements it over a real
 * repository; {@link MemoryObjectDatabase} keeps objects in memory.
 */
export interface ObjectDatabase {
  /** The object, or `undefined` when it is absent. */
  read(id: NodeId): Promise<RawObject | undefined>;
  /** Stores objects (already hashed); storing an existing object is a no-op. */
  write(objects: readonly GitObject[]): Promise<void>;
}

/** An {@link ObjectDatabase} in memory, for tests and benchmarks. */
export class MemoryObjectDatabase implements ObjectDatabase {
  readonly #objects = new Map<string, RawObject>();

  async read(id: NodeId): Promise<RawObject | undefined> {
    return this.#objects.get(id);
  }

  async write(objects: readonly GitObject[]): Promise<void> {
    for (const o of objects) this.#objects.set(o.id, { type: o.type, content: o.content });
  }

  /** Number of objects held. */
  get size(): number {
    return this.#objects.size;
  }

  /** Total bytes of object content held. */
  get bytes(): number {
    let n = 0;
    for (const o of this.#objects.values()) n += o.content.length;
    return n;
  }

  /** Ids of every object held. */
  ids(): IterableIterator<string> {
    return this.#objects.keys();
  }
}
