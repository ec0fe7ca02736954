/**
 * One open dataset: the repository, the dataset's paths, its node store and staging area, and
 * the lookups every operation shares (states at revisions, at the dataset's head, staged).
 *
 * The dataset's head is `HEAD`, or, in a dataset of a working tree's sub-directory that a
 * per-dataset checkout switched, the branch, tag or commit it follows (see follow-record.ts):
 * status, commits, merges, logs and `HEAD` in revisions all go through {@link Dataset.head}.
 */
import { type Commit, type Head, type ObjectId, type Repository } from "@git-prolly/git-object-store";
import { type ChunkingConfig, type NodeId, type ObjectNodeStore, emptyTree } from "@git-prolly/prolly-core";
import { type DatasetPaths, type DatasetState, readDatasetState, rootId, sameState } from "./dataset-state.js";
import { KvStoreError } from "./errors.js";
import { type FollowRecord, decodeFollow, encodeFollow, followName, voidReason } from "./follow-record.js";
import { type DatasetManifest, parseManifest } from "./manifest.js";
import type { Staging } from "./staging.js";
import type { CommitInfo } from "./types.js";
import { type GuardedWrite, guardWrites } from "./write-guard.js";

/** A follow record Git still shows. */
export interface ActiveFollow {
  readonly record: FollowRecord;
  /** The branch or tag name, or the commit id. */
  readonly name: string;
  /** Tags and commits: nothing can be committed onto them. */
  readonly readOnly: boolean;
  /**
   * Set when the followed branch moved since the record's commit and its tip's dataset is neither
   * that commit's nor the staged one (another writer changed the data): commits refuse.
   * `tip` is `undefined` when the branch was deleted.
   */
  readonly moved: { readonly tip: ObjectId | undefined } | undefined;
}

/** The dataset's head (HEAD, or the ref it follows) with its commit and the dataset there. */
export interface HeadState {
  /**
   * Where commits go: `HEAD`, or the followed branch (`kind: "branch"`, its ref, the commit the
   * dataset is at), or, for a followed tag or commit, a detached head at it (read-only).
   */
  readonly head: Head;
  readonly commit: Commit | undefined;
  readonly state: DatasetState | undefined;
  /** The repository's own `HEAD`. */
  readonly repository: Head;
  /** What the dataset follows instead of `HEAD`, if anything. */
  readonly follow: ActiveFollow | undefined;
}

