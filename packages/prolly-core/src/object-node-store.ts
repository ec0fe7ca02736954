import { PROLLY_ERROR_CODES, ProllyError } from "./errors.js";
import type { NodeId, ProllyNode } from "./node.js";
import { NodeCache } from "./node-cache.js";
import { decodeIndexTable, decodeLeaf } from "./node-codec.js";
import { PackedInternal } from "./packed-internal.js";
import { type EncodedNode, encodeNode, readNodeObjects } from "./node-objects.js";
import type { NodeStore, NodeStoreStats } from "./node-store.js";
import { MemoryObjectDatabase, type ObjectDatabase } from "./object-database.js";
import { type HashFunction, sha1 } from "./sha1.js";

/** Options of {@link ObjectNodeStore}. */
export interface ObjectNodeStoreOptions {
  /** SHA-1 implementation; defaults to prolly-core's own. */
  hash?: HashFunction;
  /** Bound of the decoded-node cache in bytes (default 64 MiB); 0 disables it. */
  cacheBytes?: number;
}

/**
 * A {@link NodeStore} over any {@link ObjectDatabase}: nodes are encoded as Git objects
 * (ids are Git object ids) and decoded nodes are kept in a bounded {@link NodeCache}.
 */
export class ObjectNodeStore implements NodeStore {
  readonly hash: HashFunction;
  readonly cache: NodeCache;
  /** Read, miss and write counters. */
  readonly stats: NodeStoreStats = { reads: 0, misses: 0, writes: 0 };
  readonly #read: (id: NodeId) => ReturnType<ObjectDatabase["read"]>;
  readonly #reading = new Map<NodeId, Promise<ProllyNode>>();

  constructor(
    readonly objects: ObjectDatabase,
    options: ObjectNodeStoreOptions = {},
  ) {
    this.hash = options.hash ?? sha1;
    this.cache = new NodeCache(options.cacheBytes ?? 64 * 1024 * 1024);
    this.#read = (id) => objects.read(id);
  }

  peek(id: NodeId): ProllyNode | undefined {
    const hit = this.cache.get(id);
    if (hit !== undefined) this.stats.reads++;
    return hit;
  }

  async get(id: NodeId): Promise<ProllyNode> {
    this.stats.reads++;
    const hit = this.cache.get(id);
    if (hit !== undefined) return hit;
    // A read already under way (a read-ahead) is shared, not repeated.
    const running = this.#reading.get(id);
    if (running !== undefined) return running;
    this.stats.misses++;
    const read = this.#load(id);
    this.#reading.set(id, read);
    try {
      return await read;
    } finally {
      this.#reading.delete(id);
    }
  }

  async #load(id: NodeId): Promise<ProllyNode> {
    const node = await readNodeObjects(id, this.#read);
    if (node === undefined) {
      throw new ProllyError(PROLLY_ERROR_CODES.NODE_NOT_FOUND, `node ${id} not found`, {
        hint: "The store is missing objects: fetch them from a remote, or check that the root id belongs to this store.",
        data: { id },
      });
    }
    this.cache.set(id, node);
    return node;
  }

  async put(node: ProllyNode): Promise<NodeId> {
    this.stats.writes++;
    const encoded = encodeNode(node, this.hash);
    await this.objects.write(encoded.objects);
    // Cache nodes in their packed form: it shares the encoded bytes and is far smaller.
    this.cache.set(encoded.id, packed(node, encoded));
    return encoded.id;
  }
}

/**
 * A node store in memory (an in-memory object database plus the node cache).
 *
 * @example
 * ```ts
 * const store = createMemoryNodeStore();
 * const root = await buildTree(store, entries);
 * ```
 */
export function createMemoryNodeStore(options: ObjectNodeStoreOptions = {}): ObjectNodeStore {
  return new ObjectNodeStore(new MemoryObjectDatabase(), options);
}

function packed(node: ProllyNode, encoded: EncodedNode): ProllyNode {
  const first = encoded.objects[0]!;
  if (node.kind === "leaf") return node.encoded === undefined ? decodeLeaf(first.content) : node;
  if (node instanceof PackedInternal) return node;
  const { table } = decodeIndexTable(first.content);
  const encoding = { indexId: first.id, index: first.content, tree: encoded.objects[1]!.content };
  return new PackedInternal(node.level, first.content, table, [...node.children], encoding);
}
