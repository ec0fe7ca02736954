/**
 * Loose objects: one zlib-deflated file per object under `objects/<2 hex>/<38 hex>`, written to a
 * temporary file and renamed into place (a reader never sees half an object). Reads and the
 * writes of small batches use synchronous calls: a loose object is small, and a system call on
 * the page cache takes microseconds where a trip through libuv's thread pool costs more.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, promises as fsp, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync, inflateSync } from "node:zlib";
import { objectCorrupt } from "../errors.js";
import { isMissing } from "../is-missing.js";
import { type ObjectId, type StoredObject, hashObject, objectHeader, unwrapObject } from "./object-id.js";

function loosePath(objectsDir: string, id: ObjectId): string {
  return join(objectsDir, id.slice(0, 2), id.slice(2));
}

/** The bytes of a loose object file: header and content, deflated. */
function looseBytes(o: StoredObject): Buffer {
  return deflateSync(Buffer.concat([objectHeader(o.type, o.content.length), o.content]), { level: 1 });
}

/**
 * The loose object `id`, checked against its id, or `undefined` when there is no such file.
 * @throws {GitStoreError} GIT_OBJECT_CORRUPT when it does not inflate or hash to its id.
 */
export function readLooseObject(objectsDir: string, id: ObjectId): StoredObject | undefined {
  let deflated: Buffer;
  try {
    deflated = readFileSync(loosePath(objectsDir, id));
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
  let raw: Buffer;
  try {
    raw = inflateSync(deflated);
  } catch (cause) {
    throw objectCorrupt(id, "cannot inflate loose object", cause);
  }
  const obj = unwrapObject(id, raw);
  if (hashObject(obj.type, obj.content) !== id) throw objectCorrupt(id, "content does not match its id");
  return obj;
}

/** True when the loose object file of `id` exists. */
export function hasLooseObject(objectsDir: string, id: ObjectId): boolean {
  try {
    return statSync(loosePath(objectsDir, id), { throwIfNoEntry: false }) !== undefined;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

/** Writes `o` as the loose object `id` unless it exists (synchronous calls, for small batches). */
export function writeLooseObjectSync(objectsDir: string, id: ObjectId, o: StoredObject): void {
  if (hasLooseObject(objectsDir, id)) return;
  const dir = join(objectsDir, id.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `tmp_obj_${randomBytes(6).toString("hex")}`);
  writeFileSync(temp, looseBytes(o), { mode: 0o444, flag: "wx" });
  try {
    renameSync(temp, loosePath(objectsDir, id));
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** {@link writeLooseObjectSync} with promise-based calls (many objects written concurrently). */
export async function writeLooseObject(objectsDir: string, id: ObjectId, o: StoredObject): Promise<void> {
  if (hasLooseObject(objectsDir, id)) return;
  const dir = join(objectsDir, id.slice(0, 2));
  await fsp.mkdir(dir, { recursive: true });
  const temp = join(dir, `tmp_obj_${randomBytes(6).toString("hex")}`);
  await fsp.writeFile(temp, looseBytes(o), { mode: 0o444, flag: "wx" });
  try {
    await fsp.rename(temp, loosePath(objectsDir, id));
  } catch (e) {
    await fsp.rm(temp, { force: true });
    throw e;
  }
}
