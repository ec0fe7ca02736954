import { describe, expect, it } from "vitest";
import {
  MAX_KEY_BYTES,
  MAX_VALUE_BYTES,
  ProllyError,
  applyEdits,
  isProllyError,
  assertValidChunking,
  buildTree,
  emptyTree,
  utf8,
} from "../src/index.js";
import { parseNodeId } from "../src/node.js";
import { newStore } from "./helpers.js";

async function code(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(ProllyError);
    expect((e as ProllyError).hint).not.toBe("");
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ code: (e as ProllyError).code });
    return (e as ProllyError).code;
  }
  return undefined;
}

describe("corrupt trees", () => {
  it("a child at the wrong level is reported, not read", async () => {
    const { leafNode, getValue, scanEntries, treeStats, diffTrees } = await import("../src/index.js");
    const { internalNode } = await import("../src/node.js");
    const store = newStore();
    const leaf = await store.put(leafNode([utf8("a")], [utf8("1")]));
    const level1 = await store.put(internalNode(1, [utf8("a")], [leaf]));
    // A level-3 node whose child is at level 1: a skipped level.
    const bad = await store.put(internalNode(3, [utf8("a")], [level1]));
    expect(await code(getValue(store, bad, utf8("a")))).toBe("PROLLY_MALFORMED_NODE");
    expect(
      await code(
        (async () => {
          for await (const _ of scanEntries(store, bad));
        })(),
      ),
    ).toBe("PROLLY_MALFORMED_NODE");
    expect(await code(treeStats(store, bad))).toBe("PROLLY_MALFORMED_NODE");
    expect(
      await code(
        (async () => {
          for await (const _ of diffTrees(store, bad, leaf));
        })(),
      ),
    ).toBe("PROLLY_MALFORMED_NODE");
  });
});

describe("bad input", () => {
  it("gets typed errors with codes and hints", async () => {
    const store = newStore();
    const empty = await emptyTree(store);
    expect(
      await code(
        buildTree(store, [
          [utf8("b"), utf8("1")],
          [utf8("a"), utf8("2")],
        ]),
      ),
    ).toBe("PROLLY_UNSORTED_INPUT");
    expect(
      await code(
        buildTree(store, [
          [utf8("a"), utf8("1")],
          [utf8("a"), utf8("2")],
        ]),
      ),
    ).toBe("PROLLY_UNSORTED_INPUT");
    expect(await code(applyEdits(store, empty, [{ key: new Uint8Array(0), value: utf8("x") }]))).toBe(
      "PROLLY_INVALID_KEY",
    );
    expect(await code(applyEdits(store, empty, [{ key: new Uint8Array(MAX_KEY_BYTES + 1), value: utf8("x") }]))).toBe(
      "PROLLY_INVALID_KEY",
    );
    expect(await code(applyEdits(store, empty, [{ key: utf8("k"), value: new Uint8Array(MAX_VALUE_BYTES + 1) }]))).toBe(
      "PROLLY_INVALID_VALUE",
    );
    expect(await code(store.get("0".repeat(40) as never))).toBe("PROLLY_NODE_NOT_FOUND");
    expect(await code(() => parseNodeId("HEAD"))).toBe("PROLLY_INVALID_NODE_ID");
    expect(await code(() => assertValidChunking({ minBytes: 10, targetBytes: 5, maxBytes: 100 }))).toBe(
      "PROLLY_INVALID_CONFIG",
    );
    // A failed edit leaves the tree as it was.
    expect(await applyEdits(store, empty, [])).toBe(empty);
  });

  it("accepts keys at the limit, in full, through hashed child names", async () => {
    const store = newStore();
    const big = new Uint8Array(MAX_KEY_BYTES).fill(0x41);
    const entries = [
      [utf8("a"), utf8("1")],
      [big, utf8("2")],
      [utf8("b"), utf8("3")],
    ] as const;
    const root = await buildTree(
      store,
      [...entries].sort((x, y) => Buffer.compare(Buffer.from(x[0]), Buffer.from(y[0]))),
    );
    const again = await applyEdits(
      store,
      await emptyTree(store),
      entries.map(([key, value]) => ({ key, value })),
    );
    expect(again).toBe(root);
  });
});

it("isProllyError recognises prolly-core's errors by shape and code", async () => {
  const e = await Promise.resolve()
    .then(() => parseNodeId("nope"))
    .catch((x: unknown) => x);
  expect(isProllyError(e)).toBe(true);
  expect(isProllyError(e, "PROLLY_INVALID_NODE_ID")).toBe(true);
  expect(isProllyError(e, "PROLLY_INVALID_KEY")).toBe(false);
  expect(
    isProllyError({ ...(e as object), name: "ProllyError", code: "PROLLY_INVALID_KEY" }, "PROLLY_INVALID_KEY"),
  ).toBe(true); // another copy of the package
  expect(isProllyError(new Error("x"))).toBe(false);
  expect(isProllyError(null)).toBe(false);
});
