/**
 * Commit and annotated-tag objects: the text formats Git writes, parsed and produced.
 */
import { objectCorrupt } from "../errors.js";
import { type ObjectId, isObjectId } from "./object-id.js";

/** An author, committer or tagger with the time of the act. */
export interface Signature {
  readonly name: string;
  readonly email: string;
  /** Seconds since the Unix epoch. */
  readonly timestamp: number;
  /** Offset of the local time zone from UTC in minutes (`+0130` is 90). */
  readonly timezoneOffset: number;
}

/** What a commit holds. */
export interface CommitData {
  readonly tree: ObjectId;
  readonly parents: readonly ObjectId[];
  readonly author: Signature;
  readonly committer: Signature;
  readonly message: string;
}

/** A commit with its id. */
export interface Commit extends CommitData {
  readonly id: ObjectId;
}

/** An annotated tag object (only the fields needed to peel it). */
export interface TagObject {
  readonly object: ObjectId;
  readonly type: string;
  readonly tag: string;
  readonly message: string;
}

/** Formats a signature the way Git writes it: `Name <email> 1700000000 +0100`. */
export function formatSignature(s: Signature): string {
  const sign = s.timezoneOffset < 0 ? "-" : "+";
  const abs = Math.abs(s.timezoneOffset);
  const tz = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
  return `${s.name} <${s.email}> ${s.timestamp} ${tz}`;
}

const SIGNATURE = /^(.*?) ?<([^<>]*)> (-?\d+) ([+-])(\d\d)(\d\d)$/;

/** Parses `Name <email> 1700000000 +0100`; returns `undefined` when it is not one. */
export function parseSignature(text: string): Signature | undefined {
  const m = SIGNATURE.exec(text);
  if (m === null) return undefined;
  const minutes = Number(m[5]) * 60 + Number(m[6]);
  return { name: m[1]!, email: m[2]!, timestamp: Number(m[3]), timezoneOffset: m[4] === "-" ? -minutes : minutes };
}

/** Encodes a commit object. The message gets a final newline when it lacks one, as Git does. */
export function encodeCommit(data: CommitData): Uint8Array {
  let text = `tree ${data.tree}\n`;
  for (const p of data.parents) text += `parent ${p}\n`;
  text += `author ${formatSignature(data.author)}\ncommitter ${formatSignature(data.committer)}\n\n`;
  text += data.message.endsWith("\n") ? data.message : `${data.message}\n`;
  return Buffer.from(text, "utf8");
}

/** Header lines (continuation lines folded in) and the message after the blank line. */
function splitHeaders(id: ObjectId, content: Uint8Array): { headers: [string, string][]; message: string } {
  const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("utf8");
  const end = text.indexOf("\n\n");
  const head = end < 0 ? text : text.slice(0, end);
  const headers: [string, string][] = [];
  for (const line of head.split("\n")) {
    if (line === "") continue;
    if (line.startsWith(" ")) {
      const last = headers[headers.length - 1];
      if (last === undefined) throw objectCorrupt(id, "continuation line without header");
      last[1] += `\n${line.slice(1)}`;
      continue;
    }
    const sp = line.indexOf(" ");
    headers.push(sp < 0 ? [line, ""] : [line.slice(0, sp), line.slice(sp + 1)]);
  }
  return { headers, message: end < 0 ? "" : text.slice(end + 2) };
}

/** Decodes a commit object. */
export function decodeCommit(id: ObjectId, content: Uint8Array): Commit {
  const { headers, message } = splitHeaders(id, content);
  let tree: string | undefined;
  const parentText: string[] = [];
  let author: Signature | undefined;
  let committer: Signature | undefined;
  const parents: ObjectId[] = [];
  for (const [key, value] of headers) {
    if (key === "tree" && tree === undefined) tree = value;
    else if (key === "parent") parentText.push(value);
    else if (key === "author" && author === undefined) author = parseSignature(value);
    else if (key === "committer" && committer === undefined) committer = parseSignature(value);
  }
  if (tree === undefined || !isObjectId(tree)) throw objectCorrupt(id, "commit without tree");
  for (const p of parentText) {
    if (!isObjectId(p)) throw objectCorrupt(id, "bad parent line");
    parents.push(p);
  }
  if (author === undefined || committer === undefined) throw objectCorrupt(id, "bad author or committer line");
  return { id, tree, parents, author, committer, message };
}

/** Decodes an annotated tag object. */
export function decodeTag(id: ObjectId, content: Uint8Array): TagObject {
  const { headers, message } = splitHeaders(id, content);
  const get = (k: string): string | undefined => headers.find((h) => h[0] === k)?.[1];
  const object = get("object");
  const type = get("type");
  if (object === undefined || !isObjectId(object) || type === undefined) throw objectCorrupt(id, "bad tag header");
  return { object, type, tag: get("tag") ?? "", message };
}
