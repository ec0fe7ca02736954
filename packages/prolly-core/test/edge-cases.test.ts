import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEdits,
  buildTree,
  emptyTree,
  fromUtf8,
  getValue,
  mergeTrees,
  proveKey,
  scanEntries,
  treeStats,
  utf8,
  verifyProof,
} from "../src/index.js";
import { SMALL, collect, newStore } from "./helpers.js";

const opts = { config: SMALL };

describe("edge cases", () => {
  it("entries larger than the maximum chunk size stay canonical and readable", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,4}$/), fc.integer({ min: 0, max: 3000 })), {
          selector: (t) => t[0],
          maxLength: 40,
        }),
        async (spec) => {
          const store = newStore();
          const entries = spec.map(([k, n]) => [utf8(k), new Uint8Array(n).fill(k.charCodeAt(0))] as const);
          const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
          const built = await buildTree(store, sorted, opts);
          const edited = await applyEdits(
            store,
            await emptyTree(store),
            entries.map(([key, value]) => ({ key, value })),
            opts,
          );
          expect(edited).toBe(built);
          for (const [k, v] of entries) expect((await getValue(store, built, k))?.length).toBe(v.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("handles 0x00 and 0xff keys in scans, prefix scans and proofs", async () => {
    const store = newStore();
    const keys = [[0x00], [0x00, 0x00], [0x01], [0xff], [0xff, 0x00], [0xff, 0xff], [0xff, 0xff, 0xff]].map((b) =>
      Uint8Array.from(b),
    );
    const root = await buildTree(
      store,
      keys.map((k, i) => [k, utf8(String(i))] as const),
      opts,
    );
    const all = await collect(scanEntries(store, root, { prefix: Uint8Array.of(0xff) }));
    expect(all.map(([k]) => Array.from(k))).toEqual([[0xff], [0xff, 0x00], [0xff, 0xff], [0xff, 0xff, 0xff]]);
    const ffff = await collect(scanEntries(store, root, { prefix: Uint8Array.of(0xff, 0xff), reverse: true }));
    expect(ffff.map(([k]) => Array.from(k))).toEqual([
      [0xff, 0xff, 0xff],
      [0xff, 0xff],
    ]);
    // Below every key and above every key: absent, provably.
    for (const probe of [Uint8Array.of(0x00, 0x00, 0x00), Uint8Array.of(0x02), Uint8Array.of(0xff, 0xff, 0xff, 0x00)]) {
      expect(verifyProof(await proveKey(store, root, probe), root)).toEqual({ valid: true, present: false });
    }
    const empty = await emptyTree(store);
    expect(verifyProof(await proveKey(store, empty, utf8("x")), empty)).toEqual({ valid: true, present: false });
  });

  it("merges convergent changes silently: both delete, both add the same value", async () => {
    const store = newStore();
    const base = await buildTree(
      store,
      [
        [utf8("a"), utf8("1")],
        [utf8("b"), utf8("2")],
      ],
      opts,
    );
    const x = await applyEdits(
      store,
      base,
      [
        { key: utf8("a"), value: null },
        { key: utf8("c"), value: utf8("3") },
      ],
      opts,
    );
    const y = await applyEdits(
      store,
      base,
      [
        { key: utf8("a"), value: null },
        { key: utf8("c"), value: utf8("3") },
        { key: utf8("d"), value: utf8("4") },
      ],
      opts,
    );
    const r = await mergeTrees(store, base, x, y, opts);
    expect(r).toMatchObject({ ok: true, root: y, resolved: [] });
  });

  it("grows and shrinks through many levels and back to the empty tree", async () => {
    const store = newStore();
    const empty = await emptyTree(store);
    const keys = Array.from({ length: 3000 }, (_, i) => utf8(`k${String((i * 7919) % 3000).padStart(5, "0")}`));
    let root = empty;
    for (let i = 0; i < keys.length; i += 500)
      root = await applyEdits(
        store,
        root,
        keys.slice(i, i + 500).map((key) => ({ key, value: key })),
        opts,
      );
    const { depth, entries } = await treeStats(store, root);
    expect(entries).toBe(3000);
    expect(depth).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < keys.length; i += 700)
      root = await applyEdits(
        store,
        root,
        keys.slice(i, i + 700).map((key) => ({ key, value: null })),
        opts,
      );
    expect(root).toBe(empty);
    expect(
      fromUtf8(
        (await getValue(store, await applyEdits(store, empty, [{ key: keys[0]!, value: utf8("v") }], opts), keys[0]!))!,
      ),
    ).toBe("v");
  });
});
