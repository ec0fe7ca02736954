/**
 * Properties of the tree, checked against a plain Map as the model: history independence,
 * diff/apply, merge laws, scans and proofs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Edit,
  type KeyProof,
  applyEdits,
  buildTree,
  compareBytes,
  decodeProof,
  diffTrees,
  emptyTree,
  encodeProof,
  fromUtf8,
  getValue,
  mergeTrees,
  proveKey,
  scanEntries,
  utf8,
  verifyProof,
} from "../src/index.js";
import { SMALL, collect, newStore, sortedEntries } from "./helpers.js";

const opts = { config: SMALL };
// Short keys from a small alphabet collide often; a few long ones exercise hashed child names.
const keyArb = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[a-f]{1,6}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-c]{41,60}$/) },
);
const valueArb = fc.string({ maxLength: 40 });
const editArb = fc.record({ key: keyArb, value: fc.option(valueArb, { nil: null, freq: 4 }) });
const batchesArb = fc.array(fc.array(editArb, { maxLength: 30 }), { minLength: 1, maxLength: 8 });
const toEdit = (e: { key: string; value: string | null }): Edit => ({
  key: utf8(e.key),
  value: e.value === null ? null : utf8(e.value),
});

function applyModel(model: Map<string, Uint8Array>, batch: { key: string; value: string | null }[]): void {
  for (const e of batch) {
    if (e.value === null) model.delete(e.key);
    else model.set(e.key, utf8(e.value));
  }
}

async function treeOf(store: ReturnType<typeof newStore>, model: Map<string, Uint8Array>) {
  return buildTree(store, sortedEntries(model), opts);
}

describe("history independence", () => {
  it("any batches of inserts and deletes reach the root that a fresh build of the result has", async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb, async (batches) => {
        const store = newStore();
        const model = new Map<string, Uint8Array>();
        let root = await emptyTree(store);
        for (const batch of batches) {
          root = await applyEdits(store, root, batch.map(toEdit), opts);
          applyModel(model, batch);
        }
        expect(root).toBe(await treeOf(store, model));
      }),
      { numRuns: 150 },
    );
  });

  it("one-at-a-time edits in two different orders give the same root", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(keyArb, { minLength: 1, maxLength: 120 }), fc.integer(), async (keys, seed) => {
        const store = newStore();
        const shuffled = [...keys].sort((a, b) => ((hash(a) ^ seed) >>> 0) - ((hash(b) ^ seed) >>> 0));
        let a = await emptyTree(store);
        for (const k of keys) a = await applyEdits(store, a, [{ key: utf8(k), value: utf8(k + "!") }], opts);
        let b = await emptyTree(store);
        for (const k of shuffled) b = await applyEdits(store, b, [{ key: utf8(k), value: utf8(k + "!") }], opts);
        // Insert extra keys and delete them again: no trace may remain.
        for (const k of shuffled.slice(0, 10))
          b = await applyEdits(store, b, [{ key: utf8(k + "zz"), value: utf8("tmp") }], opts);
        for (const k of shuffled.slice(0, 10))
          b = await applyEdits(store, b, [{ key: utf8(k + "zz"), value: null }], opts);
        expect(b).toBe(a);
      }),
      { numRuns: 60 },
    );
  });
});

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

const mapArb = fc
  .dictionary(keyArb, valueArb, { maxKeys: 150 })
  .map((d) => new Map(Object.entries(d).map(([k, v]) => [k, utf8(v)])));

describe("diff", () => {
  it("apply(a, diff(a, b)) equals b, and the diff is sorted and exact", async () => {
    await fc.assert(
      fc.asyncProperty(mapArb, mapArb, async (ma, mb) => {
        const store = newStore();
        const a = await treeOf(store, ma);
        const b = await treeOf(store, mb);
        const diff = await collect(diffTrees(store, a, b));
        for (let i = 1; i < diff.length; i++) expect(compareBytes(diff[i - 1]!.key, diff[i]!.key)).toBeLessThan(0);
        const edits: Edit[] = diff.map((d) => ({
          key: d.key,
          value: d.kind === "removed" ? null : d.kind === "added" ? d.value : d.newValue,
        }));
        expect(await applyEdits(store, a, edits, opts)).toBe(b);
        const expectedKeys = new Set(
          [...ma.keys(), ...mb.keys()].filter(
            (k) => fromUtf8(ma.get(k) ?? utf8("\u0000none")) !== fromUtf8(mb.get(k) ?? utf8("\u0000none")),
          ),
        );
        expect(new Set(diff.map((d) => fromUtf8(d.key)))).toEqual(expectedKeys);
      }),
      { numRuns: 150 },
    );
  });
});

describe("merge", () => {
  it("merge(base, x, base) and merge(base, base, x) equal x", async () => {
    await fc.assert(
      fc.asyncProperty(mapArb, fc.array(editArb, { maxLength: 40 }), async (mbase, batch) => {
        const store = newStore();
        const base = await treeOf(store, mbase);
        const x = await applyEdits(store, base, batch.map(toEdit), opts);
        expect(await mergeTrees(store, base, x, base, opts)).toMatchObject({ ok: true, root: x });
        expect(await mergeTrees(store, base, base, x, opts)).toMatchObject({ ok: true, root: x });
      }),
      { numRuns: 100 },
    );
  });

  it("non-conflicting merges are symmetric and contain both sides' changes", async () => {
    await fc.assert(
      fc.asyncProperty(
        mapArb,
        fc.array(editArb, { maxLength: 30 }),
        fc.array(editArb, { maxLength: 30 }),
        async (mbase, e1, e2) => {
          // Keep the sides disjoint so no key conflicts.
          const left = e1.filter((e) => e.key.charCodeAt(0) % 2 === 0);
          const right = e2.filter((e) => e.key.charCodeAt(0) % 2 === 1);
          const store = newStore();
          const base = await treeOf(store, mbase);
          const x = await applyEdits(store, base, left.map(toEdit), opts);
          const y = await applyEdits(store, base, right.map(toEdit), opts);
          const xy = await mergeTrees(store, base, x, y, opts);
          const yx = await mergeTrees(store, base, y, x, opts);
          const model = new Map(mbase);
          applyModel(model, left);
          applyModel(model, right);
          const expected = await treeOf(store, model);
          expect(xy).toMatchObject({ ok: true, root: expected });
          expect(yx).toMatchObject({ ok: true, root: expected });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("scans", () => {
  it("return every entry in range, sorted, forwards and backwards", async () => {
    await fc.assert(
      fc.asyncProperty(
        mapArb,
        fc.option(keyArb, { nil: undefined }),
        fc.option(keyArb, { nil: undefined }),
        fc.option(fc.stringMatching(/^[a-f]{0,2}$/), { nil: undefined }),
        async (model, start, end, prefix) => {
          const store = newStore();
          const root = await treeOf(store, model);
          const bounds = {
            ...(start === undefined ? {} : { start: utf8(start) }),
            ...(end === undefined ? {} : { end: utf8(end) }),
            ...(prefix === undefined ? {} : { prefix: utf8(prefix) }),
          };
          const expected = sortedEntries(model)
            .filter(
              ([k]) =>
                (bounds.start === undefined || compareBytes(k, bounds.start) >= 0) &&
                (bounds.end === undefined || compareBytes(k, bounds.end) < 0),
            )
            .filter(([k]) => prefix === undefined || fromUtf8(k).startsWith(prefix))
            .map(([k, v]) => [fromUtf8(k), fromUtf8(v)]);
          const forward = (await collect(scanEntries(store, root, bounds))).map(([k, v]) => [fromUtf8(k), fromUtf8(v)]);
          const backward = (await collect(scanEntries(store, root, { ...bounds, reverse: true }))).map(([k, v]) => [
            fromUtf8(k),
            fromUtf8(v),
          ]);
          expect(forward).toEqual(expected);
          expect(backward).toEqual([...expected].reverse());
        },
      ),
      { numRuns: 150 },
    );
  });

  it("get finds exactly the model's values", async () => {
    await fc.assert(
      fc.asyncProperty(mapArb, fc.array(keyArb, { maxLength: 20 }), async (model, probes) => {
        const store = newStore();
        const root = await treeOf(store, model);
        for (const k of [...model.keys(), ...probes]) {
          const v = await getValue(store, root, utf8(k));
          expect(v === undefined ? undefined : fromUtf8(v)).toBe(model.has(k) ? fromUtf8(model.get(k)!) : undefined);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("proofs", () => {
  it("verify with only the proof and the root, for present and absent keys; tampering fails", async () => {
    await fc.assert(
      fc.asyncProperty(
        mapArb,
        keyArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (model, probe, where, flip) => {
          const store = newStore();
          const root = await treeOf(store, model);
          const proof = decodeProof(encodeProof(await proveKey(store, root, utf8(probe))));
          const verdict = verifyProof(proof, root);
          if (model.has(probe)) expect(verdict).toEqual({ valid: true, present: true, value: model.get(probe) });
          else expect(verdict).toEqual({ valid: true, present: false });
          // Flip one byte anywhere in the proof's objects: the proof must no longer verify.
          const steps = proof.path.flatMap((s) => (s.kind === "leaf" ? [s.blob] : [s.tree, s.index]));
          const target = steps[where % steps.length]!;
          if (target.length === 0) return;
          const copy = target.slice();
          copy[where % copy.length] = copy[where % copy.length]! ^ flip;
          const tampered: KeyProof = {
            key: proof.key,
            path: proof.path.map((s) =>
              s.kind === "leaf"
                ? s.blob === target
                  ? { kind: "leaf", blob: copy }
                  : s
                : {
                    kind: "internal",
                    tree: s.tree === target ? copy : s.tree,
                    index: s.index === target ? copy : s.index,
                  },
            ),
          };
          expect(verifyProof(tampered, root).valid).toBe(false);
          // A proof of another key's value does not verify for this key's claim.
          expect(verifyProof({ ...proof, path: proof.path.slice(0, -1) }, root).valid).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});
