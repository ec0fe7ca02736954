/**
 * Object ids and the raw object format: `"<type> <size>\0" + content`, hashed with SHA-1.
 */
import { createHash } from "node:crypto";
import {
  type GitObjectType,
  type HashFunction,
  type NodeId,
  type RawObject,
  gitObjectId,
  objectHeader,
} from "@git-prolly/prolly-core";
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";

/**
 * A Git object id: 40 lowercase hexadecimal digits (SHA-1). The same type as prolly-core's
 * {@link NodeId} (a node id is the id of a Git object), so ids pass between the packages without
 * casts; make one from untrusted text with {@link parseObjectId}.
 */
export type ObjectId = NodeId;

/** The four Git object types (prolly-core's `GitObjectType`). */
export type ObjectType = GitObjectType;

/** An object's type and content, as stored (prolly-core's `RawObject`). */
export type StoredObject = RawObject;

/** An object to store; `id` is computed when absent. */
export interface ObjectInput {
  readonly type: ObjectType;
  readonly content: Uint8Array;
  readonly id?: ObjectId;
}

/** The id of the empty tree, which Git treats as always present. */
export const EMPTY_TREE_ID = "4b825dc642cb6eb9a060e54bf8d69288fbee4904" as ObjectId;

/** The all-zero id Git uses for "no object" (e.g. in reflogs and `update-index` removals). */
export const ZERO_ID = "0000000000000000000000000000000000000000" as ObjectId;

const OBJECT_ID = /^[0-9a-f]{40}$/;

/** True when `text` is a full object id. */
export function isObjectId(text: string): boolean {
  return OBJECT_ID.test(text);
}

/**
 * Checks and returns a full object id.
 * @throws {GitStoreError} GIT_INVALID_OBJECT_ID
 */
export function parseObjectId(text: string): ObjectId {
  if (!isObjectId(text)) {
    throw new GitStoreError(
      GIT_ERROR_CODES.INVALID_OBJECT_ID,
      `not an object id: ${JSON.stringify(text.slice(0, 60))}`,
      {
        hint: "Pass the full 40-character lowercase hexadecimal id, or resolve a revision first.",
        data: { id: text.slice(0, 60) },
      },
    );
  }
  return text;
}

/** @internal The id stored as 20 raw bytes at `offset` of `bytes` (valid by construction). */
export function objectIdAt(bytes: Buffer, offset: number): ObjectId {
  return bytes.toString("hex", offset, offset + 20) as ObjectId;
}

/** SHA-1 from node:crypto, in prolly-core's {@link HashFunction} shape (fast on Node). */
export const nodeSha1: HashFunction = (parts) => {
  const h = createHash("sha1");
  for (const p of parts) h.update(p);
  return h.digest();
};

export { objectHeader };

/** The id of `content` stored as an object of `type` (prolly-core's `gitObjectId` with node:crypto's SHA-1). */
export function hashObject(type: ObjectType, content: Uint8Array): ObjectId {
  return gitObjectId(type, content, nodeSha1);
}

/** Object type names by the numeric codes used in packfiles. */
export const PACK_TYPE_NAMES: Readonly<Record<number, ObjectType>> = { 1: "commit", 2: "tree", 3: "blob", 4: "tag" };

/** Numeric packfile codes by object type. */
export const PACK_TYPE_CODES: Readonly<Record<ObjectType, number>> = { commit: 1, tree: 2, blob: 3, tag: 4 };

/**
 * Splits a loose object's inflated bytes into type and content.
 * @internal
 */
export function unwrapObject(id: ObjectId, raw: Uint8Array): StoredObject {
  const space = raw.indexOf(0x20);
  const nul = raw.indexOf(0, space + 1);
  if (space < 0 || nul < 0) throw corruptHeader(id);
  const type = Buffer.from(raw.subarray(0, space)).toString("latin1");
  const size = Number(Buffer.from(raw.subarray(space + 1, nul)).toString("latin1"));
  if (type !== "blob" && type !== "tree" && type !== "commit" && type !== "tag") throw corruptHeader(id);
  if (!Number.isSafeInteger(size) || size !== raw.length - nul - 1) throw corruptHeader(id);
  return { type, content: raw.subarray(nul + 1) };
}

function corruptHeader(id: ObjectId): GitStoreError {
  return new GitStoreError(GIT_ERROR_CODES.OBJECT_CORRUPT, `object ${id} is corrupt: bad header`, {
    hint: "Run `git fsck` to find damaged objects, then restore them from a clone or a backup.",
    data: { id },
  });
}
