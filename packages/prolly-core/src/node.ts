import { PROLLY_ERROR_CODES, ProllyError } from "./errors.js";

/**
 * A node id: the 40-hex Git object id of the node (a blob for a leaf, a tree for an
 * internal node). Parse untrusted strings with {@link parseNodeId}.
 */
export type NodeId = string & { readonly __brand: "NodeId" };

const NODE_ID = /^[0-9a-f]{40}$/;

/**
 * Checks that `text` is 40 lowercase hex digits and brands it as a {@link NodeId}.
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

/** A leaf: sorted, unique keys with their values. */
export interface LeafNode {
  readonly kind: "leaf";
  readonly level: 0;
  readonly keys: readonly Uint8Array[];
  readonly values: readonly Uint8Array[];
}

/**
 * An internal node at `level` ≥ 1: `keys[i]` is the first key of the subtree `children[i]`,
 * and the children sit at `level - 1`.
 */
export interface InternalNode {
  readonly kind: "internal";
  readonly level: number;
  readonly keys: readonly Uint8Array[];
  readonly children: readonly NodeId[];
}

/** A node of a prolly tree. */
export type ProllyNode = LeafNode | InternalNode;

/** Makes a leaf (no copy, no validation). */
export function leafNode(keys: readonly Uint8Array[], values: readonly Uint8Array[]): LeafNode {
  return { kind: "leaf", level: 0, keys, values };
}

/** Makes an internal node (no copy, no validation). */
export function internalNode(level: number, keys: readonly Uint8Array[], children: readonly NodeId[]): InternalNode {
  return { kind: "internal", level, keys, children };
}
