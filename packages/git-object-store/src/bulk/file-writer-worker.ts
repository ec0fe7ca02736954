/**
 * The file writer thread's module (started by {@link FileWriter}): answers `{ id, stats }`
 * ({@link STAT_FIELDS} values per file), or `{ id, error }`, for two kinds of request:
 * `dir` creates a directory, writes its files and moves subdirectories in ({@link DirectoryJob});
 * `update` changes files of a working tree ({@link UpdateJob}).
 */
import * as fs from "node:fs";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { parentPort } from "node:worker_threads";
import type { DirectoryJob, UpdateJob } from "./file-writer.js";
import { STAT_FIELDS, statFields } from "./stat-fields.js";

/** One directory job as posted: a {@link DirectoryJob} with its data as a transferred buffer. */
export type DirectoryRequest = Omit<DirectoryJob, "data"> & {
  readonly id: number;
  readonly op?: "dir";
  readonly data: ArrayBuffer;
};
/** Spare files to create, as posted. */
export type SparesRequest = { readonly id: number; readonly op: "spares"; readonly paths: readonly string[] };
/** One update job as posted. */
export type UpdateRequest = Omit<UpdateJob, "data"> & {
  readonly id: number;
  readonly op: "update";
  readonly data: ArrayBuffer;
};

const code = (e: unknown): unknown => (e as { code?: unknown }).code;

function writeDirectory({ dir, names, modes, data, lengths, moves }: DirectoryRequest): Uint32Array {
  fs.mkdirSync(dir);
  const input = new Uint8Array(data);
  const stats = new Uint32Array(names.length * STAT_FIELDS);
  let o = 0;
  for (let i = 0; i < names.length; i++) {
    const n = lengths[i] ?? 0;
    const fd = fs.openSync(`${dir}/${names[i]}`, "wx", modes[i]);
    try {
      writeAll(fd, input, o, n);
      statFields(fs.fstatSync(fd, { bigint: true }), stats, i * STAT_FIELDS);
    } finally {
      fs.closeSync(fd);
    }
    o += n;
  }
  for (const [from, name] of moves) fs.renameSync(from, `${dir}/${name}`);
  return stats;
}

function writeAll(fd: number, input: Uint8Array, offset: number, n: number): void {
  for (let w = 0; w < n;) w += fs.writeSync(fd, input, offset + w, n - w, w);
}

const IN_PLACE = fs.constants.O_RDWR | fs.constants.O_NOFOLLOW;

/**
 * Rewrites the plain file at `path` in place when it is one with a single link and the
 * executable bit of `mode`; false (nothing written) when there is none or it is not such a file.
 */
function rewrite(
  path: string,
  mode: number,
  input: Uint8Array,
  o: number,
  n: number,
  out: Uint32Array,
  at: number,
): boolean {
  let fd: number;
  try {
    fd = fs.openSync(path, IN_PLACE);
  } catch (e) {
    const c = code(e);
    if (c === "ENOENT" || c === "ELOOP" || c === "EISDIR" || c === "ENOTDIR" || c === "EACCES") return false;
    throw e;
  }
  try {
    const before = fs.fstatSync(fd);
    if (!before.isFile() || before.nlink !== 1 || (before.mode & 0o100) !== (mode & 0o100)) return false;
    writeAll(fd, input, o, n);
    if (before.size > n) fs.ftruncateSync(fd, n);
    statFields(fs.fstatSync(fd, { bigint: true }), out, at);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates the file at `path` (through a temporary file and a rename when something is there). */
function create(
  path: string,
  mode: number,
  input: Uint8Array,
  o: number,
  n: number,
  out: Uint32Array,
  at: number,
): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, "wx", mode);
  } catch (e) {
    if (code(e) !== "EEXIST") throw e;
  }
  if (fd === undefined) {
    const st = fs.lstatSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory() === true) {
      // A directory where the file goes (an internal node that became a leaf).
      fs.rmSync(path, { recursive: true, force: true });
      fd = fs.openSync(path, "wx", mode);
    } else {
      const temp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
      fd = fs.openSync(temp, "wx", mode);
      try {
        writeAll(fd, input, o, n);
        fs.renameSync(temp, path);
      } catch (e) {
        fs.closeSync(fd);
        fs.rmSync(temp, { force: true });
        throw e;
      }
      statFields(fs.fstatSync(fd, { bigint: true }), out, at);
      fs.closeSync(fd);
      return;
    }
  }
  try {
    writeAll(fd, input, o, n);
    statFields(fs.fstatSync(fd, { bigint: true }), out, at);
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates `dir` and its parents; a file in the way (a leaf that became an internal node) is removed. */
function makeDirectory(dir: string, root: string, made: Set<string>): void {
  if (made.has(dir)) return;
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    if (code(e) !== "EEXIST" && code(e) !== "ENOTDIR") throw e;
    for (let d = dir; d.startsWith(`${root}/`); d = dirname(d)) {
      const st = fs.lstatSync(d, { throwIfNoEntry: false });
      if (st !== undefined && !st.isDirectory()) {
        fs.rmSync(d, { force: true });
        break;
      }
    }
    fs.mkdirSync(dir, { recursive: true });
  }
  made.add(dir);
}

