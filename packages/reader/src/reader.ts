/**
 * `open(path)` and the {@link Reader} it returns: synchronous, read-only access to one version
 * of a dataset. Synchronous by design: a lookup reads at most one small file per tree level and
 * nothing once cached, so promises would only add cost, and configuration can be read at
 * module top level in ESM and CommonJS alike.
 */
import { type LeafNode, compareBytes, prefixEnd } from "@git-prolly/prolly-core";
import { fail } from "./errors.js";
import { fileSource } from "./file-source.js";
import { checkManifest } from "./manifest.js";
import { type IndexNode, type NodeSource, type TreeNode, checkChild } from "./node-tree.js";
import { decoder, encoder, readFile } from "./read-file.js";
import { refSource } from "./ref-source.js";

/** A key: bytes, or a string (stored as UTF-8). */
export type Key = string | Uint8Array;

/** Turns a stored value into the caller's type; it may throw to reject the value. */
export type Decoder<T> = (value: Uint8Array, key: Uint8Array) => T;

/** Options of {@link open}. */
export interface OpenOptions {
  /** Read this commit (branch, tag, full or short id, `~n`/`^n`) from the repository instead of the checked-out files. */
  readonly ref?: string;
  /** Bound of the decoded nodes kept in memory, in bytes (default 128 MiB). */
  readonly cacheBytes?: number;
}

/** Bounds of {@link Reader.list}: `start` inclusive, `end` exclusive, both narrowed by `prefix`. */
export interface ListOptions {
  readonly prefix?: Key;
  readonly start?: Key;
  readonly end?: Key;
  /** Descending key order. */ readonly reverse?: boolean;
  /** Stop after this many entries. */ readonly limit?: number;
}

/** One entry of a listing (copies: changing them changes nothing stored). */
export interface ReaderEntry { readonly key: Uint8Array; readonly value: Uint8Array }

const scratch = new Uint8Array(256);
const views: Uint8Array[] = [];

/** A key's bytes; short ASCII strings (most keys) go to a shared scratch buffer without allocating: copy what you keep. */
function keyBytes(key: Key): Uint8Array {
  if (typeof key === "string" && key.length > 0 && key.length <= 256) {
    let i = 0;
    for (let c = 0; i < key.length && (c = key.charCodeAt(i)) < 0x80; i++) scratch[i] = c;
    if (i === key.length) return (views[i] ??= scratch.subarray(0, i));
  }
  const k = typeof key === "string" ? encoder.encode(key) : key instanceof Uint8Array ? key : undefined;
  if (k === undefined || k.length === 0 || k.length > 65536) {
    const why = k === undefined ? `a key must be a string or a Uint8Array, not ${typeof key}` : `a key of ${k.length} bytes is out of range`;
    throw fail("READER_INVALID_KEY", why, { type: typeof key, length: k?.length ?? null });
  }
  return k;
}

const shown = (key: Uint8Array): string => JSON.stringify(decoder.decode(key.subarray(0, 200)));

/**
 * Opens a dataset directory for reading: the checked-out files by default (no `.git` needed),
 * or the committed version `options.ref` from the repository that contains the directory.
 *
 * A reader is a snapshot: open again after the files change (a deploy, a `git checkout`).
 *
 * @throws {ReaderError} READER_NOT_FOUND, READER_NOT_A_DATASET, READER_FORMAT_UNSUPPORTED,
 *   READER_NODE_MISSING, READER_NODE_CORRUPT; with `ref` also READER_REPOSITORY_NOT_FOUND,
 *   READER_UNKNOWN_REF, READER_AMBIGUOUS_REF, READER_OBJECT_CORRUPT
 *
 * @example
 * ```ts
 * const config = open("./config");
 * config.getString("app:name"); // "MyApp"
 * const staging = open("./config", { ref: "staging" });
 * ```
 */
