import { malformed } from "./errors.js";

/** @internal Bytes needed by the LEB128 spelling of `n` (0 ≤ n < 2^53). */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** @internal Writes `n` as unsigned LEB128 at `off`; returns the new offset. */
export function writeVarint(out: Uint8Array, off: number, n: number): number {
  while (n >= 0x80) {
    out[off++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[off++] = n;
  return off;
}

/** @internal A cursor over bytes that rejects truncated or non-canonical input with a typed error. */
export class ByteReader {
  off = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.off === this.bytes.length;
  }

  byte(): number {
    if (this.off >= this.bytes.length) throw malformed("truncated", { offset: this.off });
    return this.bytes[this.off++] as number;
  }

  /** An unsigned LEB128 integer in minimal form, below 2^32. */
  varint(): number {
    // One byte covers every length below 128: the common case, kept small enough to inline.
    const first = this.bytes[this.off];
    if (first !== undefined && first < 0x80) {
      this.off++;
      return first;
    }
    return this.#varintSlow();
  }

  #varintSlow(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) throw malformed("non-minimal varint", { offset: this.off });
        if (result > 0xffffffff) throw malformed("varint out of range", { offset: this.off });
        return result;
      }
      scale *= 128;
    }
    throw malformed("varint too long", { offset: this.off });
  }

  /** Skips `n` bytes. */
  skip(n: number): void {
    if (n > this.bytes.length - this.off) throw malformed("length past end", { offset: this.off, length: n });
    this.off += n;
  }

  /** `n` bytes as a view (no copy). */
  take(n: number): Uint8Array {
    if (n > this.bytes.length - this.off) throw malformed("length past end", { offset: this.off, length: n });
    const v = this.bytes.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }
}
