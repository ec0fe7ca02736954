/**
 * Fuzzing the decoders: random bytes and mutations of valid nodes either decode or throw a
 * ProllyError — never another error, never a hang.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ProllyError,
  buildTree,
  decodeIndex,
  decodeLeaf,
  decodeProof,
  decodeTree,
  encodeIndex,
  encodeProof,
  proveKey,
  utf8,
} from "../src/index.js";
import { encodeLeaf } from "../src/node-codec.js";
import { readNodeObjects } from "../src/node-objects.js";
import { SMALL, key, newStore, value } from "./helpers.js";
import type { MemoryObjectDatabase } from "../src/index.js";

function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ProllyError)) throw e;
  }
}

const leafSeed = encodeLeaf(
  [utf8("alpha"), utf8("beta"), utf8("gamma")],
  [utf8("1"), new Uint8Array(130).fill(9), utf8("")],
);
const indexSeed = encodeIndex(2, [utf8("alpha"), utf8("beta"), utf8("gamma")]);

/** Mutations of a valid encoding: flipped, inserted, deleted and truncated bytes. */
function mutated(seed: Uint8Array) {
  return fc
    .array(
      fc.tuple(fc.constantFrom("flip", "insert", "delete", "truncate"), fc.nat(), fc.integer({ min: 0, max: 255 })),
      { minLength: 1, maxLength: 4 },
    )
    .map((ops) => {
      let bytes = Array.from(seed);
      for (const [op, at, b] of ops) {
        const i = bytes.length === 0 ? 0 : at % bytes.length;
        if (op === "flip") bytes[i] = (bytes[i] ?? 0) ^ (b | 1);
        else if (op === "insert") bytes.splice(i, 0, b);
        else if (op === "delete") bytes.splice(i, 1);
        else bytes = bytes.slice(0, i);
      }
      return Uint8Array.from(bytes);
    });
}

describe("decoder fuzz", () => {
  it("random bytes: leaf, index, tree and proof decoders throw only ProllyError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyTypedErrors(() => decodeLeaf(bytes));
        onlyTypedErrors(() => decodeIndex(bytes));
        onlyTypedErrors(() => decodeTree(bytes));
        onlyTypedErrors(() => decodeProof(bytes));
        // With a valid header the body is parsed too.
        onlyTypedErrors(() => decodeLeaf(Uint8Array.from([0x50, 0x4c, 1, 0, ...bytes])));
        onlyTypedErrors(() => decodeIndex(Uint8Array.from([0x50, 0x4c, 1, 1, ...bytes])));
      }),
      { numRuns: 5000 },
    );
  });

  it("mutated valid nodes: decode to something valid or throw ProllyError", () => {
    fc.assert(
      fc.property(mutated(leafSeed), (bytes) => onlyTypedErrors(() => decodeLeaf(bytes))),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(mutated(indexSeed), (bytes) => onlyTypedErrors(() => decodeIndex(bytes))),
      { numRuns: 5000 },
    );
  });

  it("mutated objects in a store: reads throw ProllyError, never garbage", async () => {
    const store = newStore();
    const root = await buildTree(
      store,
      Array.from({ length: 200 }, (_, i) => [key(i), value(i)] as const),
      { config: SMALL },
    );
    const objects = store.objects as MemoryObjectDatabase;
    const ids = [...objects.ids()];
    const proofBytes = encodeProof(await proveKey(store, root, key(17)));
    await fc.assert(
      fc.asyncProperty(fc.nat(ids.length - 1), mutated(Uint8Array.of(1, 2, 3)), fc.nat(), async (which, _m, at) => {
        const id = ids[which]!;
        const original = (await objects.read(id as never))!;
        const content = original.content.slice();
        const pos = at % Math.max(1, content.length);
        content[pos] = (content[pos] ?? 0) ^ 0x5a;
        const read = async (x: string) => (x === id ? { type: original.type, content } : objects.read(x as never));
        try {
          await readNodeObjects(id as never, read);
        } catch (e) {
          expect(e).toBeInstanceOf(ProllyError);
        }
        const p = proofBytes.slice();
        p[at % p.length] = p[at % p.length]! ^ 0x20;
        onlyTypedErrors(() => decodeProof(p));
      }),
      { numRuns: 1000 },
    );
  });
});
