/**
 * The decoded part of one version's tree, as a reader caches it: each loaded node keeps its
 * loaded children, so a warm `get` walks object references (no path strings, no map lookups).
 * Decoding is prolly-core's, bundled at build time: there is one implementation of the format.
 */
import { type InternalNode, type LeafNode, type ProllyNode, type ProllyError, decodeIndex, decodeLeaf, equalBytes, internalNode } from "@git-prolly/prolly-core";
import { ReaderError, UPGRADE, corrupt } from "./errors.js";

/** A loaded node and where its children are: a directory (files) or child object ids (ref). */
export interface TreeNode {
  readonly node: ProllyNode;
  /** Children loaded so far (internal nodes only). */
  readonly kids: (TreeNode | undefined)[] | undefined;
  /** The node's directory or object id, for error messages and loading children. */
  readonly at: string;
  /** Bytes this node holds in memory (cache accounting). */
  readonly weight: number;
  /** An internal node's Git tree object, whose entries name its children (ref mode). */
  readonly tree?: Uint8Array;
}

/** Where a version's nodes come from: checked-out files or a Git object database. */
export interface NodeSource {
  /** The root node. */
  root(): TreeNode;
  /** Child `i` of `parent` (unchecked: the caller checks level and first key). */
  child(parent: TreeNode, i: number): TreeNode;
}

/** Runs prolly-core's decoder on node `at`, turning its errors into the reader's codes. */
function decoded<T>(at: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    const data = { node: at, ...(e as ProllyError).data };
    if ((e as ProllyError).code === "PROLLY_UNSUPPORTED_FORMAT") throw new ReaderError("READER_FORMAT_UNSUPPORTED", `${(e as Error).message} (${at})`, { hint: UPGRADE, data, cause: e });
    throw corrupt("READER_NODE_CORRUPT", `${(e as Error).message} in ${at}`, data, e);
  }
}

/** @internal A leaf from its blob's bytes. */
export function leafNode(bytes: Uint8Array, at: string): TreeNode {
  const node = decoded(at, () => decodeLeaf(bytes));
  return { node, kids: undefined, at, weight: bytes.length + 20 * node.count };
}

/** @internal An internal node from its index blob's bytes; children are named by key (files, or entries of `tree`). */
export function indexNode(bytes: Uint8Array, at: string, tree?: Uint8Array): TreeNode {
  const { level, keys } = decoded(at, () => decodeIndex(bytes));
  const weight = bytes.length + 16 * keys.length + (tree?.length ?? 0);
  return { node: internalNode(level, keys, []), kids: new Array<TreeNode | undefined>(keys.length), at, weight, ...(tree === undefined ? {} : { tree }) };
}

/**
 * @internal Checks that a loaded child is the node its parent expects: one level down and
 * starting with the parent's separator key. Catches files from two versions mixed, renamed or
 * swapped, which the format alone would not reject.
 */
export function checkChild(parent: TreeNode, i: number, child: TreeNode): TreeNode {
  const p = parent.node as InternalNode;
  const c = child.node;
  const first = c.kind === "leaf" ? (c as LeafNode).count > 0 && (c as LeafNode).key(0) : c.key(0);
  if (c.level !== p.level - 1 || first === false || !equalBytes(first, p.key(i))) {
    throw corrupt("READER_NODE_CORRUPT", `node ${child.at} does not fit under ${parent.at}`, {
      node: child.at,
      parent: parent.at,
    });
  }
  return child;
}
