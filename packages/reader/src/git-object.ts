/** Git objects as the reader needs them: inflation, the id check, and the fields it reads. */
import type * as NodeZlib from "node:zlib";
import { equalBytes, sha1, toHex } from "@git-prolly/prolly-core";
import { fail } from "./errors.js";
import { decoder, encoder } from "./read-file.js";

/** A Git object type. */
export type ObjectType = "commit" | "tree" | "blob" | "tag";

/** A Git object's type and content. */
export interface GitObject { readonly type: ObjectType; readonly content: Uint8Array }

let zlib: typeof NodeZlib | undefined;

/**
 * Inflates a zlib stream (trailing bytes ignored) that must give `size` bytes (-1: any size).
 * node:zlib is loaded on first use, so reading checked-out files never loads it.
 */
export function inflate(bytes: Uint8Array, size: number, where: string): Uint8Array {
  zlib ??= process.getBuiltinModule("node:zlib");
  let out: Uint8Array;
  try {
    const b = zlib.inflateSync(bytes, { maxOutputLength: size < 0 ? 2 ** 31 - 1 : size + 1 });
    out = new Uint8Array(b.buffer, b.byteOffset, b.length); // not a Buffer: see readFile
  } catch (e) {
    throw fail("READER_OBJECT_CORRUPT", `cannot inflate an object in ${where}`, { path: where }, e);
  }
  if (size >= 0 && out.length !== size) throw fail("READER_OBJECT_CORRUPT", `wrong object size in ${where}`, { path: where });
  return out;
}

/** Parses a loose object (`"<type> <size>\0" + content`, inflated). */
export function parseLoose(raw: Uint8Array, where: string): GitObject {
  const nul = raw.indexOf(0);
  const m = /^(commit|tree|blob|tag) (\d+)$/.exec(String.fromCharCode(...raw.subarray(0, nul < 0 || nul > 32 ? 0 : nul)));
  if (m === null || Number(m[2]) !== raw.length - nul - 1) throw fail("READER_OBJECT_CORRUPT", `${where} is not a loose Git object`, { path: where });
  return { type: m[1] as ObjectType, content: raw.subarray(nul + 1) };
}

/** Checks that `obj` hashes to `id`. @throws {ReaderError} READER_OBJECT_CORRUPT */
export function checkId(obj: GitObject, id: string): GitObject {
  const header = encoder.encode(`${obj.type} ${obj.content.length}\0`);
  if (toHex(sha1([header, obj.content])) !== id) throw fail("READER_OBJECT_CORRUPT", `object ${id} does not match its id`, { id });
  return obj;
}

/** The entry `name` of a tree object: its mode and id. */
export function treeEntry(tree: Uint8Array, name: string): { mode: string; id: string } | undefined {
  const want = encoder.encode(name);
  for (let o = 0; o < tree.length; ) {
    const sp = tree.indexOf(0x20, o);
    const nul = tree.indexOf(0, sp);
    if (sp < 0 || nul < 0 || nul + 21 > tree.length) return undefined;
    if (equalBytes(tree.subarray(sp + 1, nul), want)) {
      return { mode: String.fromCharCode(...tree.subarray(o, sp)), id: toHex(tree.subarray(nul + 1, nul + 21)) };
    }
    o = nul + 21;
  }
  return undefined;
}

/** The values of header lines `field` of a commit or tag (`tree`, `parent`, `object`). */
export function headerFields(content: Uint8Array, field: string): string[] {
  const text = decoder.decode(content).split("\n\n")[0]!; // the header ends at the first blank line
  return Array.from(text.matchAll(new RegExp(`^${field} ([0-9a-f]{40})$`, "gm")), (m) => m[1]!);
}
