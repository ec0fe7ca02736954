/**
 * The file name of a child inside an internal node's tree, derived from the child's first key.
 * Naming by key (never by position) means an edit renames nothing outside its own path, so Git's
 * index, working tree and checkouts change only along that path.
 */
import { toHex } from "./bytes.js";
import { sha1 } from "./sha1.js";

/** Keys up to this many bytes are spelled in full (80 hex digits). */
const FULL_NAME_KEY_BYTES = 40;
/** Longer keys keep this many bytes of prefix, then "~" and 16 hex digits of the key's SHA-1. */
const PREFIX_KEY_BYTES = 32;

/** Name of the index blob inside an internal node's tree. */
export const INDEX_ENTRY_NAME = ".node";

/** True when `name` is {@link childName}`(key)`; allocates nothing for short keys. */
export function isChildName(name: string, key: Uint8Array): boolean {
  if (key.length > FULL_NAME_KEY_BYTES) return name === childName(key);
  if (name.length !== 2 * key.length) return false;
  // Compare digit by digit instead of spelling the key out.
  for (let i = 0; i < key.length; i++) {
    const b = key[i] as number;
    if (name.charCodeAt(2 * i) !== HEX_CODES[b >> 4] || name.charCodeAt(2 * i + 1) !== HEX_CODES[b & 15]) return false;
  }
  return true;
}

const HEX_CODES = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/**
 * The tree entry name of the child whose first key is `key`: its hex spelling, or for keys
 * longer than 40 bytes a 64-hex prefix plus a hash suffix (at most 81 characters).
 */
export function childName(key: Uint8Array): string {
  if (key.length <= FULL_NAME_KEY_BYTES) return toHex(key);
  return `${toHex(key.subarray(0, PREFIX_KEY_BYTES))}~${toHex(sha1([key]).subarray(0, 8))}`;
}
