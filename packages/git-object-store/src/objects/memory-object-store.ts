import { type ObjectId, type ObjectInput, type StoredObject, EMPTY_TREE_ID, hashObject } from "./object-id.js";
import type { ObjectStore, WriteObserver } from "./object-store.js";
import { WriteObservers } from "./write-observers.js";

/** An {@link ObjectStore} in memory, with the same contract as the on-disk one. */
export class MemoryObjectStore implements ObjectStore {
  readonly #objects = new Map<ObjectId, StoredObject>();
  readonly #pending = new Map<ObjectId, StoredObject>();
  readonly #observers = new WriteObservers();

  async read(id: ObjectId): Promise<StoredObject | undefined> {
    const o = this.#pending.get(id) ?? this.#objects.get(id);
    if (o !== undefined) return o;
    return id === EMPTY_TREE_ID ? { type: "tree", content: new Uint8Array(0) } : undefined;
  }

  async has(id: ObjectId): Promise<boolean> {
    return this.#pending.has(id) || this.#objects.has(id) || id === EMPTY_TREE_ID;
  }

  async write(objects: readonly ObjectInput[]): Promise<ObjectId[]> {
    const ids = objects.map((o) => {
      const id = o.id ?? hashObject(o.type, o.content);
      if (!this.#pending.has(id)) this.#observers.notify(id, o.type, o.content);
      if (!this.#objects.has(id)) this.#pending.set(id, { type: o.type, content: o.content });
      return id;
    });
    const wait = this.#observers.settle();
    if (wait !== undefined) await wait;
    return ids;
  }

  async flush(): Promise<void> {
    for (const [id, o] of this.#pending) this.#objects.set(id, o);
    this.#pending.clear();
  }

  async discard(): Promise<void> {
    this.#pending.clear();
  }

  async writePack(objects: Iterable<ObjectInput>): Promise<ObjectId[]> {
    const ids = await this.write([...objects]);
    await this.flush();
    return ids;
  }

  async findByPrefix(prefix: string, limit = 2): Promise<ObjectId[]> {
    const out: ObjectId[] = [];
    for (const id of new Set([...this.#objects.keys(), ...this.#pending.keys()]))
      if (id.startsWith(prefix)) out.push(id);
    return out.sort().slice(0, limit);
  }

  observeWrites(observer: WriteObserver): () => void {
    return this.#observers.add(observer);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Number of durable objects (for tests counting writes). */
  get size(): number {
    return this.#objects.size;
  }

  async close(): Promise<void> {
    this.#pending.clear();
  }
}
