import type { StoredObject } from "./object-id.js";

/**
 * @internal A byte-bounded LRU of objects read from disk, by key. An object never changes under
 * its id, so an entry is never stale; a cache only spares a second read and inflation. Two serve a
 * repository: the objects read lately, by id (an edit reads the trees on a root-to-leaf path, then
 * diffs the old path against the new one; a commit reads the trees it edits), and the inflated
 * delta bases of its packs. An object bigger than `maxBytes / largestShare` is not kept.
 */
export class ObjectLru {
  readonly #entries = new Map<string, StoredObject>();
  #bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly largestShare: number,
  ) {}

  get(key: string): StoredObject | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: StoredObject): void {
    if (value.content.length > this.maxBytes / this.largestShare || this.#entries.has(key)) return;
    this.#entries.set(key, value);
    this.#bytes += value.content.length;
    for (const [k, v] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= v.content.length;
    }
  }
}
