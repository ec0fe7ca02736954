/**
 * Git's object model, as far as prolly nodes need it: object ids (SHA-1 over
 * `"<type> <size>\0" + content`) and the byte layout of tree objects.
 */
import { toHex, utf8 } from "./bytes.js";
import { malformed } from "./errors.js";
import type { NodeId } from "./node.js";
import type { HashFunction } from "./sha1.js";

/** The four Git object types (a prolly tree's nodes are blobs and trees). */
export type GitObjectType = "blob" | "tree" | "commit" | "tag";

/** A Git object with its id. */
export interface GitObject {
  readonly type: GitObjectType;
  readonly id: NodeId;
  readonly content: Uint8Array;
}

/**
 * Mode of a tree entry: file (`100644`), executable (`100755`), symlink (`120000`), submodule
 * (`160000`) or directory (`40000`). Prolly nodes use only `100644` and `40000`.
 */
export type TreeEntryMode = "100644" | "100755" | "120000" | "160000" | "40000";

/** One entry of a Git tree object. */
export interface TreeEntry {
  readonly mode: TreeEntryMode;
  /** Entry name (UTF-8 decoded). */
  readonly name: string;
  readonly id: NodeId;
  /** The name's raw bytes when they are not valid UTF-8, so re-encoding keeps them. */
  readonly rawName?: Uint8Array;
}

/** The Git object id of `content` stored as an object of `type`. */
export function gitObjectId(type: GitObjectType, content: Uint8Array, hash: HashFunction): NodeId {
  return toHex(hash([objectHeader(type, content.length), content])) as NodeId;
}

const TYPE_BYTES = { blob: utf8("blob "), tree: utf8("tree "), commit: utf8("commit "), tag: utf8("tag ") } as const;

/** `"<type> <size>\0"`, the header Git hashes before an object's content (written without formatting a string). */
export function objectHeader(type: GitObjectType, size: number): Uint8Array {
  const head = TYPE_BYTES[type];
  let digits = 1;
  for (let n = size; n >= 10; n = Math.floor(n / 10)) digits++;
  const out = new Uint8Array(head.length + digits + 1);
  out.set(head);
  let n = size;
  for (let p = head.length + digits - 1; p >= head.length; p--) {
    out[p] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return out;
}

/** Makes a {@link GitObject}, computing its id. */
export function makeGitObject(type: GitObjectType, content: Uint8Array, hash: HashFunction): GitObject {
  return { type, id: gitObjectId(type, content, hash), content };
}

/** The bytes of an entry's name. */
function nameBytes(e: TreeEntry): Uint8Array {
  return e.rawName ?? utf8(e.name);
}

/**
 * Git's tree order: names compared bytewise, with a directory's name read as if it ended in "/".
 * `git fsck` rejects trees in any other order. ASCII names (every prolly node's) are compared
 * without encoding them.
 */
export function compareTreeEntries(a: TreeEntry, b: TreeEntry): number {
  if (a.rawName !== undefined || b.rawName !== undefined) return compareNameBytes(a, b);
  const an = a.name;
  const bn = b.name;
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    const ac = an.charCodeAt(i);
    const bc = bn.charCodeAt(i);
    if (ac === bc) continue;
    // Equal prefixes encode alike, so ASCII characters order as their bytes do.
    return ac < 0x80 && bc < 0x80 ? ac - bc : compareNameBytes(a, b);
  }
  // One name is a prefix of the other: the next character is "/" for a directory, else the end.
  const ac = an.length > n ? an.charCodeAt(n) : a.mode === "40000" ? 0x2f : 0;
  const bc = bn.length > n ? bn.charCodeAt(n) : b.mode === "40000" ? 0x2f : 0;
  return ac - bc;
}

function compareNameBytes(a: TreeEntry, b: TreeEntry): number {
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

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Encodes a tree object, of any entry modes; entries are put into Git's order first when they are
 * not in it. Names are written as UTF-8 (or their `rawName` bytes) and may not be empty or hold
 * "/" or NUL.
 */
export function encodeTree(entries: readonly TreeEntry[]): Uint8Array {
  let sorted = entries;
  for (let i = 1; i < entries.length; i++) {
    if (compareTreeEntries(entries[i - 1]!, entries[i]!) >= 0) {
      sorted = [...entries].sort(compareTreeEntries);
      break;
    }
  }
  let size = 0;
  let names: (Uint8Array | undefined)[] | undefined;
  for (let j = 0; j < sorted.length; j++) {
    const e = sorted[j]!;
    let ascii = e.rawName === undefined;
    for (let i = 0; ascii && i < e.name.length; i++) if (e.name.charCodeAt(i) > 0x7e) ascii = false;
    if (!ascii) (names ??= [])[j] = nameBytes(e);
    size += e.mode.length + (ascii ? e.name.length : names![j]!.length) + 22;
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (let j = 0; j < sorted.length; j++) {
    const e = sorted[j]!;
    for (let i = 0; i < e.mode.length; i++) out[o++] = e.mode.charCodeAt(i);
    out[o++] = 0x20;
    const bytes = names?.[j];
    const length = bytes === undefined ? e.name.length : bytes.length;
    if (length === 0) throw malformed("bad tree entry name", { name: e.name });
    for (let i = 0; i < length; i++) {
      const c = bytes === undefined ? e.name.charCodeAt(i) : (bytes[i] as number);
      if (c === 0 || c === 0x2f) throw malformed("bad tree entry name", { name: e.name });
      out[o++] = c;
    }
    out[o++] = 0;
    const id = e.id;
    if (id.length !== 40) throw malformed("bad object id in tree entry", { name: e.name });
    for (let i = 0; i < 40; i += 2) {
      const hi = hexNibble(id.charCodeAt(i));
      const lo = hexNibble(id.charCodeAt(i + 1));
      if (hi < 0 || lo < 0) throw malformed("bad object id in tree entry", { name: e.name });
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

/**
 * Decodes a prolly node's tree object, rejecting what a node never holds: modes other than
 * `100644`/`40000`, names outside printable ASCII, out-of-order entries. (git-object-store's
 * `decodeTreeObject` reads any repository tree.)
 */
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
    if (prev !== undefined && compareTreeEntries(prev, entry) >= 0)
      throw malformed("tree entries out of order", { name });
    entries.push(entry);
    prev = entry;
    o = nul + 21;
  }
  return entries;
}
