/**
 * git-object-store: prolly-tree nodes, trees, commits and refs in a Git object database.
 * Nodes are Git objects and node ids are Git object ids; refs are updated with Git's lock-file
 * protocol; the working tree and index are reached through the user's `git`.
 * @packageDocumentation
 */
export { GIT_ERROR_CODES, type GitErrorCode, GitStoreError, type GitStoreErrorOptions, isGitStoreError } from "./errors.js";
export {
  EMPTY_TREE_ID,
  ZERO_ID,
  type ObjectId,
  type ObjectInput,
  type ObjectType,
  type StoredObject,
  hashObject,
  isObjectId,
  nodeSha1,
  parseObjectId,
} from "./object-id.js";
export { DIR_MODE, FILE_MODE, type TreeEntry, type TreeEntryMode, compareTreeEntryNames, decodeTreeObject, encodeTreeObject, isTreeMode } from "./tree-object.js";
export { type Commit, type CommitData, type Signature, type TagObject, decodeCommit, decodeTag, encodeCommit, formatSignature, parseSignature } from "./commit-object.js";
export { type ObjectStore, type WriteObserver, nodeDatabase } from "./object-store.js";
export { GitObjectDatabase, type GitObjectDatabaseOptions } from "./git-object-database.js";
export { MemoryObjectStore } from "./memory-object-store.js";
export { PackWriter, type WrittenPack } from "./pack-writer.js";
export { PackFile, DeltaBaseCache } from "./pack-file.js";
export { type RefDeleteOptions, type RefEntry, type RefStore, type RefUpdateOptions, type RefValue } from "./ref-store.js";
export { GitRefStore, type GitRefStoreOptions } from "./git-ref-store.js";
export { MemoryRefStore } from "./memory-ref-store.js";
export { assertValidBranchName, assertValidRefName, branchNameProblem, refNameProblem } from "./ref-name.js";
export { FileStateStore, MemoryStateStore, type StateStore } from "./state-store.js";
export { type Identity, parseGitDate, signatureFromEnv } from "./identity.js";
export { type TreeEdit, editTree } from "./tree-edit.js";
export { type EntryRef, type PathChange, diffTreePaths } from "./tree-diff.js";
export { type PeelTarget, type RevisionContext, expandRefName, resolveRevision } from "./revision.js";
export { type CommitReader, isAncestor, mergeBases } from "./merge-base.js";
export { type WalkOptions, walkCommits } from "./commit-walk.js";
export { type Head, Repository } from "./repository.js";
export { type RepositoryLayout, findRepository, isGitDirectory } from "./repository-layout.js";
export { GitRepository, type InitGitRepositoryOptions, type OpenGitRepositoryOptions, initGitRepository, openGitRepository } from "./git-repository.js";
export { MemoryRepository, createMemoryRepository } from "./memory-repository.js";
export { type GitResult, type RunGitOptions, runGit } from "./git-cli.js";
export { type CachedTree, type GitIndex, type IndexEntry, parseIndex } from "./git-index.js";
export { type StatusLine, Worktree } from "./worktree.js";
export { type MaterializedFile, type MaterializedTree, TreeMaterializer } from "./tree-materializer.js";
export { splitTreePath } from "./tree-path.js";
export { type TreeMergeOptions, type TreeMergeResult, mergeTreesByPath } from "./tree-merge.js";
