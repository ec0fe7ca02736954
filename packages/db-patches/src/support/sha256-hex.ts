import { createHash } from "node:crypto";

/** The SHA-256 of `data` in lowercase hex (patch file checksums, model and database name hashes). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
