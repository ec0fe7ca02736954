/**
 * Golden vectors: fixed entry sets and the exact Git objects (ids and bytes) they become. A
 * format change cannot pass silently. To rewrite the vectors after a deliberate format change
 * (with NODE_FORMAT_VERSION bumped): `UPDATE_GOLDEN=1 pnpm vitest run test/golden.test.ts`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  MemoryObjectDatabase,
  NODE_FORMAT_VERSION,
  ObjectNodeStore,
  buildTree,
  getValue,
  toHex,
} from "../src/index.js";
import { GOLDEN_INPUTS } from "./golden/vectors.js";
import { nodeSha1 } from "./helpers.js";

interface Golden {
  formatVersion: number;
  vectors: Record<string, { root: string; objects: Record<string, { type: string; hex: string }> }>;
}

const file = fileURLToPath(new URL("./golden/golden.json", import.meta.url));

async function compute(): Promise<Golden> {
  const out: Golden = { formatVersion: NODE_FORMAT_VERSION, vectors: {} };
  for (const input of GOLDEN_INPUTS) {
    const db = new MemoryObjectDatabase();
    const root = await buildTree(new ObjectNodeStore(db), input.entries(), { config: input.config });
    const objects: Golden["vectors"][string]["objects"] = {};
    for (const id of [...db.ids()].sort()) {
      const o = (await db.read(id as never))!;
      objects[id] = { type: o.type, hex: toHex(o.content) };
    }
    out.vectors[input.name] = { root, objects };
  }
  return out;
}

describe("golden vectors", async () => {
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(file, JSON.stringify(await compute(), null, 1) + "\n");
  const golden = JSON.parse(readFileSync(file, "utf8")) as Golden;

  it("were recorded for this format version", () => {
    expect(golden.formatVersion).toBe(NODE_FORMAT_VERSION);
    expect(Object.keys(golden.vectors)).toEqual(GOLDEN_INPUTS.map((i) => i.name));
  });

  for (const input of GOLDEN_INPUTS) {
    it(`${input.name}: same root id and the same bytes for every node`, async () => {
      const expected = golden.vectors[input.name]!;
      // Both SHA-1 implementations must give the recorded ids.
      for (const hash of [undefined, nodeSha1]) {
        const db = new MemoryObjectDatabase();
        const store = new ObjectNodeStore(db, hash === undefined ? {} : { hash });
        const root = await buildTree(store, input.entries(), { config: input.config });
        expect(root).toBe(expected.root);
        const actual: Record<string, { type: string; hex: string }> = {};
        for (const id of db.ids()) {
          const o = (await db.read(id as never))!;
          actual[id] = { type: o.type, hex: toHex(o.content) };
        }
        expect(actual).toEqual(expected.objects);
      }
    });
  }

  it("decode back to their entries from the recorded bytes alone", async () => {
    const expected = golden.vectors["seq-2000-default"]!;
    const db = new MemoryObjectDatabase();
    const { fromHex } = await import("../src/index.js");
    const { makeGitObject } = await import("../src/git-object.js");
    await db.write(
      Object.values(expected.objects).map((o) => makeGitObject(o.type as "blob" | "tree", fromHex(o.hex)!, nodeSha1)),
    );
    const store = new ObjectNodeStore(db);
    const v = await getValue(store, expected.root as never, new TextEncoder().encode("key:000001234"));
    expect(new TextDecoder().decode(v)).toBe(`value-1234-${"x".repeat(40)}`);
  });
});
