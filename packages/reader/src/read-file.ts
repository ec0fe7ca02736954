/** Synchronous file reads that tell "not there" apart from real I/O failures. */
import { readFileSync } from "node:fs";
import { ReaderError } from "./errors.js";

/** Why a path could not be read as a file, when that is an expected outcome. */
export type Absent = "ENOENT" | "ENOTDIR" | "EISDIR";

/**
 * The file's bytes, or why it is absent (missing, a parent is a file, it is a directory).
 * @throws {ReaderError} READER_IO_ERROR on any other failure (permissions, I/O)
 */
export function readFile(path: string): Uint8Array | Absent {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return code;
    throw new ReaderError("READER_IO_ERROR", `cannot read ${path}: ${String(code ?? e)}`, {
      hint: "Check the file's permissions and that the disk is readable.",
      data: { path, errno: String(code ?? "") },
      cause: e,
    });
  }
}

/** The file's text, or `undefined` when it is absent. */
export function readText(path: string): string | undefined {
  const bytes = readFile(path);
  return typeof bytes === "string" ? undefined : new TextDecoder().decode(bytes);
}
