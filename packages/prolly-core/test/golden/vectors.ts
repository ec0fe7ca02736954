/**
 * Inputs of the golden vectors: fixed entry sets whose root ids and node bytes are recorded in
 * `golden.json`. Changing the node format, the chunker or the naming of children changes them,
 * and the golden test fails until the format version is bumped deliberately.
 */
import { type ChunkingConfig, DEFAULT_CHUNKING, type Entry, utf8 } from "../../src/index.js";

export interface GoldenInput {
  readonly name: string;
  readonly config: ChunkingConfig;
  readonly entries: () => Entry[];
}

const small: ChunkingConfig = { minBytes: 32, targetBytes: 128, maxBytes: 512 };

export const GOLDEN_INPUTS: readonly GoldenInput[] = [
  { name: "empty", config: DEFAULT_CHUNKING, entries: () => [] },
  { name: "one-entry", config: DEFAULT_CHUNKING, entries: () => [[utf8("config:app:name"), utf8("MyApp")]] },
  {
    name: "binary",
    config: DEFAULT_CHUNKING,
    entries: () => [
      [Uint8Array.of(0), Uint8Array.of()],
      [Uint8Array.of(0, 0), Uint8Array.of(0xff, 0xfe)],
      [Uint8Array.of(0x7f), new Uint8Array(200).fill(0x80)],
      [Uint8Array.of(0xff, 0xff), utf8("last")],
    ],
  },
  {
    name: "seq-2000-default",
    config: DEFAULT_CHUNKING,
    entries: () =>
      Array.from(
        { length: 2000 },
        (_, i) => [utf8(`key:${String(i).padStart(9, "0")}`), utf8(`value-${i}-${"x".repeat(40)}`)] as Entry,
      ),
  },
  {
    name: "mixed-400-small",
    config: small,
    entries: () => {
      const out: Entry[] = [];
      for (let i = 0; i < 400; i++) {
        const long = i % 37 === 0 ? "-" + "L".repeat(50) : "";
        out.push([utf8(`user:${String((i * 7919) % 100000).padStart(5, "0")}${long}`), utf8(`{"n":${i}}`)]);
      }
      return out.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
    },
  },
];
