/**
 * One open dataset: the repository, the dataset's paths, its node store and staging area, and
 * the lookups every operation shares (states at revisions, at HEAD, staged).
 */
import { type Commit, type Head, type ObjectId, type Repository } from "@git-prolly/git-object-store";
import { type ChunkingConfig, type NodeId, type ObjectNodeStore, emptyTree } from "@git-prolly/prolly-core";
import { type DatasetPaths, type DatasetState, readDatasetState, rootId, sameState } from "./dataset-state.js";
import { KvStoreError } from "./errors.js";
import { type DatasetManifest, parseManifest } from "./manifest.js";
import type { Staging } from "./staging.js";
import type { CommitInfo } from "./types.js";

/** HEAD with its commit and the dataset there. */
export interface HeadState {
  readonly head: Head;
  readonly commit: Commit | undefined;
  readonly state: DatasetState | undefined;
}

/** @internal The shared context of a dataset's operations. */
export class Dataset {
  #manifest: { readonly id: string; readonly manifest: DatasetManifest } | undefined;
  #empty: NodeId | undefined;

  constructor(
    readonly repo: Repository,
    readonly paths: DatasetPaths,
    readonly store: ObjectNodeStore,
    readonly staging: Staging,
  ) {}

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

  /** HEAD, its commit and the dataset state there. */
  async head(): Promise<HeadState> {
    const head = await this.repo.readHead();
    if (head.id === undefined) return { head, commit: undefined, state: undefined };
    const commit = await this.repo.readCommit(head.id);
    return { head, commit, state: await readDatasetState(this.repo, commit.tree, this.paths) };
  }

  /** The commit a revision names. */
  async commitAt(rev: string): Promise<Commit> {
    return this.repo.readCommit(await this.repo.resolveRevision(rev));
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

  /** True when staged and HEAD states differ, or dataset files differ from the staging area. */
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
    throw new KvStoreError("KV_UNCOMMITTED_CHANGES", `cannot ${action}: dataset ${this.label} has uncommitted changes`, {
      hint: staged
        ? "Commit them (`git-prolly commit -m …`), or pass force to discard them."
        : `Some dataset files differ from the staging area; restore them with \`git checkout -- ${this.paths.root}\` or commit.`,
      data: { dataset: this.label, staged, unstaged: unstaged.slice(0, 20) },
    });
  }
}

/** A commit as the store reports it. */
export function commitInfo(c: Commit): CommitInfo {
  return { id: c.id, parents: c.parents, author: c.author, committer: c.committer, message: c.message, subject: c.message.split("\n")[0] ?? "" };
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
