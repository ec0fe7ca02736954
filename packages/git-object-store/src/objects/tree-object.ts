/**
 * Reading Git tree objects with every mode Git writes (repository trees around a dataset hold
 * executables, symlinks and submodules, and names that are not UTF-8). The types and the encoder
 * are prolly-core's, which owns the byte layout of trees; its own decoder reads only what a
 * prolly node holds.
 */
import { type TreeEntry, type TreeEntryMode, compareTreeEntries, encodeTree } from "@git-prolly/prolly-core";
import { objectCorrupt } from "../errors.js";
import { type ObjectId, objectIdAt } from "./object-id.js";

export type { TreeEntry, TreeEntryMode };

/** Mode of a regular file entry. */
export const FILE_MODE: TreeEntryMode = "100644";
/** Mode of a directory entry. */
export const DIR_MODE: TreeEntryMode = "40000";

const MODES = new Map<string, TreeEntryMode>([
  ["100644", "100644"],
  ["100755", "100755"],
  ["120000", "120000"],
  ["160000", "160000"],
  ["40000", "40000"],
  // Old Git versions wrote these; read them as their modern equivalents.
  ["100664", "100644"],
  ["040000", "40000"],
]);

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** True when an entry is a directory (a subtree). */
export function isTreeMode(mode: TreeEntryMode): boolean {
  return mode === "40000";
}

/**
 * Git's tree order (prolly-core's `compareTreeEntries`).
 * @deprecated Use `compareTreeEntries` from `@git-prolly/prolly-core`.
 */
export const compareTreeEntryNames: (a: TreeEntry, b: TreeEntry) => number = compareTreeEntries;

/**
 * Encodes a tree object, putting the entries into Git's order first (prolly-core's `encodeTree`).
 * @deprecated Use `encodeTree` from `@git-prolly/prolly-core`.
 */
export const encodeTreeObject: (entries: readonly TreeEntry[]) => Uint8Array = encodeTree;

/** Decodes a tree object. `id` only labels errors. */
export function decodeTreeObject(id: ObjectId, content: Uint8Array): TreeEntry[] {
  const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const entries: TreeEntry[] = [];
  let o = 0;
  while (o < buf.length) {
    const space = buf.indexOf(0x20, o);
    const nul = space < 0 ? -1 : buf.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > buf.length) throw objectCorrupt(id, "truncated tree entry");
    const mode = MODES.get(buf.toString("latin1", o, space));
    if (mode === undefined) throw objectCorrupt(id, `unknown tree entry mode ${buf.toString("latin1", o, space)}`);
    const raw = buf.subarray(space + 1, nul);
    if (raw.length === 0) throw objectCorrupt(id, "empty tree entry name");
    const entryId = objectIdAt(buf, nul + 1);
    try {
      entries.push({ mode, name: utf8Strict.decode(raw), id: entryId });
    } catch {
      entries.push({ mode, name: raw.toString("latin1"), id: entryId, rawName: Uint8Array.from(raw) });
    }
    o = nul + 21;
  }
  return entries;
}
