/**
 * The dataset manifest, `<dataset>/prolly.json`: the format version, the node format and the
 * chunking parameters. It never holds a root id or history (those are the `root` entry and the
 * Git commits), so it only changes when the format does.
 */
import {
  type ChunkingConfig,
  DEFAULT_CHUNKING,
  NODE_FORMAT_VERSION,
  assertValidChunking,
} from "@git-prolly/prolly-core";
import { KvStoreError } from "./errors.js";

/** Name of the manifest file inside a dataset directory. */
export const MANIFEST_NAME = "prolly.json";
/** Name of the root node entry inside a dataset directory (a file for a one-leaf tree, else a directory). */
export const ROOT_NAME = "root";
/** The format tag written in every manifest. */
export const DATASET_FORMAT = "git-prolly/kv";
/** The dataset format version this build writes and reads. */
export const DATASET_FORMAT_VERSION = 1;

/** A parsed manifest. */
export interface DatasetManifest {
  readonly format: typeof DATASET_FORMAT;
  readonly version: number;
  readonly nodeFormat: number;
  readonly chunking: ChunkingConfig;
}

/** A manifest for a new dataset. */
export function createManifest(chunking: ChunkingConfig = DEFAULT_CHUNKING): DatasetManifest {
  assertValidChunking(chunking);
  return {
    format: DATASET_FORMAT,
    version: DATASET_FORMAT_VERSION,
    nodeFormat: NODE_FORMAT_VERSION,
    chunking: { minBytes: chunking.minBytes, targetBytes: chunking.targetBytes, maxBytes: chunking.maxBytes },
  };
}

/** The manifest's bytes: canonical JSON (fixed key order, two-space indent, final newline). */
export function encodeManifest(m: DatasetManifest): Uint8Array {
  const { minBytes, targetBytes, maxBytes } = m.chunking;
  const text = JSON.stringify(
    { format: m.format, version: m.version, nodeFormat: m.nodeFormat, chunking: { minBytes, targetBytes, maxBytes } },
    null,
    2,
  );
  return Buffer.from(`${text}\n`, "utf8");
}

/**
 * Parses and checks a manifest.
 * @throws {KvStoreError} KV_NOT_A_DATASET when it is not a manifest, KV_UNKNOWN_FORMAT when its
 *   version is not one this build reads.
 */
export function parseManifest(bytes: Uint8Array, where: string): DatasetManifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (cause) {
    throw new KvStoreError("KV_NOT_A_DATASET", `${where}/${MANIFEST_NAME} is not valid JSON`, {
      hint: "Restore the file from Git (`git checkout -- prolly.json`) or re-create the dataset.",
      data: { dataset: where },
      cause,
    });
  }
  const m = json as Partial<DatasetManifest> | null;
  if (m === null || typeof m !== "object" || m.format !== DATASET_FORMAT) {
    throw new KvStoreError("KV_NOT_A_DATASET", `${where}/${MANIFEST_NAME} is not a git-prolly manifest`, {
      hint: `A dataset's manifest has "format": "${DATASET_FORMAT}"; this file belongs to something else.`,
      data: { dataset: where },
    });
  }
  if (m.version !== DATASET_FORMAT_VERSION || m.nodeFormat !== NODE_FORMAT_VERSION) {
    throw new KvStoreError(
      "KV_UNKNOWN_FORMAT",
      `dataset ${where} uses format ${String(m.version)} / node format ${String(m.nodeFormat)}, this build reads ${DATASET_FORMAT_VERSION} / ${NODE_FORMAT_VERSION}`,
      {
        hint: "Upgrade git-prolly to a version that knows this format.",
        data: {
          dataset: where,
          version: m.version ?? null,
          nodeFormat: m.nodeFormat ?? null,
          supported: { version: DATASET_FORMAT_VERSION, nodeFormat: NODE_FORMAT_VERSION },
        },
      },
    );
  }
  const c = m.chunking as ChunkingConfig | undefined;
  try {
    if (c === undefined) throw new Error("no chunking");
    assertValidChunking(c);
  } catch (cause) {
    throw new KvStoreError("KV_UNKNOWN_FORMAT", `dataset ${where} has invalid chunking parameters`, {
      hint: "Restore prolly.json from Git history.",
      data: { dataset: where },
      cause,
    });
  }
  return {
    format: DATASET_FORMAT,
    version: m.version,
    nodeFormat: m.nodeFormat,
    chunking: { minBytes: c.minBytes, targetBytes: c.targetBytes, maxBytes: c.maxBytes },
  };
}
