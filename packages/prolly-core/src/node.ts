import { compareBytes } from "./bytes.js";
import { PROLLY_ERROR_CODES, ProllyError } from "./errors.js";

/**
 * A node id: the 40-hex Git object id of the node (a blob for a leaf, a tree for an
 * internal node). It is the one object-id type of git-prolly: git-object-store's `ObjectId` is
 * this type, so ids pass between the packages without casts. A plain string, not a branded
 * one, so that ids read from refs, manifests and indexes need no cast either; check untrusted
 * strings with {@link parseNodeId}.
 */
export type NodeId = string;

const NODE_ID = /^[0-9a-f]{40}$/;

/**
 * Checks that `text` is 40 lowercase hex digits (a {@link NodeId}).
 * @throws {ProllyError} PROLLY_INVALID_NODE_ID when it is not.
 */
export function parseNodeId(text: string): NodeId {
  if (!NODE_ID.test(text)) {
    throw new ProllyError(PROLLY_ERROR_CODES.INVALID_NODE_ID, `not a node id: ${JSON.stringify(text.slice(0, 60))}`, {
      hint: "Pass the full 40-character lowercase hexadecimal object id.",
      data: { id: text.slice(0, 60) },
    });
  }
  return text as NodeId;
}

/**
 * A leaf: sorted, unique keys with their values. Decoded leaves keep their encoded bytes and an
 * offset table, and materialise `keys`/`values` arrays only when asked, so a cached leaf costs
 * little more than its bytes and a lookup allocates nothing but its result.
 */
export interface LeafNode {
  readonly kind: "leaf";
  readonly level: 0;
  /** Number of entries. */
  readonly count: number;
  /** All keys (materialised on first use for decoded leaves). */
  readonly keys: readonly Uint8Array[];
  /** All values, parallel to `keys`. */
  readonly values: readonly Uint8Array[];
  /** The i-th key. */
  key(i: number): Uint8Array;
  /** The i-th value. */
  value(i: number): Uint8Array;
  /** Index of `key` when present, else `-(insertion point) - 1`. */
  find(key: Uint8Array): number;
  /** Index of `key` when present, else -1 (faster than {@link find} for exact lookups). */
  indexOf(key: Uint8Array): number;
  /** `compareBytes(this.key(i), key)` without making a view. */
  compareKeyAt(i: number, key: Uint8Array): number;
  /** The leaf's encoded bytes when it was decoded from them (saves re-encoding). */
  readonly encoded: Uint8Array | undefined;
}

/**
 * An internal node at `level` ≥ 1: `keys[i]` is the first key of the subtree `children[i]`,
 * and the children sit at `level - 1`.
 */
export interface InternalNode {
  readonly kind: "internal";
  readonly level: number;
  /** Number of children. */
  readonly count: number;
  /** First keys of the children (materialised on first use for decoded nodes). */
  readonly keys: readonly Uint8Array[];
  /** Ids of the children (materialised on first use for decoded nodes). */
  readonly children: readonly NodeId[];
  /** The i-th key. */
  key(i: number): Uint8Array;
  /** The i-th child's id. */
  child(i: number): NodeId;
  /** Index of the last child whose first key is ≤ `key`, or -1 when `key` is below them all. */
  floor(key: Uint8Array): number;
  /** The node's Git objects when they are at hand (decoded or written nodes), saving re-encoding. */
  readonly encoding: InternalEncoding | undefined;
}

/** The Git objects of an internal node: its index blob (id and bytes) and its tree's bytes. */
export interface InternalEncoding {
  readonly indexId: NodeId;
  readonly index: Uint8Array;
  readonly tree: Uint8Array;
}

/** A node of a prolly tree. */
export type ProllyNode = LeafNode | InternalNode;

class ArrayLeaf implements LeafNode {
  readonly kind = "leaf";
  readonly level = 0;
  readonly encoded = undefined;
  constructor(
    readonly keys: readonly Uint8Array[],
    readonly values: readonly Uint8Array[],
  ) {}
  get count(): number {
    return this.keys.length;
  }
  key(i: number): Uint8Array {
    return this.keys[i]!;
  }
  value(i: number): Uint8Array {
    return this.values[i]!;
  }
  compareKeyAt(i: number, key: Uint8Array): number {
    return compareBytes(this.keys[i]!, key);
  }
  indexOf(key: Uint8Array): number {
    const i = this.find(key);
    return i < 0 ? -1 : i;
  }
  find(key: Uint8Array): number {
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareBytes(this.keys[mid]!, key);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }
}

/** Makes a leaf from parallel arrays of sorted keys and values (no copy, no validation). */
export function leafNode(keys: readonly Uint8Array[], values: readonly Uint8Array[]): LeafNode {
  return new ArrayLeaf(keys, values);
}

class ArrayInternal implements InternalNode {
  readonly kind = "internal";
  readonly encoding = undefined;
  constructor(
    readonly level: number,
    readonly keys: readonly Uint8Array[],
    readonly children: readonly NodeId[],
  ) {}
  get count(): number {
    return this.keys.length;
  }
  key(i: number): Uint8Array {
    return this.keys[i]!;
  }
  child(i: number): NodeId {
    return this.children[i]!;
  }
  floor(key: Uint8Array): number {
    let lo = 0;
    let hi = this.keys.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.keys[mid]!, key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}

/** Makes an internal node from the first keys and ids of its children (no copy, no validation). */
export function internalNode(level: number, keys: readonly Uint8Array[], children: readonly NodeId[]): InternalNode {
  return new ArrayInternal(level, keys, children);
}
