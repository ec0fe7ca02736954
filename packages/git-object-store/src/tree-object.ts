/**
 * Git tree objects with every mode Git writes (prolly-core's own codec knows only the two modes
 * of prolly nodes; repository trees around a dataset hold executables, symlinks and submodules).
 */
import { objectCorrupt } from "./errors.js";
import type { ObjectId } from "./object-id.js";

/** Tree entry modes: file, executable, symlink, submodule (gitlink), directory. */
export type TreeEntryMode = "100644" | "100755" | "120000" | "160000" | "40000";

/** Mode of a regular file entry. */
export const FILE_MODE: TreeEntryMode = "100644";
/** Mode of a directory entry. */
export const DIR_MODE: TreeEntryMode = "40000";

/** One entry of a tree object. */
export interface TreeEntry {
  readonly mode: TreeEntryMode;
  /** Entry name, UTF-8 decoded. */
  readonly name: string;
  readonly id: ObjectId;
  /** The name's raw bytes when they are not valid UTF-8, so re-encoding keeps them. */
  readonly rawName?: Uint8Array;
}

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

function nameBytes(e: TreeEntry): Uint8Array {
  return e.rawName ?? Buffer.from(e.name, "utf8");
}

/** Git's tree order: names bytewise, a directory's name read as if it ended in "/". */
export function compareTreeEntryNames(a: TreeEntry, b: TreeEntry): number {
  const an = nameBytes(a);
  const bn = nameBytes(b);
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    const d = (an[i] as number) - (bn[i] as number);
    if (d !== 0) return d;
  }
  const ac = an.length > n ? (an[n] as number) : a.mode === "40000" ? 0x2f : 0;
  const bc = bn.length > n ? (bn[n] as number) : b.mode === "40000" ? 0x2f : 0;
  return ac - bc;
}

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
    let name: string;
    let rawName: Uint8Array | undefined;
    try {
      name = utf8Strict.decode(raw);
    } catch {
      name = raw.toString("latin1");
      rawName = Uint8Array.from(raw);
    }
    const entryId = buf.toString("hex", nul + 1, nul + 21);
    entries.push(rawName === undefined ? { mode, name, id: entryId } : { mode, name, id: entryId, rawName });
    o = nul + 21;
  }
  return entries;
}

/** Encodes a tree object, putting the entries into Git's order first. */
export function encodeTreeObject(entries: readonly TreeEntry[]): Uint8Array {
  const sorted = [...entries].sort(compareTreeEntryNames);
  const parts: Buffer[] = [];
  for (const e of sorted) {
    parts.push(Buffer.from(`${e.mode} `, "latin1"), Buffer.from(nameBytes(e)), Buffer.from([0]), Buffer.from(e.id, "hex"));
  }
  return Buffer.concat(parts);
}
