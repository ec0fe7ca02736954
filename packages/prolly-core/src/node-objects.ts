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
import { INDEX_ENTRY_NAME, childName } from "./child-name.js";
import { malformed } from "./errors.js";
import { type GitObject, type GitObjectType, type TreeEntry, decodeTree, encodeTree, makeGitObject } from "./git-object.js";
import { type InternalNode, type LeafNode, type NodeId, type ProllyNode, internalNode, leafNode } from "./node.js";
import { decodeIndex, decodeLeaf, encodeIndex, encodeLeaf } from "./node-codec.js";
import type { HashFunction } from "./sha1.js";

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
    const blob = makeGitObject("blob", encodeLeaf(node.keys, node.values), hash);
    return { id: blob.id, objects: [blob] };
  }
  const index = makeGitObject("blob", encodeIndex(node.level, node.keys), hash);
  const childMode = node.level === 1 ? "100644" : "40000";
  const entries: TreeEntry[] = [{ mode: "100644", name: INDEX_ENTRY_NAME, id: index.id }];
  for (let i = 0; i < node.keys.length; i++) {
    entries.push({ mode: childMode, name: childName(node.keys[i]!), id: node.children[i]! });
  }
  const tree = makeGitObject("tree", encodeTree(entries), hash);
  return { id: tree.id, objects: [index, tree] };
}

/** Decodes a leaf from its blob content. */
export function decodeLeafNode(content: Uint8Array): LeafNode {
  const { keys, values } = decodeLeaf(content);
  return leafNode(keys, values);
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
export function decodeInternalNode(entries: readonly TreeEntry[], indexContent: Uint8Array): InternalNode {
  const { level, keys } = decodeIndex(indexContent);
  if (entries.length !== keys.length + 1) throw malformed("tree and index disagree on the number of children", { entries: entries.length, keys: keys.length });
  const byName = new Map<string, TreeEntry>();
  for (const e of entries) byName.set(e.name, e);
  const childMode = level === 1 ? "100644" : "40000";
  const children: NodeId[] = new Array<NodeId>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const name = childName(keys[i]!);
    const e = byName.get(name);
    if (e === undefined || e.mode !== childMode) throw malformed("child missing or of the wrong kind", { name, level });
    children[i] = e.id;
  }
  return internalNode(level, keys, children);
}

/**
 * Reads and decodes the node `id` through `read`, which returns a raw object or `undefined`.
 * Returns `undefined` when the node's own object is missing.
 */
export async function readNodeObjects(id: NodeId, read: (id: NodeId) => Promise<RawObject | undefined>): Promise<ProllyNode | undefined> {
  const obj = await read(id);
  if (obj === undefined) return undefined;
  if (obj.type === "blob") return decodeLeafNode(obj.content);
  const entries = decodeTree(obj.content);
  const indexId = indexIdOfTree(entries);
  const index = await read(indexId);
  if (index === undefined || index.type !== "blob") throw malformed("index blob missing", { id, index: indexId });
  return decodeInternalNode(entries, index.content);
}
