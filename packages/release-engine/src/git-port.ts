/** The outcome of a merge: merged, or stopped on conflicts (already aborted by the port). */
export type MergeOutcome = { ok: true; commit: string } | { ok: false; conflicts: string[] };

/** A push of one ref update with a lease (compare-and-swap checked by the receiving repository). */
export interface LeasedPush {
  /** The full ref on the remote, e.g. `refs/git-prolly/lock/ho-prod`. */
  ref: string;
  /** The object id to store, or `null` to delete the ref. */
  newValue: string | null;
  /** The value the ref must have on the remote: an object id, or `null` for "the ref must not exist". */
  expected: string | null;
}

/** The result of a leased push: accepted, or rejected because the remote ref did not have the expected value. */
export type LeasedPushOutcome = { ok: true } | { ok: false; reason: "stale" | "rejected"; message: string };

/**
 * The narrow port release-engine talks to Git through. {@link GitCli} implements it on the
 * user's `git` executable, so every transport (ssh, https, local paths) and credential helper
 * the user configured works. All paths use `/`; all refs are full names unless stated.
 */
export interface GitPort {
  /** The working tree this port runs in. */
  readonly cwd: string;
  /** The current branch (short name), or undefined on a detached HEAD. */
  currentBranch(): Promise<string | undefined>;
  /** True when the working tree and index have no changes, untracked files included. */
  isClean(): Promise<boolean>;
  /** The commit a revision names, or undefined when it names none. */
  revParse(rev: string): Promise<string | undefined>;
  /** The best common ancestor of two commits, or undefined when they share none. */
  mergeBase(a: string, b: string): Promise<string | undefined>;
  /** True when the remote is configured. */
  hasRemote(remote: string): Promise<boolean>;
  /** `git fetch --prune <remote> [refspecs]` (tags included). */
  fetch(remote: string, refspecs?: readonly string[]): Promise<void>;
  /** `git pull --ff-only <remote> <branch>` on the current branch. */
  pullFastForward(remote: string, branch: string): Promise<void>;
  /** `git push [--atomic] <remote> <refspecs>`: all-or-nothing when `atomic`. */
  push(remote: string, refspecs: readonly string[], options?: { atomic?: boolean }): Promise<void>;
  /** One ref update guarded by `--force-with-lease=<ref>:<expected>`; rejections are returned, not thrown. */
  pushWithLease(remote: string, update: LeasedPush): Promise<LeasedPushOutcome>;
  /** The same push, synchronously: for releasing a lock from a signal or `exit` handler. */
  pushWithLeaseSync(remote: string, update: LeasedPush): LeasedPushOutcome;
  /** The id and message of the commit a remote ref points at, fetched without moving any local ref; undefined when the ref does not exist. */
  readRemoteCommit(remote: string, ref: string): Promise<{ id: string; message: string } | undefined>;
  /** Refs of the remote matching a pattern (`git ls-remote <remote> <pattern>`): full ref name → object id. */
  lsRemote(remote: string, pattern: string): Promise<Map<string, string>>;
  /** Local branches matching a glob of one level (`ho-patch/*`), or every branch for `*`; short names. */
  branches(pattern: string): Promise<string[]>;
  /** Branches of the remote as last fetched matching a glob as in {@link GitPort.branches}, without the `<remote>/` prefix. */
  remoteBranches(remote: string, pattern: string): Promise<string[]>;
  /** Creates branch `name` at `from` (fails when it exists). */
  createBranch(name: string, from: string): Promise<void>;
  /** Deletes a local branch (`-D` when `force`). */
  deleteBranch(name: string, options?: { force?: boolean }): Promise<void>;
  /** Checks out an existing branch; `force` discards working-tree changes. */
  checkout(branch: string, options?: { force?: boolean }): Promise<void>;
  /** Creates an annotated tag at `at` with `message`. */
  createTag(name: string, at: string, message: string): Promise<void>;
  /** Deletes a local tag. */
  deleteTag(name: string): Promise<void>;
  /** `git merge --no-ff -m <message> <ref>` into the current branch; conflicts abort the merge and are returned. */
  merge(ref: string, message: string): Promise<MergeOutcome>;
  /** The content of a file at a revision, or undefined when it does not exist there. */
  readFile(rev: string, path: string): Promise<string | undefined>;
  /** Names directly inside a directory at a revision (empty when it does not exist). */
  listDir(rev: string, dir: string): Promise<string[]>;
  /** Stages paths (additions, changes and deletions) and commits them; returns the new commit. */
  commit(paths: readonly string[], message: string): Promise<string>;
  /** Creates a commit object with an empty tree and the given message and parents, without touching any ref. */
  createDetachedCommit(message: string, parents?: readonly string[]): Promise<string>;
  /** The full message of a commit. */
  commitMessage(rev: string): Promise<string>;
  /** Commits that added `path` on the history of `rev`, oldest first (follows no renames). */
  commitsAdding(rev: string, path: string): Promise<string[]>;
  /** Every path under `dir` ever added on the history of `rev` (deleted ones included). */
  pathsEverAdded(rev: string, dir: string): Promise<string[]>;
  /** A configuration value (`user.email`…), or undefined. */
  configValue(key: string): Promise<string | undefined>;
}
