import { type ObjectId } from "../objects/object-id.js";
import { assertNoNameConflict } from "./ref-conflict.js";
import { refMoved, refNotFound } from "./ref-errors.js";
import { assertValidRefName } from "./ref-name.js";
import type { RefDeleteOptions, RefEntry, RefStore, RefUpdateOptions, RefValue } from "./ref-store.js";

/** A {@link RefStore} in memory with the same compare-and-swap contract as the on-disk one. */
export class MemoryRefStore implements RefStore {
  readonly #refs = new Map<string, RefValue>([["HEAD", { kind: "symbolic", target: "refs/heads/main" }]]);

  async read(name: string): Promise<RefValue | undefined> {
    return this.#refs.get(name);
  }

  async resolve(name: string): Promise<ObjectId | undefined> {
    return this.#resolveNow(name);
  }

  #resolveNow(name: string): ObjectId | undefined {
    let current = name;
    for (let depth = 0; depth <= 5; depth++) {
      const v = this.#refs.get(current);
      if (v === undefined) return undefined;
      if (v.kind === "direct") return v.id;
      current = v.target;
    }
    return undefined;
  }

  async list(prefix: string): Promise<RefEntry[]> {
    const out: RefEntry[] = [];
    for (const name of this.#refs.keys()) {
      if (!name.startsWith(prefix) || !name.startsWith("refs/")) continue;
      const id = await this.resolve(name);
      if (id !== undefined) out.push({ name, id });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async update(name: string, next: ObjectId, options: RefUpdateOptions = {}): Promise<void> {
    assertValidRefName(name);
    if (!this.#refs.has(name)) await assertNoNameConflict(this, name);
    // No await from here on: the compare and the swap happen in one turn of the event loop.
    const current = this.#refs.get(name);
    const old = current === undefined ? undefined : this.#resolveNow(name);
    if (
      options.expected !== undefined &&
      (options.expected === null ? current !== undefined : old !== options.expected)
    ) {
      throw refMoved(name, options.expected, old);
    }
    this.#refs.set(name, { kind: "direct", id: next });
  }

  async setSymbolic(name: string, target: string): Promise<void> {
    assertValidRefName(name);
    assertValidRefName(target);
    this.#refs.set(name, { kind: "symbolic", target });
  }

  async delete(name: string, options: RefDeleteOptions = {}): Promise<void> {
    assertValidRefName(name);
    const current = this.#resolveNow(name);
    if (current === undefined) throw refNotFound(name);
    if (options.expected !== undefined && current !== options.expected) throw refMoved(name, options.expected, current);
    this.#refs.delete(name);
  }
}
