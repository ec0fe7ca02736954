import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha1, toHex, utf8 } from "../src/index.js";
import { nodeSha1 } from "./helpers.js";

describe("sha1", () => {
  it("matches the FIPS 180 test vectors", () => {
    expect(toHex(sha1([utf8("abc")]))).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(toHex(sha1([]))).toBe("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    expect(toHex(sha1([utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")]))).toBe(
      "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
    );
    expect(toHex(sha1([new Uint8Array(1_000_000).fill(0x61)]))).toBe("34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  });

  it("agrees with node:crypto on any input split into any parts", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 6 }), (parts) => {
        expect(toHex(sha1(parts))).toBe(toHex(nodeSha1(parts)));
      }),
      { numRuns: 300 },
    );
    const big = new Uint8Array(randomBytes(100_003));
    expect(toHex(sha1([big.subarray(0, 63), big.subarray(63, 64), big.subarray(64)]))).toBe(toHex(nodeSha1([big])));
  });
});
