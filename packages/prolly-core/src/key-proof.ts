/**
 * Self-contained Merkle proofs. A proof carries the encoded objects on the path from the root
 * to the leaf where `key` is or would be; a verifier needs only the proof, the root id and the
 * id function (SHA-1 over Git object headers) — no store.
 */
import { concatBytes } from "./bytes.js";
import { PROLLY_ERROR_CODES, ProllyError } from "./errors.js";
import { decodeTree, gitObjectId } from "./git-object.js";
import type { NodeId } from "./node.js";
import { decodeLeaf } from "./node-codec.js";
import { decodeInternalNode, encodeNode, indexIdOfTree } from "./node-objects.js";
import type { NodeStore } from "./node-store.js";
import { loadChild } from "./load-child.js";
import { type HashFunction, sha1 } from "./sha1.js";
import { ByteReader, varintSize, writeVarint } from "./varint.js";

/** One node on a proof's path: an internal node's tree and index blob, or a leaf blob. */
export type ProofStep =
  | { readonly kind: "internal"; readonly tree: Uint8Array; readonly index: Uint8Array }
  | { readonly kind: "leaf"; readonly blob: Uint8Array };

/** A proof that `key` has some value, or is absent, in the tree whose root id it is checked against. */
export interface KeyProof {
  readonly key: Uint8Array;
  /** Root first, leaf last. */
  readonly path: readonly ProofStep[];
}

/** What a proof establishes, if it is valid. */
export type ProofVerdict =
  | { readonly valid: true; readonly present: true; readonly value: Uint8Array }
  | { readonly valid: true; readonly present: false }
  | { readonly valid: false; readonly reason: string };

/**
 * Builds the proof of `key`'s value (or absence) in the tree `root`.
 * @example
 * ```ts
 * const proof = await proveKey(store, root, utf8("k"));
 * verifyProof(proof, root); // { valid: true, present: true, value }
 * ```
 */
export async function proveKey(store: NodeStore, root: NodeId, key: Uint8Array): Promise<KeyProof> {
  const path: ProofStep[] = [];
  let node = await store.get(root);
  for (;;) {
    const encoded = encodeNode(node, sha1);
    if (node.kind === "leaf") {
      path.push({ kind: "leaf", blob: encoded.objects[0]!.content });
      return { key, path };
    }
    path.push({ kind: "internal", index: encoded.objects[0]!.content, tree: encoded.objects[1]!.content });
    node = await loadChild(store, node, Math.max(0, node.floor(key)));
  }
}

/** Checks `proof` against `root` using only `hash` (default: SHA-1). Never throws. */
export function verifyProof(proof: KeyProof, root: NodeId, hash: HashFunction = sha1): ProofVerdict {
  let expected: string = root;
  let expectedLevel: number | undefined;
  const steps = proof.path;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s]!;
    try {
      if (step.kind === "leaf") {
        if (s !== steps.length - 1) return { valid: false, reason: "leaf before the end of the path" };
        if (expectedLevel !== undefined && expectedLevel !== 0)
          return { valid: false, reason: "leaf at an internal level" };
        if (gitObjectId("blob", step.blob, hash) !== expected)
          return { valid: false, reason: `leaf does not hash to ${expected}` };
        const leaf = decodeLeaf(step.blob);
        const i = leaf.indexOf(proof.key);
        if (i >= 0) return { valid: true, present: true, value: leaf.value(i) };
        return { valid: true, present: false };
      }
      if (gitObjectId("tree", step.tree, hash) !== expected)
        return { valid: false, reason: `node ${s} does not hash to ${expected}` };
      const entries = decodeTree(step.tree);
      if (gitObjectId("blob", step.index, hash) !== indexIdOfTree(entries))
        return { valid: false, reason: `index of node ${s} does not match its tree` };
      const node = decodeInternalNode(entries, step.index);
      if (expectedLevel !== undefined && node.level !== expectedLevel)
        return { valid: false, reason: `node ${s} is at the wrong level` };
      expected = node.child(Math.max(0, node.floor(proof.key)));
      expectedLevel = node.level - 1;
    } catch (e) {
      return { valid: false, reason: e instanceof Error ? e.message : "undecodable step" };
    }
  }
  return { valid: false, reason: "path does not end in a leaf" };
}

const PROOF_MAGIC = [0x50, 0x50, 1]; // "PP", version 1

/** Encodes a proof as bytes (for files and transport). */
export function encodeProof(proof: KeyProof): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.from(PROOF_MAGIC)];
  const num = (n: number): void => {
    const b = new Uint8Array(varintSize(n));
    writeVarint(b, 0, n);
    parts.push(b);
  };
  const bytes = (b: Uint8Array): void => {
    num(b.length);
    parts.push(b);
  };
  bytes(proof.key);
  num(proof.path.length);
  for (const step of proof.path) {
    if (step.kind === "leaf") {
      parts.push(Uint8Array.of(0));
      bytes(step.blob);
    } else {
      parts.push(Uint8Array.of(1));
      bytes(step.tree);
      bytes(step.index);
    }
  }
  return concatBytes(parts);
}

/**
 * Decodes {@link encodeProof}'s bytes.
 * @throws {ProllyError} PROLLY_MALFORMED_PROOF
 */
export function decodeProof(bytes: Uint8Array): KeyProof {
  try {
    const r = new ByteReader(bytes);
    for (const m of PROOF_MAGIC) if (r.byte() !== m) throw new Error("bad magic");
    const key = r.take(r.varint());
    const n = r.varint();
    if (n > 64) throw new Error("path too long");
    const path: ProofStep[] = [];
    for (let i = 0; i < n; i++) {
      const kind = r.byte();
      if (kind === 0) path.push({ kind: "leaf", blob: r.take(r.varint()) });
      else if (kind === 1) {
        const tree = r.take(r.varint());
        path.push({ kind: "internal", tree, index: r.take(r.varint()) });
      } else throw new Error("bad step kind");
    }
    if (!r.done) throw new Error("trailing bytes");
    return { key, path };
  } catch (e) {
    throw new ProllyError(PROLLY_ERROR_CODES.MALFORMED_PROOF, "malformed proof", {
      hint: "The proof was truncated or altered; ask for a fresh proof.",
      cause: e,
    });
  }
}
