/**
 * Stores backed by fs or zlib hand out Node Buffers, whose `slice` is a view. Edits and scans
 * must never write into the bytes they were given.
 */
import { describe, expect, it } from "vitest";
import {
  type GitObject,
  MemoryObjectDatabase,
  ObjectNodeStore,
  applyEdits,
  buildTree,
  fromUtf8,
  getValue,
  scanEntries,
  utf8,
} from "../src/index.js";
import { SMALL, collect, key, nodeSha1, value } from "./helpers.js";

/** An object database that stores and returns Buffers, as fs- and zlib-backed ones do. */
class BufferObjectDatabase extends MemoryObjectDatabase {
  override async write(objects: readonly GitObject[]): Promise<void> {
    await super.write(objects.map((o) => ({ ...o, content: Buffer.from(o.content) })));
  }
}

describe("Buffer-backed stores", () => {
  it("two edits from one cached root do not leak into each other", async () => {
    const store = new ObjectNodeStore(new BufferObjectDatabase(), { hash: nodeSha1 });
    const root = await buildTree(
      store,
      Array.from({ length: 2000 }, (_, i) => [key(i), value(i)] as const),
      { config: SMALL },
    );
    // Read back through a fresh store so every node is decoded from Buffer content.
    const fresh = new ObjectNodeStore(store.objects, { hash: nodeSha1 });
    const a = await applyEdits(fresh, root, [{ key: key(500), value: utf8("A") }], { config: SMALL });
    const b = await applyEdits(fresh, root, [{ key: key(1500), value: utf8("B") }], { config: SMALL });
    expect(fromUtf8((await getValue(fresh, b, key(500)))!)).toBe(fromUtf8(value(500)));
    expect(fromUtf8((await getValue(fresh, a, key(1500)))!)).toBe(fromUtf8(value(1500)));
    const both = await applyEdits(
      fresh,
      root,
      [
        { key: key(500), value: utf8("A") },
        { key: key(1500), value: utf8("B") },
      ],
      { config: SMALL },
    );
    expect(await applyEdits(fresh, a, [{ key: key(1500), value: utf8("B") }], { config: SMALL })).toBe(both);
  });

  it("a Buffer scan prefix is not modified and finds its keys", async () => {
    const store = new ObjectNodeStore(new BufferObjectDatabase(), { hash: nodeSha1 });
    const root = await buildTree(
      store,
      Array.from({ length: 300 }, (_, i) => [key(i), value(i)] as const),
      { config: SMALL },
    );
    const prefix = Buffer.from("key:0001");
    const found = await collect(scanEntries(store, root, { prefix }));
    expect(found).toHaveLength(100);
    expect(prefix.toString()).toBe("key:0001");
  });
});
