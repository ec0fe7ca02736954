/**
 * The write buffer's journal: buffered edits appended to a file in the Git directory
 * (`<git dir>/prolly/datasets/<dataset>/journal/<time>-<pid>-<random>.journal`) before `set`
 * returns, so a process killed before it flushes loses nothing: the next process to open the
 * dataset finds the journal of a process that no longer runs and stages its edits.
 *
 * Each edit is one `write(2)` of one record (kind, key length, value length, key, value, CRC-32
 * of the record), without `fsync`: a returned edit survives the process being killed (the bytes
 * are in the kernel's page cache), not a crash of the operating system or a power loss. A record
 * cut short or damaged (the process died inside its `write`, the disk lost the tail) ends the
 * journal: the edits before it are replayed, it and anything after it are ignored.
 *
 * A journal belongs to one writer (a dataset opened in one process) until that writer flushes:
 * then its file is removed. Files are replaced, never rewritten: each flush seals the current
 * file and later edits go to a new one, so edits buffered while a flush runs are never lost with
 * the file being removed.
 */
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import type { Edit } from "@git-prolly/prolly-core";

const MAGIC = "git-prolly journal 1\n";
const SET = 1;
const DELETE = 2;
/** Record header: kind (1 byte), key length (4), value length (4). */
const HEAD = 9;
const EMPTY = new Uint8Array(0);

/** The owner recorded at the top of a journal. */
export interface JournalOwner {
  readonly pid: number;
  readonly host: string;
  readonly created: number;
}

/** Journals this process writes (by path): never replayed as another writer's, whatever their pid. */
const ownJournals = new Set<string>();

/** True unless no process of this host has `pid` (one we may not signal counts as running). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code !== "ESRCH";
  }
}

/** One record's bytes. */
function encodeRecord(e: Edit): Buffer {
  const value = e.value ?? EMPTY;
  const buf = Buffer.allocUnsafe(HEAD + e.key.length + value.length + 4);
  buf[0] = e.value === null ? DELETE : SET;
  buf.writeUInt32LE(e.key.length, 1);
  buf.writeUInt32LE(value.length, 5);
  buf.set(e.key, HEAD);
  buf.set(value, HEAD + e.key.length);
  const end = buf.length - 4;
  buf.writeUInt32LE(crc32(buf.subarray(0, end)), end);
  return buf;
}

/** A journal's owner and its intact edits, in order; `undefined` when the file is not a journal. */
export function decodeJournal(bytes: Buffer): { owner: JournalOwner; edits: Edit[] } | undefined {
  if (bytes.subarray(0, MAGIC.length).toString("latin1") !== MAGIC) return undefined;
  const eol = bytes.indexOf(10, MAGIC.length);
  if (eol < 0) return undefined;
  let owner: JournalOwner;
  try {
    owner = JSON.parse(bytes.subarray(MAGIC.length, eol).toString("utf8")) as JournalOwner;
  } catch {
    return undefined;
  }
  const edits: Edit[] = [];
  let at = eol + 1;
  while (at + HEAD + 4 <= bytes.length) {
    const kind = bytes[at];
    const keyLength = bytes.readUInt32LE(at + 1);
    const valueLength = bytes.readUInt32LE(at + 5);
    const end = at + HEAD + keyLength + valueLength;
    if ((kind !== SET && kind !== DELETE) || end + 4 > bytes.length || keyLength === 0) break;
    if (bytes.readUInt32LE(end) !== crc32(bytes.subarray(at, end))) break;
    const key = new Uint8Array(bytes.subarray(at + HEAD, at + HEAD + keyLength));
    edits.push({ key, value: kind === DELETE ? null : new Uint8Array(bytes.subarray(at + HEAD + keyLength, end)) });
    at = end + 4;
  }
  return { owner, edits };
}

/** A journal written by a writer that is gone, with its edits. */
export interface OrphanJournal {
  readonly path: string;
  readonly edits: readonly Edit[];
}

/**
 * The journals in `dir` whose writer no longer runs on this host, oldest first (a file that is
 * not a journal is left alone). Journals of other hosts (a Git directory on a shared disk) are
 * left to their host. Synchronous calls: every open of a dataset and every flush looks, and the
 * directory is almost always empty.
 */
