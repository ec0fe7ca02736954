/**
 * Byte helpers: ordering, equality, hex and UTF-8. Keys are compared bytewise (unsigned),
 * which is also the order of their hexadecimal spelling.
 */

// The WHATWG text codecs exist in every runtime we target; declared here because prolly-core
// compiles without DOM or Node typings.
declare const TextEncoder: new () => { encode(input: string): Uint8Array };
declare const TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(input: Uint8Array): string };

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });
const HEX = "0123456789abcdef";
const HEX_PAIRS: string[] = [];
for (let b = 0; b < 256; b++) HEX_PAIRS.push(HEX[b >> 4]! + HEX[b & 15]!);
const HEX_CODES = Array.from(HEX, (c) => c.charCodeAt(0));
/** Scratch arrays of char codes by input length, reused so no array is resized per call. */
const hexScratch: number[][] = Array.from({ length: 65 }, (_, n) => new Array<number>(2 * n).fill(0));

/** Bytewise comparison: negative, zero or positive, as for `Array.prototype.sort`. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when both arrays hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when `bytes` starts with `prefix`. */
export function hasPrefix(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * The smallest byte string greater than every string that starts with `prefix`,
 * or `undefined` when there is none (the prefix is all 0xff bytes).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = copyBytes(prefix.subarray(0, end));
  out[end - 1] = (out[end - 1] as number) + 1;
  return out;
}

/**
 * A copy of `bytes`. Not `bytes.slice()`: on a Node `Buffer` (what fs- and zlib-backed stores
 * return) `slice` makes a view, and writing into it would change the original.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** Lowercase hexadecimal spelling of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  if (bytes.length <= 64) {
    // One flat string from char codes: ids are hashed and compared often, and a string built
    // by repeated `+=` is a rope that every use has to walk or flatten.
    const n = bytes.length;
    const codes = hexScratch[n]!;
    for (let i = 0; i < n; i++) {
      const b = bytes[i] as number;
      codes[2 * i] = HEX_CODES[b >> 4]!;
      codes[2 * i + 1] = HEX_CODES[b & 15]!;
    }
    return String.fromCharCode.apply(null, codes);
  }
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX_PAIRS[bytes[i] as number]!;
  return s;
}

/** Parses lowercase or uppercase hexadecimal; returns `undefined` when `hex` is not hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(hex.charCodeAt(2 * i));
    const lo = hexValue(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A string from UTF-8 bytes (invalid sequences become U+FFFD). */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
