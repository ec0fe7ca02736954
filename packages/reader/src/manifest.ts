/** The dataset manifest `prolly.json` (format tag, dataset and node format versions), checked. */
import { NODE_FORMAT_VERSION } from "@git-prolly/prolly-core";
import { fail } from "./errors.js";
import { decoder } from "./read-file.js";

/** The dataset format version this build reads. */
export const DATASET_FORMAT_VERSION = 1;

/** Checks a manifest's bytes. @throws {ReaderError} READER_NOT_A_DATASET (not a git-prolly manifest), READER_FORMAT_UNSUPPORTED */
export function checkManifest(bytes: Uint8Array, where: string): void {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch {
    // not JSON: reported below
  }
  const m = (typeof json === "object" && json !== null ? json : {}) as { format?: unknown; version?: unknown; nodeFormat?: unknown };
  if (m.format !== "git-prolly/kv") throw fail("READER_NOT_A_DATASET", `${where} is not a git-prolly manifest`, { path: where });
  if (m.version !== DATASET_FORMAT_VERSION || m.nodeFormat !== NODE_FORMAT_VERSION) {
    const data = { path: where, version: m.version ?? null, nodeFormat: m.nodeFormat ?? null };
    throw fail("READER_FORMAT_UNSUPPORTED", `${where} has format ${String(m.version)}/${String(m.nodeFormat)}; this reader reads ${DATASET_FORMAT_VERSION}/${NODE_FORMAT_VERSION}`, data);
  }
}
