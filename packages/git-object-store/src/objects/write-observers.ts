/** The observers of an object store's writes ({@link ObjectStore.observeWrites}). */
import type { ObjectId, ObjectType } from "./object-id.js";
import type { WriteObserver } from "./object-store.js";

/** A set of {@link WriteObserver}s, told of each object before a store queues it. */
export class WriteObservers {
  readonly #observers = new Set<WriteObserver>();
  #waits: Promise<void>[] = [];

  /** Adds an observer; returns the function that removes it. */
  add(observer: WriteObserver): () => void {
    const own: WriteObserver = (...args) => observer(...args);
    this.#observers.add(own);
    return () => this.#observers.delete(own);
  }

  /** Tells every observer of one object, keeping what they ask the writer to wait for. */
  notify(id: ObjectId, type: ObjectType, content: Uint8Array): void {
    for (const observe of this.#observers) {
      const wait = observe(id, type, content);
      if (wait !== undefined) this.#waits.push(wait);
    }
  }

  /**
   * What the observers asked the writer to wait for (a writer thread catching up), then forgets
   * it; `undefined` when nothing, so the common write path takes no extra await.
   */
  settle(): Promise<unknown> | undefined {
    if (this.#waits.length === 0) return undefined;
    const waits = this.#waits;
    this.#waits = [];
    return Promise.all(waits);
  }

  /** True when anyone observes (so callers can skip computing ids just for them). */
  get active(): boolean {
    return this.#observers.size > 0;
  }
}