export function open(path: string, options: OpenOptions = {}): Reader {
  const dir = path.replace(/[\\/]+$/, "") || "/";
  if (options.ref !== undefined) return new Reader(dir, options, refSource(dir, options.ref));
  const manifest = readFile(`${dir}/prolly.json`);
  if (typeof manifest === "string") {
    const what = readFile(dir);
    if (what === "ENOENT" || what === "ENOTDIR") throw fail("READER_NOT_FOUND", `dataset directory ${dir} does not exist`, { path: dir });
    throw fail("READER_NOT_A_DATASET", `${dir} is not a dataset: it has no prolly.json`, { path: dir });
  }
  checkManifest(manifest, `${dir}/prolly.json`);
  return new Reader(dir, options, { source: fileSource(dir) });
}

/** Read-only access to one version of a dataset; made by {@link open}. */
export class Reader {
  /** The commit read (`{ ref }` mode), else `undefined`. */
  readonly commit: string | undefined;
  /** The ref given to {@link open}, else `undefined` (checked-out files). */
  readonly ref: string | undefined;
  readonly #source: NodeSource;
  readonly #root: TreeNode;
  readonly #limit: number;
  readonly #close: (() => void) | undefined;
  #weight = 0;

  /** @internal Use {@link open}. */
  constructor(readonly path: string, options: OpenOptions, version: { source: NodeSource; commit?: string; close?: () => void }) {
    ({ source: this.#source, commit: this.commit, close: this.#close } = version);
    this.#limit = options.cacheBytes ?? 128 * 1024 * 1024;
    this.ref = options.ref;
    this.#root = this.#source.root();
  }

  /**
   * The value of `key` (a copy), or `undefined` when absent; with `decode`, the decoded value.
   * @throws {ReaderError} READER_INVALID_KEY, READER_DECODE_FAILED, and the storage codes of {@link open}
   *
   * @example
   * ```ts
   * const ttl = config.get("cache:ttl", (v) => Number(new TextDecoder().decode(v))); // number | undefined
   * ```
   */
  get(key: Key): Uint8Array | undefined;
  get<T>(key: Key, decode: Decoder<T>): T | undefined;
  get<T>(key: Key, decode?: Decoder<T>): T | Uint8Array | undefined {
    const k = keyBytes(key);
    const v = this.#lookup(k);
    return v === undefined ? undefined : this.#decode(k, v, decode);
  }

  /** The value of `key` as UTF-8 text, or `undefined`. */
  getString(key: Key): string | undefined {
    const v = this.#lookup(keyBytes(key));
    return v === undefined ? undefined : decoder.decode(v);
  }

  /** The value of `key`, decoded when `decode` is given. @throws {ReaderError} READER_KEY_NOT_FOUND when it is absent */
  getOrThrow(key: Key): Uint8Array;
  getOrThrow<T>(key: Key, decode: Decoder<T>): T;
  getOrThrow<T>(key: Key, decode?: Decoder<T>): T | Uint8Array {
    const k = keyBytes(key);
    const v = this.#lookup(k);
    if (v !== undefined) return this.#decode(k, v, decode);
    throw fail("READER_KEY_NOT_FOUND", `key ${shown(k)} not found in ${this.path}${this.ref === undefined ? "" : ` at ${this.ref}`}`, this.#about(k));
  }

  /** True when `key` is present. */
  has(key: Key): boolean {
    return this.#lookup(keyBytes(key)) !== undefined;
  }

  /** Entries in key order (or reverse order) within the bounds: `for (const { key, value } of config.list({ prefix: "app:" }))`. */
  *list(options: ListOptions = {}): Generator<ReaderEntry, void, undefined> {
    const bound = (k: Key | undefined): Uint8Array | undefined => (k === undefined ? undefined : new Uint8Array(keyBytes(k)));
    const prefix = bound(options.prefix);
    let lo = bound(options.start);
    let hi = bound(options.end);
    if (prefix !== undefined) {
      if (lo === undefined || compareBytes(lo, prefix) < 0) lo = prefix;
      const end = prefixEnd(prefix);
      if (end !== undefined && (hi === undefined || compareBytes(end, hi) < 0)) hi = end;
    }
    let left = options.limit ?? Infinity;
    if (left <= 0 || (lo !== undefined && hi !== undefined && compareBytes(lo, hi) >= 0)) return;
    for (const [key, value] of this.#walk(this.#root, lo, hi, options.reverse === true)) {
      yield { key: new Uint8Array(key), value: new Uint8Array(value) };
      if (--left <= 0) return;
    }
  }

  /** Releases open pack files (`{ ref }` mode); the reader stays usable and reopens them. */
  close(): void {
    this.#close?.();
  }

  /** The stored value of `k` (a view into the cached leaf), or `undefined`. */
  #lookup(k: Uint8Array): Uint8Array | undefined {
    let t = this.#root;
    while (t.kids !== undefined) {
      const i = t.floor!(k);
      if (i < 0) return undefined;
      t = t.kids[i] ?? this.#load(t, i);
    }
    const leaf = t.node as LeafNode;
    const i = leaf.indexOf(k);
    return i < 0 ? undefined : leaf.value(i);
  }

  /** A copy of `v`, or what `decode` makes of it. */
  #decode<T>(k: Uint8Array, v: Uint8Array, decode: Decoder<T> | undefined): T | Uint8Array {
    // A copy (Buffer's slice would be a view): a caller changing it must not change the cache.
    const copy = new Uint8Array(v);
    if (decode === undefined) return copy;
    k = new Uint8Array(k);
    try {
      return decode(copy, new Uint8Array(k));
    } catch (cause) {
      throw fail("READER_DECODE_FAILED", `the value of key ${shown(k)} could not be decoded: ${cause instanceof Error ? cause.message : String(cause)}`, this.#about(k), cause);
    }
  }

  #about(k: Uint8Array): Record<string, unknown> {
    return { key: decoder.decode(k.subarray(0, 200)), path: this.path, ref: this.ref ?? null };
  }

  #load(parent: TreeNode, i: number): TreeNode {
    const child = checkChild(parent, i, this.#source.child(parent, i));
    this.#weight += child.weight;
    if (this.#weight > this.#limit) {
      // Over the bound: drop everything below the root and start again. Simpler and cheaper
      // per lookup than an LRU, and a reader whose working set fits never gets here.
      this.#root.kids?.fill(undefined);
      this.#weight = child.weight;
    }
    parent.kids![i] = child;
    return child;
  }

  /** Entries of `t`'s subtree in [lo, hi); returns true once past the bound in walking order. */
  *#walk(t: TreeNode, lo: Uint8Array | undefined, hi: Uint8Array | undefined, rev: boolean): Generator<[Uint8Array, Uint8Array], boolean, undefined> {
    const step = rev ? -1 : 1;
    if (t.kids === undefined) {
      const n = t.node as LeafNode;
      const at = (k: Uint8Array, f = n.find(k)): number => (f < 0 ? -f - 1 : f);
      for (let i = rev ? (hi === undefined ? n.count : at(hi)) - 1 : lo === undefined ? 0 : at(lo); i >= 0 && i < n.count; i += step) {
        const k = n.key(i);
        if (rev ? lo !== undefined && compareBytes(k, lo) < 0 : hi !== undefined && compareBytes(k, hi) >= 0) return true;
        yield [k, n.value(i)];
      }
      return false;
    }
    const n = t.node as IndexNode;
    for (let i = rev ? (hi === undefined ? n.count - 1 : t.floor!(hi)) : lo === undefined ? 0 : Math.max(0, t.floor!(lo)); i >= 0 && i < n.count; i += step) {
      if (!rev && hi !== undefined && compareBytes(n.key(i), hi) >= 0) return true;
      if (yield* this.#walk(t.kids[i] ?? this.#load(t, i), lo, hi, rev)) return true;
      if (rev && lo !== undefined && compareBytes(n.key(i), lo) <= 0) return true;
    }
    return false;
  }
}