export async function orphanJournals(dir: string): Promise<OrphanJournal[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as { code?: unknown }).code === "ENOENT" || (e as { code?: unknown }).code === "ENOTDIR") return [];
    throw e;
  }
  const out: OrphanJournal[] = [];
  const host = hostname();
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (name.endsWith(".journal.tmp")) {
      // A writer killed between creating its journal and naming it: it never acknowledged an edit.
      const pid = Number(/^\d+-(\d+)-/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) rmSync(path, { force: true });
      continue;
    }
    if (!name.endsWith(".journal") || ownJournals.has(path)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      if ((e as { code?: unknown }).code === "ENOENT") continue; // replayed by another process meanwhile
      throw e;
    }
    const j = decodeJournal(bytes);
    if (j === undefined) continue; // not a journal of this format: left alone
    if (j.owner.host !== host) continue;
    if (j.owner.pid !== process.pid && isRunning(j.owner.pid)) continue;
    out.push({ path, edits: j.edits });
  }
  return out;
}

/** Removes journal files (missing ones are fine). */
export async function removeJournals(paths: readonly string[]): Promise<void> {
  for (const p of paths) rmSync(p, { force: true });
}

/**
 * The journal of one writer: the file being appended to, and the sealed files whose edits are
 * still buffered (a flush failed or is running).
 */
export class EditJournal {
  #fd: number | undefined;
  #path: string | undefined;
  readonly #sealed: string[] = [];

  constructor(readonly dir: string) {}

  /** Appends edits; each is on the file (in the kernel) when this returns. */
  append(edits: readonly Edit[]): void {
    if (this.#fd === undefined) this.#open();
    for (const e of edits) writeSync(this.#fd!, encodeRecord(e));
  }

  #open(): void {
    mkdirSync(this.dir, { recursive: true });
    const owner: JournalOwner = { pid: process.pid, host: hostname(), created: Date.now() };
    const path = join(
      this.dir,
      `${owner.created.toString().padStart(14, "0")}-${process.pid}-${randomBytes(4).toString("hex")}.journal`,
    );
    ownJournals.add(path);
    // Named only once its header is written: a `.journal` file always says whose it is.
    const temp = `${path}.tmp`;
    let fd: number | undefined;
    try {
      fd = openSync(temp, "wx", 0o644);
      writeSync(fd, `${MAGIC}${JSON.stringify(owner)}\n`);
      renameSync(temp, path);
    } catch (e) {
      ownJournals.delete(path);
      if (fd !== undefined) closeSync(fd);
      rmSync(temp, { force: true });
      throw e;
    }
    this.#fd = fd;
    this.#path = path;
  }

  /**
   * Seals the current file (later edits go to a new one) and returns every sealed file: what a
   * flush that stages all buffered edits may remove once they are staged.
   */
  seal(): string[] {
    this.#closeFile();
    return [...this.#sealed];
  }

  /** The flush that staged the edits of `paths` removes them. */
  async remove(paths: readonly string[]): Promise<void> {
    await removeJournals(paths);
    for (const p of paths) {
      ownJournals.delete(p);
      const i = this.#sealed.indexOf(p);
      if (i >= 0) this.#sealed.splice(i, 1);
    }
  }

  /** Drops every file (the buffered edits were discarded). */
  async discard(): Promise<void> {
    await this.remove(this.seal());
  }

  /**
   * Closes the files without removing them; they are no longer this process's, so the next
   * `open` (here or elsewhere) replays what they hold.
   */
  release(): void {
    this.#closeFile();
    for (const p of this.#sealed) ownJournals.delete(p);
    this.#sealed.length = 0;
  }

  /** Paths of the files holding buffered edits (for messages). */
  get files(): readonly string[] {
    return this.#path === undefined ? [...this.#sealed] : [...this.#sealed, this.#path];
  }

  #closeFile(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#sealed.push(this.#path!);
    this.#fd = undefined;
    this.#path = undefined;
  }
}
