/**
 * Writing one working-tree file the way a checkout does: a new path is created directly, a
 * replaced one through a temporary file (`<path>.tmp-<8 hex>`) and a rename, so a reader never
 * sees it half-written. The stat data Git's index records is taken from the open file after the
 * rename (which changes its ctime), so it is the data of the file written even if another
 * process replaces the path meanwhile.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync, promises as fsp } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { STAT_FIELDS, statFields } from "../bulk/stat-fields.js";

const code = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * Writes `bytes` to `file` (absolute; its directory exists) with file mode `mode`; `isNew`: the
 * path held nothing in the index before. Returns the file's {@link STAT_FIELDS} stat values.
 */
export async function writeWorktreeFile(
  file: string,
  bytes: Uint8Array,
  mode: number,
  isNew: boolean,
): Promise<Uint32Array> {
  let handle: FileHandle | undefined;
  if (isNew) {
    handle = await fsp.open(file, "wx", mode).catch((e: unknown) => {
      if (code(e) !== "EEXIST") throw e;
      return undefined;
    });
  }
  try {
    if (handle !== undefined) await handle.writeFile(bytes);
    else {
      const temp = `${file}.tmp-${randomBytes(4).toString("hex")}`;
      handle = await fsp.open(temp, "wx", mode);
      await handle.writeFile(bytes);
      try {
        await fsp.rename(temp, file);
      } catch (e) {
        await fsp.rm(temp, { force: true });
        if (code(e) !== "EISDIR") throw e;
        await handle.close();
        handle = undefined;
        await fsp.rm(file, { recursive: true, force: true });
        handle = await fsp.open(file, "wx", mode);
        await handle.writeFile(bytes);
      }
    }
    const stat = new Uint32Array(STAT_FIELDS);
    statFields(await handle.stat({ bigint: true }), stat, 0);
    return stat;
  } finally {
    await handle?.close();
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * {@link writeWorktreeFile} with synchronous calls: for the few files of a small change (one
 * `set`), where each promise-based call is a trip through libuv's thread pool that costs more
 * than the system call itself.
 */
export function writeWorktreeFileSync(file: string, bytes: Uint8Array, mode: number, isNew: boolean): Uint32Array {
  let fd: number | undefined;
  if (isNew) {
    try {
      fd = openSync(file, "wx", mode);
    } catch (e) {
      if (code(e) !== "EEXIST") throw e;
    }
  }
  try {
    if (fd !== undefined) writeAll(fd, bytes);
    else {
      const temp = `${file}.tmp-${randomBytes(4).toString("hex")}`;
      fd = openSync(temp, "wx", mode);
      writeAll(fd, bytes);
      try {
        renameSync(temp, file);
      } catch (e) {
        rmSync(temp, { force: true });
        if (code(e) !== "EISDIR") throw e;
        closeSync(fd);
        fd = undefined;
        rmSync(file, { recursive: true, force: true });
        fd = openSync(file, "wx", mode);
        writeAll(fd, bytes);
      }
    }
    const stat = new Uint32Array(STAT_FIELDS);
    statFields(fstatSync(fd, { bigint: true }), stat, 0);
    return stat;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
