import { PROLLY_ERROR_CODES, ProllyError } from "./errors.js";

/**
 * Chunk size bounds in encoded bytes. Part of a tree's identity: the same entries give the same
 * root only under the same configuration, so datasets record it in their manifest.
 */
export interface ChunkingConfig {
  /** No boundary is drawn before a chunk reaches this size (bytes). */
  readonly minBytes: number;
  /** The chunk size the boundary probability is shaped around (bytes). */
  readonly targetBytes: number;
  /** A chunk is closed before it would grow past this size (bytes). */
  readonly maxBytes: number;
}

/** Dolt's bounds: 512 B minimum, 4 KiB target, 16 KiB maximum. */
export const DEFAULT_CHUNKING: ChunkingConfig = Object.freeze({ minBytes: 512, targetBytes: 4096, maxBytes: 16384 });

/**
 * Checks chunking bounds: 1 ≤ min < target < max ≤ 16 MiB.
 * @throws {ProllyError} PROLLY_INVALID_CONFIG
 */
export function assertValidChunking(config: ChunkingConfig): void {
  const { minBytes, targetBytes, maxBytes } = config;
  const ok =
    Number.isInteger(minBytes) &&
    Number.isInteger(targetBytes) &&
    Number.isInteger(maxBytes) &&
    minBytes >= 1 &&
    minBytes < targetBytes &&
    targetBytes < maxBytes &&
    maxBytes <= 16 * 1024 * 1024;
  if (!ok) {
    throw new ProllyError(
      PROLLY_ERROR_CODES.INVALID_CONFIG,
      `invalid chunking bounds ${minBytes}/${targetBytes}/${maxBytes}`,
      {
        hint: "Use integers with 1 ≤ minBytes < targetBytes < maxBytes ≤ 16 MiB, or DEFAULT_CHUNKING.",
        data: { minBytes, targetBytes, maxBytes },
      },
    );
  }
}
