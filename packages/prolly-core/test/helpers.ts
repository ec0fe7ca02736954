import { createHash } from "node:crypto";
import {
  type ChunkingConfig,
  type Entry,
  type HashFunction,
  compareBytes,
  createMemoryNodeStore,
  utf8,
} from "../src/index.js";

/** node:crypto SHA-1, to cross-check prolly-core's own. */
export const nodeSha1: HashFunction = (parts) => {
  const h = createHash("sha1");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** Small chunks, so that a few hundred entries make a tree several levels deep. */
export const SMALL: ChunkingConfig = { minBytes: 32, targetBytes: 128, maxBytes: 512 };

export function newStore() {
  return createMemoryNodeStore({ hash: nodeSha1 });
}

export function key(i: number): Uint8Array {
  return utf8(`key:${String(i).padStart(6, "0")}`);
}

export function value(i: number, tag = ""): Uint8Array {
  return utf8(`value-${i}${tag}`);
}

/** Entries of a key→value map in key order. */
export function sortedEntries(map: Map<string, Uint8Array>): Entry[] {
  return [...map.entries()].map(([k, v]) => [utf8(k), v] as Entry).sort((a, b) => compareBytes(a[0], b[0]));
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
