/**
 * The file writer thread's module (started by {@link FileWriter}): creates a directory, writes its
 * files with synchronous calls, moves subdirectories in, and answers `{ id, stats }` ({@link
 * STAT_FIELDS} values per file), or `{ id, error }`.
 */
import * as fs from "node:fs";
import { parentPort } from "node:worker_threads";
import type { DirectoryJob } from "./file-writer.js";
import { STAT_FIELDS, statFields } from "./stat-fields.js";

/** One directory job as posted: a {@link DirectoryJob} with its data as a transferred buffer. */
export type DirectoryRequest = Omit<DirectoryJob, "data"> & { readonly id: number; readonly data: ArrayBuffer };

parentPort?.on("message", ({ id, dir, names, modes, data, lengths, moves }: DirectoryRequest) => {
  try {
    fs.mkdirSync(dir);
    const input = new Uint8Array(data);
    const stats = new Uint32Array(names.length * STAT_FIELDS);
    let o = 0;
    for (let i = 0; i < names.length; i++) {
      const n = lengths[i] ?? 0;
      const fd = fs.openSync(`${dir}/${names[i]}`, "wx", modes[i]);
      try {
        for (let w = 0; w < n;) w += fs.writeSync(fd, input, o + w, n - w);
        statFields(fs.fstatSync(fd, { bigint: true }), stats, i * STAT_FIELDS);
      } finally {
        fs.closeSync(fd);
      }
      o += n;
    }
    for (const [from, name] of moves) fs.renameSync(from, `${dir}/${name}`);
    parentPort?.postMessage({ id, stats: stats.buffer }, [stats.buffer]);
  } catch (e) {
    parentPort?.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
