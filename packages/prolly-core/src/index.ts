/**
 * prolly-core: a canonical, content-defined prolly tree whose nodes are Git objects.
 * Pure TypeScript, no I/O, no runtime dependencies.
 * @packageDocumentation
 */
export {
  PROLLY_ERROR_CODES,
  ProllyError,
  type ProllyErrorCode,
  type ProllyErrorOptions,
  isProllyError,
} from "./errors.js";
export {
  compareBytes,
  concatBytes,
  equalBytes,
  fromHex,
  fromUtf8,
  hasPrefix,
  prefixEnd,
  toHex,
  utf8,
} from "./bytes.js";
export { sha1, type HashFunction } from "./sha1.js";
export { MAX_KEY_BYTES, MAX_VALUE_BYTES, assertValidKey, assertValidValue } from "./limits.js";
export { type InternalNode, type LeafNode, type NodeId, type ProllyNode, leafNode } from "./node.js";
export { NODE_FORMAT_VERSION, blobKind, decodeIndex, decodeLeaf, encodeIndex } from "./node-codec.js";
export {
  type GitObject,
  type GitObjectType,
  type TreeEntry,
  type TreeEntryMode,
  compareTreeEntries,
  decodeTree,
  encodeTree,
  gitObjectId,
  objectHeader,
} from "./git-object.js";
export { INDEX_ENTRY_NAME, childName } from "./child-name.js";
export { type EncodedNode, type RawObject } from "./node-objects.js";
export { type NodeStore, type NodeStoreStats } from "./node-store.js";
export { NodeCache } from "./node-cache.js";
export { MemoryObjectDatabase, type ObjectDatabase } from "./object-database.js";
export { ObjectNodeStore, type ObjectNodeStoreOptions, createMemoryNodeStore } from "./object-node-store.js";
export { type ChunkingConfig, DEFAULT_CHUNKING, assertValidChunking } from "./chunking-config.js";
export { type Entry, type TreeOptions, buildTree, emptyTree } from "./build-tree.js";
export { type Edit, applyEdits } from "./apply-edits.js";
export { getValue } from "./get-value.js";
export { type ScanOptions, scanEntries } from "./scan-entries.js";
export { type DiffEntry, diffTrees } from "./diff-trees.js";
export {
  type ConflictKind,
  type ConflictResolver,
  type MergeConflict,
  type MergeOptions,
  type MergeResult,
  mergeTrees,
} from "./merge-trees.js";
export {
  type KeyProof,
  type ProofStep,
  type ProofVerdict,
  decodeProof,
  encodeProof,
  proveKey,
  verifyProof,
} from "./key-proof.js";
export { type TreeStats, treeStats } from "./tree-stats.js";
