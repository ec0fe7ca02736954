/** The dataset manifest `prolly.json` (format tag, dataset and node format versions), checked. */
import { NODE_FORMAT_VERSION } from "@git-prolly/prolly-core";
import { ReaderError, UPGRADE } from "./errors.js";

/** The dataset format version this build reads. */
export const DATASET_FORMAT_VERSION = 1;

/**
 * Checks a manifest's bytes.
 * @throws {ReaderError} READER_NOT_A_DATASET (not a git-prolly manifest), READER_FORMAT_UNSUPPORTED
 */
export function checkManifest(bytes: Uint8Array, where: string): void {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    // not JSON: reported below
  }
  const m = (typeof json === "object" && json !== null ? json : {}) as { format?: unknown; version?: unknown; nodeFormat?: unknown };
  if (m.format !== "git-prolly/kv") {
    throw new ReaderError("READER_NOT_A_DATASET", `${where} is not a git-prolly manifest`, {
      hint: "Open a dataset directory (made by `git-prolly init`), or restore its prolly.json from Git.",
      data: { path: where },
    });
  }
  if (m.version !== DATASET_FORMAT_VERSION || m.nodeFormat !== NODE_FORMAT_VERSION) {
    throw new ReaderError("READER_FORMAT_UNSUPPORTED", `${where} has format ${String(m.version)}/${String(m.nodeFormat)}; this reader reads ${DATASET_FORMAT_VERSION}/${NODE_FORMAT_VERSION}`, {
      hint: UPGRADE,
      data: { path: where, version: m.version ?? null, nodeFormat: m.nodeFormat ?? null },
    });
  }
}
