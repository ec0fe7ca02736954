import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { isMissing } from "../is-missing.js";

/**
 * The checksum in the trailer of the index file at `path` (hex), or `""` without one (no index
 * file, or `index.skipHash`, whose trailer is zeros). Synchronous: four system calls, no trip
 * through libuv's thread pool, so callers may check it before every read of a cached state.
 */
export function indexChecksumSync(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    if (isMissing(e)) return "";
    throw e;
  }
  try {
    const hex = trailerHex(fd, fstatSync(fd).size);
    return /^0+$/.test(hex) ? "" : hex;
  } finally {
    closeSync(fd);
  }
}

/**
 * @internal The last 20 bytes of an open index file of `size` bytes, in hex (all zeros when it is
 * too short to have a trailer).
 */
export function trailerHex(fd: number, size: number): string {
  const tail = Buffer.alloc(20);
  if (size >= 32) readSync(fd, tail, 0, 20, size - 20);
  return tail.toString("hex");
}
