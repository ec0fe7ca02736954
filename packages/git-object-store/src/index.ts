/**
 * git-object-store: prolly-tree nodes, trees, commits and refs in a Git object database.
 * Nodes are Git objects and node ids are Git object ids; refs are updated with Git's lock-file
 * protocol; the working tree and index are reached through the user's `git`.
 * @packageDocumentation
 */
export {
  GIT_ERROR_CODES,
  type GitErrorCode,
  GitStoreError,
  type GitStoreErrorOptions,
  isGitStoreError,
} from "./errors.js";
export {
  EMPTY_TREE_ID,
  type ObjectId,
  type ObjectInput,
  type ObjectType,
  type StoredObject,
  nodeSha1,
} from "./objects/object-id.js";
export {
  DIR_MODE,
  FILE_MODE,
  type TreeEntry,
  type TreeEntryMode,
  decodeTreeObject,
  encodeTreeObject,
} from "./objects/tree-object.js";
export { type Commit, type CommitData, type Signature, type TagObject } from "./objects/commit-object.js";
export { type ObjectStore, type WriteObserver } from "./objects/object-store.js";
export { GitObjectDatabase, type GitObjectDatabaseOptions } from "./objects/git-object-database.js";
export {
  type RefDeleteOptions,
  type RefEntry,
  type RefStore,
  type RefUpdateOptions,
  type RefValue,
} from "./refs/ref-store.js";
export { branchNameProblem } from "./refs/ref-name.js";
export { FileStateStore, type StateStore } from "./repository/state-store.js";
export { type Identity } from "./history/identity.js";
export { type TreeEdit, editTree } from "./trees/tree-edit.js";
export { type EntryRef, type PathChange, diffTreePaths } from "./trees/tree-diff.js";
export { type PeelTarget, type RevisionContext, resolveRevision } from "./refs/revision.js";
export { type CommitReader, isAncestor, mergeBases } from "./history/merge-base.js";
export { type WalkOptions, walkCommits } from "./history/commit-walk.js";
export { type Head, Repository } from "./repository/repository.js";
export { type RepositoryLayout, findRepository } from "./repository/repository-layout.js";
export {
  GitRepository,
  type InitGitRepositoryOptions,
  type OpenGitRepositoryOptions,
  initGitRepository,
  openGitRepository,
} from "./repository/git-repository.js";
export { MemoryRepository, createMemoryRepository } from "./repository/memory-repository.js";
export type { CachedTree, GitIndex, IndexEntry } from "./worktree/git-index.js";
export { type StatusLine, Worktree } from "./worktree/worktree.js";
export { type PreparedChanges, discardPrepared } from "./worktree/bulk-writes.js";
export { type MaterializedFile, type MaterializedTree, TreeMaterializer } from "./worktree/tree-materializer.js";
export { type TreeMergeOptions, type TreeMergeResult, mergeTreesByPath } from "./trees/tree-merge.js";
