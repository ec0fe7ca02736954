import type { ConflictResolver, MergeConflict } from "@git-prolly/prolly-core";
import type { ObjectId, Signature } from "@git-prolly/git-object-store";
import type { Bytes } from "./bytes.js";

/** A key and its value. */
export interface KvEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** One staged change: set `key` to `value`, or delete it (`value: null`). */
export interface KvEdit {
  readonly key: Bytes;
  readonly value: Bytes | null;
}

/** Which revision to read: a branch, tag, commit id or expression like `main~2`. */
export interface AtRef {
  /** Read this revision instead of the staged state. */
  readonly ref?: string;
}

/** Bounds of a listing (`start` inclusive, `end` exclusive, both narrowed by `prefix`). */
export interface ListOptions extends AtRef {
  readonly prefix?: Bytes;
  readonly start?: Bytes;
  readonly end?: Bytes;
  readonly reverse?: boolean;
  /** Stop after this many entries. */
  readonly limit?: number;
}

/** How a key differs between two versions. */
export type ChangeKind = "added" | "modified" | "deleted";

/** A staged change of one key, as `status` reports it. */
export interface StatusEntry {
  readonly key: Uint8Array;
  readonly change: ChangeKind;
}

/** A key that differs between two versions, with both values (`null` where absent). */
export interface KvChange {
  readonly key: Uint8Array;
  readonly change: ChangeKind;
  readonly before: Uint8Array | null;
  readonly after: Uint8Array | null;
}

/** A commit as the store reports it. */
export interface CommitInfo {
  readonly id: ObjectId;
  readonly parents: readonly ObjectId[];
  readonly author: Signature;
  readonly committer: Signature;
  readonly message: string;
  /** First line of the message. */
  readonly subject: string;
}

/** Options of `commit`. */
export interface CommitOptions {
  /** Author (default: Git's identity). */
  readonly author?: Signature;
  /** Committer (default: Git's identity). */
  readonly committer?: Signature;
  /** Commit even when the dataset has no staged changes. */
  readonly allowEmpty?: boolean;
}

/** Options of `log`. */
export interface LogOptions extends AtRef {
  /** Stop after this many commits (default: no limit). */
  readonly limit?: number;
  /** Only commits that changed this dataset. */
  readonly datasetOnly?: boolean;
  /** Follow first parents only. */
  readonly firstParent?: boolean;
}

/** One commit that changed a key: its value after the commit (`null` = deleted). */
export interface KeyHistoryEntry {
  readonly commit: CommitInfo;
  readonly value: Uint8Array | null;
}

/** A branch and where it points. */
export interface BranchInfo {
  readonly name: string;
  readonly commit: ObjectId;
  readonly current: boolean;
}

/** Options of `checkout`. */
export interface CheckoutOptions {
  /**
   * Create the branch first (`checkout -b`), at the commit the dataset is at (the followed one),
   * and follow it; staged changes are kept.
   */
  readonly create?: boolean;
  /** Discard the dataset's uncommitted changes instead of refusing. */
  readonly force?: boolean;
}

/**
 * What a dataset's staged state is based on, and where `commit` and `merge` write:
 * - `"head"`: the repository's `HEAD` (the default; commits move HEAD's branch);
 * - `"branch"`: a branch checked out for this dataset alone (`checkout` in a dataset that is a
 *   sub-directory of a working tree); commits move that branch, HEAD stays;
 * - `"tag"`, `"commit"`: a tag or commit checked out for this dataset alone; read-only
 *   (`set`, `commit`, `merge` throw `KV_READ_ONLY`).
 */
export type FollowKind = "head" | "branch" | "tag" | "commit";

/** The whole picture of what a dataset follows (see {@link FollowKind}). */
export interface Following {
  /** The dataset's directory (`.` for the repository root). */
  readonly dataset: string;
  readonly kind: FollowKind;
  /**
   * Short name of what is followed: the branch (`production`) or tag (`v1.2.3`), the full commit
   * id for `"commit"`; for `"head"`, HEAD's branch (`undefined` when HEAD is detached).
   */
  readonly ref: string | undefined;
  /** The commit the dataset is at (its staged state's base); `undefined` before the first commit. */
  readonly commit: ObjectId | undefined;
  /**
   * For a followed branch: its tip now, when it moved since the dataset was checked out or last
   * committed (another writer; `commit` then fails with `KV_BRANCH_MOVED`); else `undefined`.
   */
  readonly branchTip: ObjectId | undefined;
  /** The repository's current branch (HEAD's), `undefined` when HEAD is detached. */
  readonly repositoryBranch: string | undefined;
  /** The commit HEAD points at (`undefined` before the first commit). */
  readonly repositoryCommit: ObjectId | undefined;
  /** True for tags and commits: `set`, `commit` and `merge` refuse with `KV_READ_ONLY`. */
  readonly readOnly: boolean;
}

/** What `checkout` did. */
export interface CheckoutResult {
  /** The branch the dataset now follows (`HEAD`'s for `"head"`), or `undefined` for a tag or commit. */
  readonly branch: string | undefined;
  /** The commit checked out. */
  readonly commit: ObjectId;
  /**
   * `"repository"`: `HEAD` moved, like `git checkout` (a dataset at the repository root, a bare
   * or in-memory repository); `"dataset"`: only the dataset's index entries and files switched,
   * like `git checkout <ref> -- <dir>` (HEAD, code and other datasets untouched).
   */
  readonly scope: "repository" | "dataset";
  /** What the dataset follows now. */
  readonly following: Following;
}

/** Options of `merge`. */
export interface MergeOptions {
  /** Settles key conflicts: "ours", "theirs", or a function (see prolly-core's `ConflictResolver`). */
  readonly resolve?: ConflictResolver;
  /** Message of the merge commit. */
  readonly message?: string;
  readonly author?: Signature;
  readonly committer?: Signature;
  /** Always create a merge commit, even when a fast-forward is possible. */
  readonly noFastForward?: boolean;
  /** Called as each phase of the merge starts (for a progress display). */
  readonly onProgress?: (phase: MergePhase) => void;
}

/**
 * The phases of a merge, in order: finding the merge base, merging the keys (cost follows the
 * changes), writing the merged tree and commit, then moving the branch and the dataset's files.
 */
export type MergePhase = "finding base" | "merging keys" | "writing" | "updating files";

/** A key conflict of a merge, with the three values (`null` where the key is absent). */
export type KvConflict = MergeConflict;

/** Outcome of `merge`. Conflicts are data: on conflict nothing is written. */
export type MergeOutcome =
  | { readonly status: "up-to-date"; readonly commit: ObjectId }
  | { readonly status: "fast-forward"; readonly commit: ObjectId }
  | { readonly status: "merged"; readonly commit: ObjectId; readonly resolved: readonly KvConflict[] }
  | {
      readonly status: "conflicts";
      readonly conflicts: readonly KvConflict[];
      readonly resolved: readonly KvConflict[];
    };

/** A commit with the dataset changes it made relative to its first parent. */
export interface ShowResult {
  readonly commit: CommitInfo;
  readonly changes: readonly KvChange[];
}

/** Outcome of `revert`. */
export type RevertOutcome =
  | { readonly status: "reverted"; readonly commit: ObjectId }
  | { readonly status: "nothing-to-revert" }
  | { readonly status: "conflicts"; readonly conflicts: readonly KvConflict[] };
