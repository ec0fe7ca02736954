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
  /** Create the branch at the current commit first (`checkout -b`). */
  readonly create?: boolean;
  /** Discard the dataset's uncommitted changes instead of refusing. */
  readonly force?: boolean;
}

/** Where `checkout` left `HEAD`. */
export interface CheckoutResult {
  /** The branch checked out, or `undefined` for a detached commit. */
  readonly branch: string | undefined;
  readonly commit: ObjectId;
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
}

/** A key conflict of a merge, with the three values (`null` where the key is absent). */
export type KvConflict = MergeConflict;

/** Outcome of `merge`. Conflicts are data: on conflict nothing is written. */
export type MergeOutcome =
  | { readonly status: "up-to-date"; readonly commit: ObjectId }
  | { readonly status: "fast-forward"; readonly commit: ObjectId }
  | { readonly status: "merged"; readonly commit: ObjectId; readonly resolved: readonly KvConflict[] }
  | { readonly status: "conflicts"; readonly conflicts: readonly KvConflict[]; readonly resolved: readonly KvConflict[] };

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