function update({ root, unlink, files, data, lengths, prune }: UpdateRequest): Uint32Array {
  for (const path of unlink) {
    try {
      fs.unlinkSync(path);
    } catch (e) {
      const c = code(e);
      if (c !== "ENOENT" && c !== "EISDIR" && c !== "EPERM" && c !== "ENOTDIR") throw e;
    }
  }
  const input = new Uint8Array(data);
  const stats = new Uint32Array(files.length * STAT_FIELDS);
  const made = new Set<string>();
  let o = 0;
  for (let i = 0; i < files.length; i++) {
    const { path, mode, recycle } = files[i]!;
    const n = lengths[i] ?? 0;
    const at = i * STAT_FIELDS;
    if (rewrite(path, mode, input, o, n, stats, at)) {
      if (recycle !== undefined) fs.rmSync(recycle, { force: true }); // not needed: the path had a file
    } else {
      makeDirectory(dirname(path), root, made);
      let done = false;
      if (recycle !== undefined && fs.lstatSync(recycle, { throwIfNoEntry: false })?.isFile() === true) {
        let moved = false;
        if (fs.lstatSync(path, { throwIfNoEntry: false }) === undefined) {
          try {
            fs.renameSync(recycle, path);
            moved = true;
          } catch {
            // Left for the unlink below; the file is created instead.
          }
        }
        if (moved) done = rewrite(path, mode, input, o, n, stats, at);
        else fs.rmSync(recycle, { force: true });
      }
      if (!done) create(path, mode, input, o, n, stats, at);
    }
    o += n;
  }
  for (const d of [...prune].sort((a, b) => b.length - a.length)) {
    for (let dir = d; dir.startsWith(`${root}/`); dir = dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break;
      }
    }
  }
  return stats;
}

/**
 * Creates empty files at `paths` (and their directories) for a later update job to reuse; a path
 * whose directory cannot be made without removing something is skipped.
 */
function spares({ paths }: SparesRequest): Uint32Array {
  const made = new Set<string>();
  for (const path of paths) {
    try {
      const dir = dirname(path);
      if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
      fs.closeSync(fs.openSync(path, "wx", 0o644));
    } catch {
      // The update creates that file itself.
    }
  }
  return new Uint32Array(0);
}

parentPort?.on("message", (request: DirectoryRequest | UpdateRequest | SparesRequest) => {
  try {
    const stats =
      request.op === "update" ? update(request) : request.op === "spares" ? spares(request) : writeDirectory(request);
    const buffer = stats.buffer as ArrayBuffer;
    parentPort?.postMessage({ id: request.id, stats: buffer }, [buffer]);
  } catch (e) {
    parentPort?.postMessage({ id: request.id, error: e instanceof Error ? e.message : String(e) });
  }
});
