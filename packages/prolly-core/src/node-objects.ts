/**
 * How a prolly node maps onto Git objects:
 * - a leaf is a blob (the leaf encoding);
 * - an internal node is a tree holding its index blob under `.node` (level and separator keys)
 *   and one entry per child, named by {@link childName} of the child's first key: a blob for a
 *   leaf child, a tree for an internal child.
 *
 * Every node of a committed tree is therefore reachable through Git's own object graph, and a
 * checkout writes the whole tree as files.
 */
import { INDEX_ENTRY_NAME, childName, isChildName } from "./child-name.js";
import { malformed } from "./errors.js";
import {
  type GitObject,
  type GitObjectType,
  type TreeEntry,
  decodeTree,
  encodeTree,
  makeGitObject,
} from "./git-object.js";
import type { InternalNode, NodeId, ProllyNode } from "./node.js";
import { decodeIndexTable, decodeLeaf, encodeIndex, encodeLeaf } from "./node-codec.js";
import { PackedInternal } from "./packed-internal.js";
import type { HashFunction } from "./sha1.js";
import { toHex } from "./bytes.js";

/** A node as Git objects; the node itself is the last object and its id is `id`. */
export interface EncodedNode {
  readonly id: NodeId;
  readonly objects: readonly GitObject[];
}

/** A raw object as read from an object database. */
export interface RawObject {
  readonly type: GitObjectType;
  readonly content: Uint8Array;
}

/** Encodes a node into its Git objects. */
export function encodeNode(node: ProllyNode, hash: HashFunction): EncodedNode {
  if (node.kind === "leaf") {
    const blob = makeGitObject("blob", node.encoded ?? encodeLeaf(node.keys, node.values), hash);
    return { id: blob.id, objects: [blob] };
  }
  const enc = node.encoding;
  if (enc !== undefined) {
    const tree = makeGitObject("tree", enc.tree, hash);
    return { id: tree.id, objects: [{ type: "blob", id: enc.indexId, content: enc.index }, tree] };
  }
  const index = makeGitObject("blob", encodeIndex(node.level, node.keys), hash);
  const tree = makeGitObject("tree", encodeInternalTree(index.id, node), hash);
  return { id: tree.id, objects: [index, tree] };
}

/** The id of the index blob named in an internal node's tree. */
export function indexIdOfTree(entries: readonly TreeEntry[]): NodeId {
  const entry = entries.find((e) => e.name === INDEX_ENTRY_NAME);
  if (entry === undefined || entry.mode !== "100644") throw malformed("internal node without index blob");
  return entry.id;
}

/**
 * Decodes an internal node from its tree entries and its index blob's content, checking that
 * the tree holds exactly one correctly named child of the right kind per separator key.
 */
export function decodeInternalNode(
  entries: readonly TreeEntry[],
  indexContent: Uint8Array,
  tree?: { readonly content: Uint8Array; readonly indexId: NodeId },
): InternalNode {
  const { level, count, table } = decodeIndexTable(indexContent);
  if (entries.length !== count + 1)
    throw malformed("tree and index disagree on the number of children", { entries: entries.length, keys: count });
  const childMode = level === 1 ? "100644" : "40000";
  const children: NodeId[] = new Array<NodeId>(count);
  const key = (i: number): Uint8Array => indexContent.subarray(table[count + 2 * i]!, table[count + 2 * i + 1]!);
  // Usually the index entry comes first and the children follow in key order; check that in one
  // pass and fall back to a lookup by name when long keys' names reorder them.
  let sequential = entries[0]!.name === INDEX_ENTRY_NAME;
  for (let i = 0; sequential && i < count; i++) {
    const e = entries[i + 1]!;
    if (e.mode !== childMode || !isChildName(e.name, key(i))) sequential = false;
    else children[i] = e.id;
  }
  if (!sequential) {
    const byName = new Map<string, TreeEntry>();
    for (const e of entries) byName.set(e.name, e);
    for (let i = 0; i < count; i++) {
      const name = childName(key(i));
      const e = byName.get(name);
      if (e === undefined || e.mode !== childMode)
        throw malformed("child missing or of the wrong kind", { name, level });
      children[i] = e.id;
    }
  }
  const encoding = tree === undefined ? undefined : { indexId: tree.indexId, index: indexContent, tree: tree.content };
  return new PackedInternal(level, indexContent, table, children, encoding);
}

/**
 * Reads and decodes the node `id` through `read`, which returns a raw object or `undefined`.
 * Returns `undefined` when the node's own object is missing.
 */
export async function readNodeObjects(
  id: NodeId,
  read: (id: NodeId) => Promise<RawObject | undefined>,
): Promise<ProllyNode | undefined> {
  const obj = await read(id);
  if (obj === undefined) return undefined;
  if (obj.type === "blob") return decodeLeaf(obj.content);
  if (obj.type !== "tree") throw malformed("not a node object", { id, type: obj.type });
  const tree = obj.content;
  const fastIndexId = leadingIndexId(tree);
  const entries = fastIndexId === undefined ? decodeTree(tree) : undefined;
  const indexId = fastIndexId ?? indexIdOfTree(entries!);
  const index = await read(indexId);
  if (index === undefined || index.type !== "blob") throw malformed("index blob missing", { id, index: indexId });
  const enc = { content: tree, indexId };
  return (
    (entries === undefined ? decodeHexNamedTree(tree, index.content, enc) : undefined) ??
    decodeInternalNode(entries ?? decodeTree(tree), index.content, enc)
  );
}

