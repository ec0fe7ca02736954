import type { Commit } from "../objects/commit-object.js";

/**
 * A max-heap of commits by committer time (ties broken by insertion order), the order Git's
 * history walks use.
 * @internal
 */
export class CommitQueue {
  readonly #heap: { commit: Commit; seq: number }[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** The queued commits, in no particular order. */
  *commits(): Generator<Commit> {
    for (const e of this.#heap) yield e.commit;
  }

  push(commit: Commit): void {
    const h = this.#heap;
    h.push({ commit, seq: this.#seq++ });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  pop(): Commit | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < h.length && this.#before(l, best)) best = l;
        if (r < h.length && this.#before(r, best)) best = r;
        if (best === i) break;
        [h[i], h[best]] = [h[best]!, h[i]!];
        i = best;
      }
    }
    return top.commit;
  }

  #before(a: number, b: number): boolean {
    const x = this.#heap[a]!;
    const y = this.#heap[b]!;
    const dx = x.commit.committer.timestamp;
    const dy = y.commit.committer.timestamp;
    return dx !== dy ? dx > dy : x.seq < y.seq;
  }
}
