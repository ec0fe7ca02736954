/**
 * The decoded part of one version's tree, as a reader caches it: each loaded node keeps its
 * loaded children, so a warm `get` walks object references (no path strings, no map lookups).
 * Decoding is prolly-core's, bundled at build time: there is one implementation of the format.
 */
import { type LeafNode, type ProllyError, compareBytes, decodeIndex, decodeLeaf, equalBytes } from "@git-prolly/prolly-core";
import { fail } from "./errors.js";

/** An internal node as the reader keeps it: its level and its children's first keys (the separators). */
export interface IndexNode { readonly kind: "internal"; readonly level: number; readonly count: number; key(i: number): Uint8Array }

/** A loaded node and where its children are: a directory (files) or child object ids (ref). */
export interface TreeNode {
  readonly node: LeafNode | IndexNode;
  /** Children loaded so far (internal nodes only). */ readonly kids: (TreeNode | undefined)[] | undefined;
  /** The node's directory or object id, for error messages and loading children. */ readonly at: string;
  /** Bytes this node holds in memory (cache accounting). */ readonly weight: number;
  /** An internal node's Git tree object, whose entries name its children (ref mode). */ readonly tree?: Uint8Array;
  /** Index of the last child whose first key is ≤ `key` (internal nodes). */ readonly floor?: (key: Uint8Array) => number;
}

/** Where a version's nodes come from: checked-out files or a Git object database. */
export interface NodeSource {
  /** The root node. */ root(): TreeNode;
  /** Child `i` of `parent` (unchecked: the caller checks level and first key). */ child(parent: TreeNode, i: number): TreeNode;
}

/** Runs prolly-core's decoder on node `at`, turning its errors into the reader's codes. */
function decoded<T>(at: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    const data = { node: at, ...(e as ProllyError).data };
    const unsupported = (e as ProllyError).code === "PROLLY_UNSUPPORTED_FORMAT";
    throw fail(unsupported ? "READER_FORMAT_UNSUPPORTED" : "READER_NODE_CORRUPT", `${(e as Error).message} in ${at}`, data, e);
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
  const node: IndexNode = { kind: "internal", level, count: keys.length, key: (i) => keys[i]! };
  const weight = bytes.length + 20 * keys.length + (tree?.length ?? 0);
  return { node, kids: new Array<TreeNode | undefined>(keys.length), at, weight, floor: probeFloor(keys), ...(tree === undefined ? {} : { tree }) };
}

/** Floor search by 4-byte probes after the keys' shared prefix: a few cache lines, key bytes only on ties. */
function probeFloor(keys: readonly Uint8Array[]): (key: Uint8Array) => number {
  const first = keys[0]!;
  let s = 0;
  while (s < first.length && first[s] === keys[keys.length - 1]![s]) s++;
  const probe = (k: Uint8Array): number => (((k[s] ?? 0) << 24) | ((k[s + 1] ?? 0) << 16) | ((k[s + 2] ?? 0) << 8) | (k[s + 3] ?? 0)) >>> 0;
  const probes = Uint32Array.from(keys, probe);
  return (key) => {
    for (let j = 0, d = 0; j < s; j++) if ((d = (key[j] ?? -1) - first[j]!) !== 0) return d < 0 ? -1 : keys.length - 1;
    const p = probe(key);
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (probes[mid]! < p || (probes[mid] === p && compareBytes(keys[mid]!, key) <= 0)) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi;
  };
}

/**
 * @internal Checks that a loaded child is the node its parent expects: one level down and
 * starting with the parent's separator key. Catches files from two versions mixed, renamed or
 * swapped, which the format alone would not reject.
 */
export function checkChild(parent: TreeNode, i: number, child: TreeNode): TreeNode {
  const p = parent.node as IndexNode;
  const c = child.node;
  const first = c.count > 0 && c.key(0);
  if (c.level !== p.level - 1 || first === false || !equalBytes(first, p.key(i))) {
    throw fail("READER_NODE_CORRUPT", `node ${child.at} does not fit under ${parent.at}`, { node: child.at, parent: parent.at });
  }
  return child;
}