/** The short name of what a record follows. */
function shortName(r: FollowRecord): string {
  return r.kind === "branch"
    ? r.ref.replace(/^refs\/heads\//, "")
    : r.kind === "tag"
      ? r.ref.replace(/^refs\/tags\//, "")
      : r.ref;
}

/** @internal The shared context of a dataset's operations. */
export class Dataset {
  #manifest: { readonly id: string; readonly manifest: DatasetManifest } | undefined;
  #empty: NodeId | undefined;
  /** A `put` passed the read-only check (done once per instance, again after this instance's checkout). */
  #putChecked = false;
  readonly staging: Staging;

  constructor(
    readonly repo: Repository,
    readonly paths: DatasetPaths,
    readonly store: ObjectNodeStore,
    staging: Staging,
  ) {
    this.staging = guardWrites(staging, (method, args) => this.#beforeWrite(method, args));
  }

  /**
   * Before anything is staged: a stale follow record is dropped, and writes while following a
   * tag or commit refuse. Buffered single edits (`put`) check once per instance, as they must
   * stay cheap; batches and flushes check every time.
   */
  #beforeWrite(method: GuardedWrite, args: readonly unknown[]): Promise<void> | undefined {
    if (!this.followsPerDataset) return undefined;
    if (method === "put") {
      if (this.#putChecked) return undefined;
      return this.assertWritable("set").then(() => {
        this.#putChecked = true;
      });
    }
    const extra = args[0];
    if (method === "flush" && !(Array.isArray(extra) && extra.length > 0))
      return this.repo.readHead().then(async (head) => void (await this.followRecord(head)));
    return this.assertWritable("stage changes");
  }

  /** True when `checkout` switches this dataset alone (a sub-directory of a working tree). */
  get followsPerDataset(): boolean {
    return this.paths.prefix !== "" && this.repo.worktree !== undefined;
  }

  /**
   * The dataset's follow record when Git still shows it; a void one is removed (so it never
   * comes back) and `undefined` returned.
   */
  async followRecord(repository: Head): Promise<FollowRecord | undefined> {
    if (!this.followsPerDataset) return undefined;
    const name = followName(this.paths.prefix);
    const bytes = await this.repo.state.read(name);
    if (bytes === undefined) return undefined;
    const record = decodeFollow(bytes);
    if (
      record !== undefined &&
      (await voidReason(this.repo, this.paths, record, repository, () => this.indexed())) === undefined
    )
      return record;
    await this.repo.state.update(name, (current) =>
      current === undefined || Buffer.compare(current, bytes) === 0 ? null : current,
    );
    return undefined;
  }

  /** Records what the dataset follows (`undefined`: HEAD again). */
  async writeFollow(record: FollowRecord | undefined): Promise<void> {
    this.#putChecked = false;
    await this.repo.state.update(followName(this.paths.prefix), () =>
      record === undefined ? null : encodeFollow(record),
    );
  }

  /**
   * What the staging area itself holds for the dataset — Git's index with a working tree — not
   * counting edits a write buffer in front of it still holds (`inner`, when the staging has one).
   * Read through the staging area's own cache (by index checksum), which `open` pays for anyway.
   */
  async indexed(): Promise<DatasetState | undefined> {
    const area = (this.staging as Partial<{ readonly inner: Pick<Staging, "read"> }>).inner ?? this.staging;
    return area.read();
  }

  /** @throws {KvStoreError} KV_READ_ONLY when the dataset follows a tag or a commit. */
  async assertWritable(action: string): Promise<void> {
    const record = await this.followRecord(await this.repo.readHead());
    if (record !== undefined && record.kind !== "branch") throw this.readOnly(record, action);
  }

  /** The error of a write while following a tag or a commit. */
  readOnly(record: FollowRecord, action: string): KvStoreError {
    const name = shortName(record);
    return new KvStoreError(
      "KV_READ_ONLY",
      `cannot ${action}: dataset ${this.label} follows ${record.kind} ${record.kind === "commit" ? name.slice(0, 12) : name}, which is read-only`,
      {
        hint: "Create a branch there with `git-prolly checkout -b <new-branch>` and work on it, or check out a branch (`git-prolly checkout <branch>`).",
        data: { dataset: this.label, kind: record.kind, ref: name, commit: record.commit },
      },
    );
  }

  /**
   * Refuses to commit onto the dataset's head when it follows a tag or commit, or a branch that
   * another writer moved.
   * @throws {KvStoreError} KV_READ_ONLY, KV_BRANCH_MOVED
   */
  assertCanCommit(at: HeadState, action: string): void {
    const f = at.follow;
    if (f === undefined) return;
    if (f.readOnly) throw this.readOnly(f.record, action);
    if (f.moved !== undefined) {
      const gone = f.moved.tip === undefined;
      throw new KvStoreError(
        "KV_BRANCH_MOVED",
        `cannot ${action}: branch ${f.name} ${gone ? "was deleted" : "moved"} since dataset ${this.label} was checked out at ${f.record.commit.slice(0, 12)}`,
        {
          hint: gone
            ? "Nothing was lost: your changes are still staged. Put them on a new branch with `git-prolly checkout -b <new-branch>`, then commit."
            : `Nothing was lost: your changes are still staged. Put them on a branch with \`git-prolly checkout -b <new-branch>\`, commit, then \`git-prolly checkout ${f.name}\` and \`git-prolly merge <new-branch>\`.`,
          data: { dataset: this.label, branch: f.name, expected: f.record.commit, tip: f.moved.tip ?? null },
        },
      );
    }
  }

  /**
   * A revision with `HEAD` (`HEAD`, `@`, `HEAD~2`, `HEAD^`) meaning the dataset's head, resolved
   * to a commit id.
   */
  async resolve(rev: string): Promise<ObjectId> {
    const m = /^(?:HEAD|@)(?=$|[~^])/.exec(rev);
    if (m !== null && this.followsPerDataset) {
      const at = await this.head();
      if (at.follow !== undefined && at.commit !== undefined)
        return this.repo.resolveRevision(`${at.commit.id}${rev.slice(m[0].length)}`);
    }
    return this.repo.resolveRevision(rev);
  }

  /** The dataset's directory for messages (`config` or `.` for the repository root). */
  get label(): string {
    return this.paths.prefix === "" ? "." : this.paths.prefix.slice(0, -1);
  }

  /** The chunking parameters of the dataset (from its manifest). */
  async chunking(): Promise<ChunkingConfig> {
    return (await this.manifest()).chunking;
  }

  /** The parsed manifest of `state` (default: the staged state); parsed once per blob. */
  async manifest(state?: DatasetState): Promise<DatasetManifest> {
    const s = state ?? (await this.staged());
    if (this.#manifest?.id === s.manifest) return this.#manifest.manifest;
    const m = parseManifest(await this.repo.readBlob(s.manifest), this.label);
    this.#manifest = { id: s.manifest, manifest: m };
    return m;
  }

  notADataset(where: string): KvStoreError {
    return new KvStoreError("KV_NOT_A_DATASET", `no git-prolly dataset at ${this.label} (${where})`, {
      hint: "Create one with `git-prolly init` in that directory, or open the directory that holds prolly.json.",
      data: { dataset: this.label },
    });
  }

  /** The staged state. @throws {KvStoreError} KV_NOT_A_DATASET */
  async staged(): Promise<DatasetState> {
    const s = await this.staging.read();
    if (s === undefined) throw this.notADataset("not in the staging area");
    return s;
  }

  /** The dataset's head (HEAD, or the ref it follows), its commit and the dataset state there. */
  async head(): Promise<HeadState> {
    const repository = await this.repo.readHead();
    const record = await this.followRecord(repository);
    if (record === undefined) {
      if (repository.id === undefined)
        return { head: repository, commit: undefined, state: undefined, repository, follow: undefined };
      const commit = await this.repo.readCommit(repository.id);
      return {
        head: repository,
        commit,
        state: await readDatasetState(this.repo, commit.tree, this.paths),
        repository,
        follow: undefined,
      };
    }
    let commit = await this.repo.readCommit(record.commit);
    let state = await this.stateOf(commit);
    let moved: ActiveFollow["moved"];
    if (record.kind === "branch") {
      const tip = await this.repo.refs.resolve(record.ref);
      if (tip !== commit.id) {
        const tipCommit = tip === undefined ? undefined : await this.repo.readCommit(tip);
        const tipState = tipCommit === undefined ? undefined : await this.stateOf(tipCommit);
        // A tip that moved without changing the data (code commits), or to exactly the staged
        // data (this store's commit, interrupted before the record was updated), is built on.
        if (tipCommit !== undefined && (sameState(tipState, state) || sameState(tipState, await this.indexed()))) {
          commit = tipCommit;
          state = tipState;
        } else moved = { tip };
      }
    }
    const head: Head =
      record.kind === "branch"
        ? { kind: "branch", ref: record.ref, id: commit.id }
        : { kind: "detached", id: commit.id };
    return {
      head,
      commit,
      state,
      repository,
      follow: { record, name: shortName(record), readOnly: record.kind !== "branch", moved },
    };
  }

  /** The commit a revision names (`HEAD` is the dataset's head). */
  async commitAt(rev: string): Promise<Commit> {
    return this.repo.readCommit(await this.resolve(rev));
  }

  /** The dataset state at a commit, or `undefined` when the commit has no such dataset. */
  async stateOf(commit: Commit): Promise<DatasetState | undefined> {
    return readDatasetState(this.repo, commit.tree, this.paths);
  }

  /** The dataset at a revision. @throws {KvStoreError} KV_UNKNOWN_REF, KV_NOT_A_DATASET */
  async stateAt(rev: string): Promise<DatasetState> {
    const state = await this.stateOf(await this.commitAt(rev));
    if (state === undefined) throw this.notADataset(`not in ${rev}`);
    await this.manifest(state); // refuses unknown formats
    return state;
  }

  /** The staged state, or the state at `ref` when given. */
  async stateFor(ref: string | undefined): Promise<DatasetState> {
    return ref === undefined ? this.staged() : this.stateAt(ref);
  }

  /** The root node of a state; the empty tree for `undefined`. */
  async root(state: DatasetState | undefined): Promise<NodeId> {
    if (state !== undefined) return rootId(state);
    this.#empty ??= await emptyTree(this.store);
    return this.#empty;
  }

  /** True when the staged state differs from the dataset's head, or dataset files differ from the staging area. */
  async uncommitted(): Promise<{ staged: boolean; unstaged: string[] }> {
    const [{ state }, staged] = await Promise.all([this.head(), this.staging.read()]);
    return { staged: !sameState(state, staged), unstaged: await this.staging.unstaged() };
  }

  /**
   * Refuses to go on when the dataset has uncommitted changes.
   * @throws {KvStoreError} KV_UNCOMMITTED_CHANGES
   */
  async assertClean(action: string): Promise<void> {
    const { staged, unstaged } = await this.uncommitted();
    if (!staged && unstaged.length === 0) return;
    throw new KvStoreError(
      "KV_UNCOMMITTED_CHANGES",
      `cannot ${action}: dataset ${this.label} has uncommitted changes`,
      {
        hint: staged
          ? action.startsWith("check out")
            ? "Commit them (`git-prolly commit -m …`), or discard them with `git-prolly checkout --force` (option `force`)."
            : `Commit them first (\`git-prolly commit -m …\`), then ${action} again.`
          : `Some dataset files differ from the staging area; restore them with \`git checkout -- ${this.paths.root}\` or commit.`,
        data: { dataset: this.label, staged, unstaged: unstaged.slice(0, 20) },
      },
    );
  }
}

/** A commit as the store reports it. */
export function commitInfo(c: Commit): CommitInfo {
  return {
    id: c.id,
    parents: c.parents,
    author: c.author,
    committer: c.committer,
    message: c.message,
    subject: c.message.split("\n")[0] ?? "",
  };
}

/** The branch name of a head (`undefined` when detached). */
export function branchName(head: Head): string | undefined {
  return head.kind === "branch" ? head.ref.replace(/^refs\/heads\//, "") : undefined;
}

/** The ref a commit on `head` advances: the branch, or `HEAD` itself when detached. */
export function headRef(head: Head): string {
  return head.kind === "branch" ? head.ref : "HEAD";
}

/** The commit id of a head, or an error when the branch has no commits yet. */
export function headCommitId(head: Head): ObjectId {
  if (head.id === undefined) {
    throw new KvStoreError("KV_NO_COMMITS", `branch ${branchName(head) ?? "HEAD"} has no commits yet`, {
      hint: "Commit first (`git-prolly commit -m …`).",
      data: { branch: branchName(head) ?? null },
    });
  }
  return head.id;
}
