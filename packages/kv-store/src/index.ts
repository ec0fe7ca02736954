/**
 * kv-store: `VersionedKvStore`, a versioned key-value store that lives in Git — prolly-tree
 * nodes are Git objects checked out as files, staging is Git's index, history is Git's.
 * @packageDocumentation
 */
export { VersionedKvStore, type ImportOptions, type InitOptions } from "./versioned-kv-store.js";
export { type LocateOptions } from "./locate-dataset.js";
export { KV_ERROR_CODES, type KvErrorCode, KvStoreError, type KvStoreErrorOptions, isKvStoreError } from "./errors.js";
export { type Bytes, toBytes } from "./bytes.js";
export {
  DATASET_FORMAT,
  DATASET_FORMAT_VERSION,
  MANIFEST_NAME,
  ROOT_NAME,
  type DatasetManifest,
  createManifest,
  encodeManifest,
  parseManifest,
} from "./manifest.js";
export { type DatasetState } from "./dataset-state.js";
export type {
  AtRef,
  BranchInfo,
  ChangeKind,
  CheckoutOptions,
  CheckoutResult,
  CommitInfo,
  CommitOptions,
  FollowKind,
  Following,
  KeyHistoryEntry,
  KvChange,
  KvConflict,
  KvEdit,
  KvEntry,
  ListOptions,
  LogOptions,
  MergeOptions,
  MergeOutcome,
  MergePhase,
  RevertOutcome,
  ShowResult,
  StatusEntry,
} from "./types.js";
