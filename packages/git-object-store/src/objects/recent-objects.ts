import type { ObjectId, StoredObject } from "./object-id.js";

/**
 * @internal A byte-bounded LRU of objects read from disk, by id. An object never changes under
 * its id, so an entry is never stale; the cache only spares the second read, inflation and hash
 * check of an object that one operation reads twice (an edit reads the trees on a root-to-leaf
 * path, then diffs the old path against the new one; a commit reads the trees it edits).
 */
export class RecentObjects {
  readonly #entries = new Map<ObjectId, StoredObject>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  get(id: ObjectId): StoredObject | undefined {
    const hit = this.#entries.get(id);
    if (hit !== undefined) {
      this.#entries.delete(id);
      this.#entries.set(id, hit);
    }
    return hit;
  }

  set(id: ObjectId, value: StoredObject): void {
    if (value.content.length > this.maxBytes / 8 || this.#entries.has(id)) return;
    this.#entries.set(id, value);
    this.#bytes += value.content.length;
    for (const [k, v] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= v.content.length;
    }
  }
}
