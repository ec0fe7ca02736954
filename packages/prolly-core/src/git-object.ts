/**
 * Git's object model, as far as prolly nodes need it: object ids (SHA-1 over
 * `"<type> <size>\0" + content`) and the byte layout of tree objects.
 */
import { toHex, utf8 } from "./bytes.js";
import { malformed } from "./errors.js";
import type { NodeId } from "./node.js";
import type { HashFunction } from "./sha1.js";

/** The Git object types a prolly tree uses. */
export type GitObjectType = "blob" | "tree";

/** A Git object with its id. */
export interface GitObject {
  readonly type: GitObjectType;
  readonly id: NodeId;
  readonly content: Uint8Array;
}

/** Mode of a tree entry: a file (`100644`) or a directory (`40000`). */
export type TreeEntryMode = "100644" | "40000";

/** One entry of a Git tree object. */
export interface TreeEntry {
  readonly mode: TreeEntryMode;
  readonly name: string;
  readonly id: NodeId;
}

/** The Git object id of `content` stored as an object of `type`. */
export function gitObjectId(type: GitObjectType, content: Uint8Array, hash: HashFunction): NodeId {
  return toHex(hash([objectHeader(type, content.length), content])) as NodeId;
}

const TYPE_BYTES = { blob: utf8("blob "), tree: utf8("tree ") } as const;

/** `"<type> <size>\0"`, written without formatting a string. */
function objectHeader(type: GitObjectType, size: number): Uint8Array {
  let digits = 1;
  for (let n = size; n >= 10; n = Math.floor(n / 10)) digits++;
  const out = new Uint8Array(5 + digits + 1);
  out.set(TYPE_BYTES[type]);
  let n = size;
  for (let p = 5 + digits - 1; p >= 5; p--) {
    out[p] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return out;
}

/** Makes a {@link GitObject}, computing its id. */
export function makeGitObject(type: GitObjectType, content: Uint8Array, hash: HashFunction): GitObject {
  return { type, id: gitObjectId(type, content, hash), content };
}

/**
 * Git's tree order: names compared bytewise, with a directory's name read as if it ended in "/".
 * `git fsck` rejects trees in any other order.
 */
export function compareTreeEntries(a: TreeEntry, b: TreeEntry): number {
  const an = a.name;
  const bn = b.name;
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    const d = an.charCodeAt(i) - bn.charCodeAt(i);
    if (d !== 0) return d;
  }
  // One name is a prefix of the other: the next character is "/" for a directory, else the end.
  const ac = an.length > n ? an.charCodeAt(n) : a.mode === "40000" ? 0x2f : 0;
  const bc = bn.length > n ? bn.charCodeAt(n) : b.mode === "40000" ? 0x2f : 0;
  return ac - bc;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Encodes a tree object; entries are put into Git's order first when they are not in it. */
export function encodeTree(entries: readonly TreeEntry[]): Uint8Array {
  let sorted = entries;
  for (let i = 1; i < entries.length; i++) {
    if (compareTreeEntries(entries[i - 1]!, entries[i]!) >= 0) {
      sorted = [...entries].sort(compareTreeEntries);
      break;
    }
  }
  let size = 0;
  for (const e of sorted) size += e.mode.length + e.name.length + 22;
  const out = new Uint8Array(size);
  let o = 0;
  for (const e of sorted) {
    for (let i = 0; i < e.mode.length; i++) out[o++] = e.mode.charCodeAt(i);
    out[o++] = 0x20;
    const name = e.name;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x2f) throw malformed("bad tree entry name", { name });
      out[o++] = c;
    }
    out[o++] = 0;
    const id = e.id;
    if (id.length !== 40) throw malformed("bad object id in tree entry", { name });
    for (let i = 0; i < 40; i += 2) {
      const hi = hexNibble(id.charCodeAt(i));
      const lo = hexNibble(id.charCodeAt(i + 1));
      if (hi < 0 || lo < 0) throw malformed("bad object id in tree entry", { name });
      out[o++] = (hi << 4) | lo;
    }
  }
  return out;
}

const MODE_FILE = [0x31, 0x30, 0x30, 0x36, 0x34, 0x34]; // "100644"
const MODE_DIR = [0x34, 0x30, 0x30, 0x30, 0x30]; // "40000"

function matches(content: Uint8Array, o: number, ascii: readonly number[]): boolean {
  for (let i = 0; i < ascii.length; i++) if (content[o + i] !== ascii[i]) return false;
  return true;
}

/** Decodes a tree object, rejecting unknown modes, bad names and out-of-order entries. */
export function decodeTree(content: Uint8Array): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let o = 0;
  let prev: TreeEntry | undefined;
  while (o < content.length) {
    let mode: TreeEntryMode;
    if (matches(content, o, MODE_FILE) && content[o + 6] === 0x20) {
      mode = "100644";
      o += 7;
    } else if (matches(content, o, MODE_DIR) && content[o + 5] === 0x20) {
      mode = "40000";
      o += 6;
    } else throw malformed("unexpected tree entry mode", { offset: o });
    const nul = content.indexOf(0, o);
    if (nul < 0 || nul === o || nul - o > 255) throw malformed("bad tree entry name", { offset: o });
    for (let i = o; i < nul; i++) {
      const c = content[i] as number;
      if (c === 0x2f || c < 0x20 || c > 0x7e) throw malformed("bad tree entry name", { offset: i });
    }
    const name = String.fromCharCode.apply(null, content.subarray(o, nul) as unknown as number[]);
    if (nul + 21 > content.length) throw malformed("truncated tree entry", { offset: nul });
    const entry: TreeEntry = { mode, name, id: toHex(content.subarray(nul + 1, nul + 21)) as NodeId };
    if (prev !== undefined && compareTreeEntries(prev, entry) >= 0) throw malformed("tree entries out of order", { name });
    entries.push(entry);
    prev = entry;
    o = nul + 21;
  }
  return entries;
}
