/**
 * Git's object model, as far as prolly nodes need it: object ids (SHA-1 over
 * `"<type> <size>\0" + content`) and the byte layout of tree objects.
 */
import { fromHex, toHex, utf8 } from "./bytes.js";
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
  return toHex(hash([utf8(`${type} ${content.length}\0`), content])) as NodeId;
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
  const an = a.mode === "40000" ? a.name + "/" : a.name;
  const bn = b.mode === "40000" ? b.name + "/" : b.name;
  // Names are ASCII here, so UTF-16 code unit order equals byte order.
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** Encodes a tree object; entries are sorted into Git's order first. */
export function encodeTree(entries: readonly TreeEntry[]): Uint8Array {
  const sorted = [...entries].sort(compareTreeEntries);
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const e of sorted) {
    const head = utf8(`${e.mode} ${e.name}\0`);
    const id = fromHex(e.id);
    if (id === undefined || id.length !== 20) throw malformed("bad object id in tree entry", { name: e.name });
    parts.push(head, id);
    size += head.length + 20;
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Decodes a tree object, rejecting unknown modes, bad names and out-of-order entries. */
export function decodeTree(content: Uint8Array): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let o = 0;
  while (o < content.length) {
    const space = content.indexOf(0x20, o);
    if (space < 0 || space - o > 6) throw malformed("tree entry without mode", { offset: o });
    const mode = String.fromCharCode(...content.subarray(o, space));
    if (mode !== "100644" && mode !== "40000") throw malformed("unexpected tree entry mode", { mode });
    const nul = content.indexOf(0, space + 1);
    if (nul < 0 || nul === space + 1 || nul - space > 256) throw malformed("bad tree entry name", { offset: space });
    let name = "";
    for (let i = space + 1; i < nul; i++) {
      const c = content[i] as number;
      if (c === 0x2f || c < 0x20 || c > 0x7e) throw malformed("bad tree entry name", { offset: i });
      name += String.fromCharCode(c);
    }
    if (nul + 21 > content.length) throw malformed("truncated tree entry", { offset: nul });
    const id = toHex(content.subarray(nul + 1, nul + 21)) as NodeId;
    const entry: TreeEntry = { mode, name, id };
    const prev = entries[entries.length - 1];
    if (prev !== undefined && compareTreeEntries(prev, entry) >= 0) throw malformed("tree entries out of order", { name });
    entries.push(entry);
    o = nul + 21;
  }
  return entries;
}
