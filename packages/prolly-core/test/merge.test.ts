import { describe, expect, it } from "vitest";
import { type MergeConflict, applyEdits, buildTree, fromUtf8, getValue, mergeTrees, utf8 } from "../src/index.js";
import { SMALL, newStore } from "./helpers.js";

const opts = { config: SMALL };
const e = (k: string, v: string | null) => ({ key: utf8(k), value: v === null ? null : utf8(v) });

async function scenario() {
  const store = newStore();
  const base = await buildTree(
    store,
    ["a", "b", "c", "d", "e"].map((k) => [utf8(k), utf8(k + "0")] as const),
    opts,
  );
  const ours = await applyEdits(
    store,
    base,
    [e("a", "ours"), e("b", null), e("c", "same"), e("x", "ours-x"), e("o", "only-ours")],
    opts,
  );
  const theirs = await applyEdits(
    store,
    base,
    [e("a", "theirs"), e("b", "theirs-b"), e("c", "same"), e("x", "theirs-x"), e("d", null), e("t", "only-theirs")],
    opts,
  );
  return { store, base, ours, theirs };
}

describe("three-way merge", () => {
  it("reports modify/modify, add/add and delete/modify conflicts with base, ours and theirs, and writes nothing", async () => {
    const { store, base, ours, theirs } = await scenario();
    const writes = store.stats.writes;
    const r = await mergeTrees(store, base, ours, theirs, opts);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const show = (c: MergeConflict) => [
      c.kind,
      fromUtf8(c.key),
      c.base && fromUtf8(c.base),
      c.ours && fromUtf8(c.ours),
      c.theirs && fromUtf8(c.theirs),
    ];
    expect(r.conflicts.map(show)).toEqual([
      ["modify/modify", "a", "a0", "ours", "theirs"],
      ["delete/modify", "b", "b0", null, "theirs-b"],
      ["add/add", "x", null, "ours-x", "theirs-x"],
    ]);
    expect(store.stats.writes).toBe(writes);
  });

  it("resolves with ours, theirs or a function, and takes one-sided changes either way", async () => {
    const { store, base, ours, theirs } = await scenario();
    const get = async (root: string, k: string) => {
      const v = await getValue(store, root as never, utf8(k));
      return v === undefined ? undefined : fromUtf8(v);
    };
    const o = await mergeTrees(store, base, ours, theirs, { ...opts, resolve: "ours" });
    const t = await mergeTrees(store, base, ours, theirs, { ...opts, resolve: "theirs" });
    if (!o.ok || !t.ok) throw new Error("expected resolution");
    expect([await get(o.root, "a"), await get(o.root, "b"), await get(o.root, "x")]).toEqual([
      "ours",
      undefined,
      "ours-x",
    ]);
    expect([await get(t.root, "a"), await get(t.root, "b"), await get(t.root, "x")]).toEqual([
      "theirs",
      "theirs-b",
      "theirs-x",
    ]);
    for (const r of [o.root, t.root]) {
      expect(await get(r, "c")).toBe("same");
      expect(await get(r, "d")).toBeUndefined();
      expect(await get(r, "o")).toBe("only-ours");
      expect(await get(r, "t")).toBe("only-theirs");
    }
    expect(o.resolved).toHaveLength(3);
    const f = await mergeTrees(store, base, ours, theirs, {
      ...opts,
      resolve: (c) => (c.kind === "delete/modify" ? null : utf8("custom")),
    });
    if (!f.ok) throw new Error("expected resolution");
    expect([await get(f.root, "a"), await get(f.root, "b"), await get(f.root, "x")]).toEqual([
      "custom",
      undefined,
      "custom",
    ]);
    const partial = await mergeTrees(store, base, ours, theirs, {
      ...opts,
      resolve: (c) => (fromUtf8(c.key) === "a" ? utf8("A") : undefined),
    });
    expect(partial.ok).toBe(false);
    if (!partial.ok) expect(partial.conflicts.map((c) => fromUtf8(c.key))).toEqual(["b", "x"]);
  });
});
