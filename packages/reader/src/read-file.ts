/** Synchronous file reads that tell "not there" apart from real I/O failures. */
import { readFileSync, readdirSync } from "node:fs";
import { fail } from "./errors.js";

/** UTF-8, one codec of each kind for the package. */ export const decoder = new TextDecoder();
/** UTF-8 encoding. */ export const encoder = new TextEncoder();

/** Why a path could not be read as a file, when that is an expected outcome. */
export type Absent = "ENOENT" | "ENOTDIR" | "EISDIR";

/**
 * The file's bytes, or why it is absent (missing, a parent is a file, it is a directory).
 * @throws {ReaderError} READER_IO_ERROR on any other failure (permissions, I/O)
 */
export function readFile(path: string): Uint8Array | Absent {
  try {
    const b = readFileSync(path);
    // A plain Uint8Array view: Buffer's own subarray (made for every value read) is several times slower.
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return code;
    throw fail("READER_IO_ERROR", `cannot read ${path}: ${String(code ?? e)}`, { path, errno: String(code ?? "") }, e);
  }
}

/** The names in a directory; none when it cannot be listed. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The file's text, or `undefined` when it is absent. */
export function readText(path: string): string | undefined {
  const bytes = readFile(path);
  return typeof bytes === "string" ? undefined : decoder.decode(bytes);
}
