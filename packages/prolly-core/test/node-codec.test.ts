import { describe, expect, it } from "vitest";
import {
  MAX_KEY_BYTES,
  NODE_FORMAT_VERSION,
  ProllyError,
  blobKind,
  decodeIndex,
  decodeLeaf,
  encodeIndex,
  fromHex,
  toHex,
  utf8,
} from "../src/index.js";
import { encodeLeaf } from "../src/node-codec.js";

const k = (s: string) => utf8(s);

describe("leaf encoding", () => {
  it("is length-prefixed with a versioned header, byte for byte", () => {
    const bytes = encodeLeaf([k("a"), k("bc")], [k("1"), new Uint8Array(0)]);
    expect(toHex(bytes)).toBe("504c" + "01" + "00" + "02" + "01" + "61" + "01" + "31" + "02" + "6263" + "00");
    expect(blobKind(bytes)).toBe("leaf");
  });

  it("round-trips keys and values, including long lengths", () => {
    const big = new Uint8Array(300).fill(7);
    const leaf = decodeLeaf(encodeLeaf([k("a"), k("b")], [big, k("x")]));
    expect(leaf.count).toBe(2);
    expect(leaf.value(0)).toEqual(big);
    expect(leaf.keys.map((x) => new TextDecoder().decode(x))).toEqual(["a", "b"]);
    expect(leaf.find(k("b"))).toBe(1);
    expect(leaf.find(k("aa"))).toBe(-2);
  });

  it("rejects malformed input with typed errors", () => {
    const cases: [string, string][] = [
      ["", "PROLLY_MALFORMED_NODE"],
      ["504c0100", "PROLLY_MALFORMED_NODE"], // no count
      ["584c010000", "PROLLY_MALFORMED_NODE"], // bad magic
      ["504c0200" + "00", "PROLLY_UNSUPPORTED_FORMAT"], // future version
      ["504c0107" + "00", "PROLLY_MALFORMED_NODE"], // unknown kind
      ["504c0100" + "02" + "0161" + "0131" + "0161" + "0131", "PROLLY_MALFORMED_NODE"], // duplicate key
      ["504c0100" + "02" + "0162" + "0131" + "0161" + "0131", "PROLLY_MALFORMED_NODE"], // unsorted
      ["504c0100" + "01" + "00" + "0131", "PROLLY_MALFORMED_NODE"], // empty key
      ["504c0100" + "01" + "0561", "PROLLY_MALFORMED_NODE"], // length past end
      ["504c0100" + "01" + "0161" + "0131" + "ff", "PROLLY_MALFORMED_NODE"], // trailing bytes
      ["504c0100" + "8100", "PROLLY_MALFORMED_NODE"], // non-minimal varint
      ["504c0100" + "ffffffff0f", "PROLLY_MALFORMED_NODE"], // absurd count
    ];
    for (const [hex, code] of cases) {
      let err: unknown;
      try {
        decodeLeaf(fromHex(hex)!);
      } catch (e) {
        err = e;
      }
      expect(err, hex).toBeInstanceOf(ProllyError);
      expect((err as ProllyError).code, hex).toBe(code);
      expect((err as ProllyError).hint.length).toBeGreaterThan(10);
    }
  });

  it("rejects keys longer than the limit", () => {
    const long = new Uint8Array(MAX_KEY_BYTES + 1).fill(1);
    expect(() => decodeLeaf(encodeLeaf([long], [k("v")]))).toThrow(ProllyError);
  });
});

describe("index encoding", () => {
  it("carries the level and the separator keys", () => {
    const bytes = encodeIndex(3, [k("a"), k("m")]);
    expect(toHex(bytes)).toBe("504c0101" + "03" + "02" + "0161" + "016d");
    expect(decodeIndex(bytes)).toEqual({ level: 3, keys: [k("a"), k("m")] });
  });

  it("rejects level 0, empty indexes and leaf blobs", () => {
    expect(() => decodeIndex(fromHex("504c0101" + "00" + "01" + "0161")!)).toThrow(/level/);
    expect(() => decodeIndex(fromHex("504c0101" + "01" + "00")!)).toThrow(ProllyError);
    expect(() => decodeIndex(encodeLeaf([k("a")], [k("b")]))).toThrow(/expected an index/);
    expect(NODE_FORMAT_VERSION).toBe(1);
  });
});