const INDEX_ENTRY_HEAD = Array.from(`100644 ${INDEX_ENTRY_NAME}\0`, (c) => c.charCodeAt(0));

/** The index blob's id when the tree starts with the `.node` entry, as every tree we write does. */
function leadingIndexId(tree: Uint8Array): NodeId | undefined {
  const h = INDEX_ENTRY_HEAD;
  if (tree.length < h.length + 20) return undefined;
  for (let i = 0; i < h.length; i++) if (tree[i] !== h[i]) return undefined;
  return toHex(tree.subarray(h.length, h.length + 20)) as NodeId;
}

/**
 * Decodes the common layout without building tree entries: `.node` first, then one entry per
 * key in key order named by the key's hex spelling. Returns `undefined` on any departure from
 * it, and the caller takes the general path (which also reports what is wrong).
 */
function decodeHexNamedTree(
  tree: Uint8Array,
  indexContent: Uint8Array,
  enc: { readonly content: Uint8Array; readonly indexId: NodeId },
): InternalNode | undefined {
  const { level, count, table } = decodeIndexTable(indexContent);
  const mode = level === 1 ? MODE_FILE_CODES : MODE_DIR_CODES;
  const idOffsets = new Uint32Array(count);
  let o = INDEX_ENTRY_HEAD.length + 20;
  for (let i = 0; i < count; i++) {
    const ks = table[count + 2 * i]!;
    const ke = table[count + 2 * i + 1]!;
    if (ke - ks > 40 || o + mode.length + 2 * (ke - ks) + 22 > tree.length) return undefined;
    for (let j = 0; j < mode.length; j++) if (tree[o++] !== mode[j]) return undefined;
    if (tree[o++] !== 0x20) return undefined;
    for (let j = ks; j < ke; j++) {
      if ((((tree[o] as number) << 8) | (tree[o + 1] as number)) !== HEX_PAIR_CODES[indexContent[j] as number])
        return undefined;
      o += 2;
    }
    if (tree[o++] !== 0) return undefined;
    idOffsets[i] = o;
    o += 20;
  }
  if (o !== tree.length) return undefined;
  return new PackedInternal(
    level,
    indexContent,
    table,
    undefined,
    { indexId: enc.indexId, index: indexContent, tree: enc.content },
    undefined,
    idOffsets,
  );
}

const MODE_FILE_CODES = Array.from("100644 ", (c) => c.charCodeAt(0)).slice(0, 6);
const MODE_DIR_CODES = Array.from("40000", (c) => c.charCodeAt(0));
const FILE_MODE = "100644";
const DIR_MODE = "40000";
const HEX_DIGITS = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
/** The two ASCII hex digits of each byte value as one 16-bit number, to check names two bytes at a time. */
const HEX_PAIR_CODES = Uint16Array.from({ length: 256 }, (_, b) => (HEX_DIGITS[b >> 4]! << 8) | HEX_DIGITS[b & 15]!);

/**
 * The tree object of an internal node. When every key is short enough to be named by its hex
 * spelling, names sort like keys (and `.node` before them all), so the bytes are written
 * straight from the keys in order; otherwise the entries go through {@link encodeTree}.
 */
function encodeInternalTree(indexId: NodeId, node: InternalNode): Uint8Array {
  const childMode = node.level === 1 ? FILE_MODE : DIR_MODE;
  const n = node.count;
  let size = FILE_MODE.length + INDEX_ENTRY_NAME.length + 22;
  for (let i = 0; i < n; i++) {
    const k = node.key(i);
    if (k.length > 40) return encodeTree(treeEntries(indexId, node));
    size += childMode.length + 2 * k.length + 22;
  }
  const out = new Uint8Array(size);
  let o = writeEntryHead(out, 0, FILE_MODE, INDEX_ENTRY_NAME);
  o = writeId(out, o, indexId);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < childMode.length; j++) out[o++] = childMode.charCodeAt(j);
    out[o++] = 0x20;
    const k = node.key(i);
    for (let j = 0; j < k.length; j++) {
      const b = k[j] as number;
      out[o++] = HEX_DIGITS[b >> 4]!;
      out[o++] = HEX_DIGITS[b & 15]!;
    }
    out[o++] = 0;
    o = writeId(out, o, node.child(i));
  }
  return out;
}

function writeEntryHead(out: Uint8Array, o: number, mode: string, name: string): number {
  for (let j = 0; j < mode.length; j++) out[o++] = mode.charCodeAt(j);
  out[o++] = 0x20;
  for (let j = 0; j < name.length; j++) out[o++] = name.charCodeAt(j);
  out[o++] = 0;
  return o;
}

function writeId(out: Uint8Array, o: number, id: NodeId): number {
  if (id.length !== 40) throw malformed("bad child id", { id });
  for (let j = 0; j < 40; j += 2) {
    const hi = nibble(id.charCodeAt(j));
    const lo = nibble(id.charCodeAt(j + 1));
    if ((hi | lo) < 0) throw malformed("bad child id", { id });
    out[o++] = (hi << 4) | lo;
  }
  return o;
}

function nibble(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
}

function treeEntries(indexId: NodeId, node: InternalNode): TreeEntry[] {
  const childMode = node.level === 1 ? FILE_MODE : DIR_MODE;
  const entries: TreeEntry[] = [{ mode: FILE_MODE, name: INDEX_ENTRY_NAME, id: indexId }];
  for (let i = 0; i < node.count; i++)
    entries.push({ mode: childMode, name: childName(node.key(i)), id: node.child(i) });
  return entries;
}
