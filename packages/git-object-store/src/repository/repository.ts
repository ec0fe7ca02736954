/**
 * A repository: objects, refs and small state files, plus the operations the layers above need
 * (trees and commits scoped to a sub-directory, revisions, merge bases, history walks). The
 * on-disk {@link GitRepository} and the in-memory {@link MemoryRepository} share this contract.
 */
import { type NodeStore, ObjectNodeStore, type ObjectNodeStoreOptions } from "@git-prolly/prolly-core";
import { type Commit, type CommitData, decodeCommit, encodeCommit } from "../objects/commit-object.js";
import { walkCommits, type WalkOptions } from "../history/commit-walk.js";
import { GIT_ERROR_CODES, GitStoreError, objectNotFound } from "../errors.js";
import type { Identity } from "../history/identity.js";
import { isAncestor, mergeBases } from "../history/merge-base.js";
import { type ObjectId, type ObjectType, type StoredObject, nodeSha1 } from "../objects/object-id.js";
import { type ObjectStore, nodeDatabase } from "../objects/object-store.js";
import type { RefStore } from "../refs/ref-store.js";
import { type PeelTarget, expandRefName, resolveRevision } from "../refs/revision.js";
import type { StateStore } from "./state-store.js";
import { type PathChange, type EntryRef, diffTreePaths } from "../trees/tree-diff.js";
import { type TreeEdit, editTree } from "../trees/tree-edit.js";
import { type TreeEntry, decodeTreeObject, encodeTreeObject } from "../objects/tree-object.js";
import { splitTreePath } from "../trees/tree-path.js";
import type { Worktree } from "../worktree/worktree.js";

/** Where `HEAD` points: a branch (possibly without commits yet) or a detached commit. */
export type Head =
  | { readonly kind: "branch"; readonly ref: string; readonly id: ObjectId | undefined }
  | { readonly kind: "detached"; readonly id: ObjectId };

const COMMIT_CACHE = 4096;

/** The shared contract of on-disk and in-memory repositories. */
export abstract class Repository {
  /** Objects (buffered writes: call `objects.flush()` before publishing a ref to them). */
  abstract readonly objects: ObjectStore;
  /** Refs with compare-and-swap updates. */
  abstract readonly refs: RefStore;
  /** Small per-worktree state files of the layers above. */
  abstract readonly state: StateStore;
  /** The working tree and index, or `undefined` for bare and in-memory repositories. */
  abstract readonly worktree: Worktree | undefined;
  /** True when the repository has no working tree. */
  abstract readonly bare: boolean;
  /** Author and committer for a new commit, now. */
  abstract identity(): Promise<Identity>;
  /** Releases open files. */
  abstract close(): Promise<void>;
  /**
   * Housekeeping after writes, as Git's porcelain does after a commit (`git gc --auto`: packs
   * loose objects past Git's thresholds, in the background). A no-op in memory.
   */
  abstract maintain(): Promise<void>;

  readonly #commits = new Map<ObjectId, Commit>();

  /**
   * Reads an object, checking its type when `type` is given.
   * @throws {GitStoreError} GIT_OBJECT_NOT_FOUND, GIT_WRONG_OBJECT_TYPE, GIT_OBJECT_CORRUPT
   */
  async readObject(id: ObjectId, type?: ObjectType): Promise<StoredObject> {
    const o = await this.objects.read(id);
    if (o === undefined) throw objectNotFound(id);
    if (type !== undefined && o.type !== type) {
      throw new GitStoreError(GIT_ERROR_CODES.WRONG_OBJECT_TYPE, `object ${id} is a ${o.type}, not a ${type}`, {
        hint: `Pass the id of a ${type}.`,
        data: { id, type: o.type, wanted: type },
      });
    }
    return o;
  }

  /** A blob's content. */
  async readBlob(id: ObjectId): Promise<Uint8Array> {
    return (await this.readObject(id, "blob")).content;
  }

  /** Queues a blob and returns its id. */
  async writeBlob(content: Uint8Array): Promise<ObjectId> {
    return (await this.objects.write([{ type: "blob", content }]))[0]!;
  }

  /** A tree's entries. */
  async readTree(id: ObjectId): Promise<TreeEntry[]> {
    return decodeTreeObject(id, (await this.readObject(id, "tree")).content);
  }

  /** Queues a tree (entries in any order) and returns its id. */
  async writeTree(entries: readonly TreeEntry[]): Promise<ObjectId> {
    return (await this.objects.write([{ type: "tree", content: encodeTreeObject(entries) }]))[0]!;
  }

  /** A commit (decoded commits are cached: they never change). */
  async readCommit(id: ObjectId): Promise<Commit> {
    const hit = this.#commits.get(id);
    if (hit !== undefined) return hit;
    const commit = decodeCommit(id, (await this.readObject(id, "commit")).content);
    if (this.#commits.size >= COMMIT_CACHE) this.#commits.delete(this.#commits.keys().next().value!);
    this.#commits.set(id, commit);
    return commit;
  }

  /** Queues a commit and returns its id. */
  async writeCommit(data: CommitData): Promise<ObjectId> {
    return (await this.objects.write([{ type: "commit", content: encodeCommit(data) }]))[0]!;
  }

  /** The entry at `path` inside tree `tree`, or `undefined` (an empty path gives the tree itself). */
  async readEntry(tree: ObjectId, path: string): Promise<EntryRef | undefined> {
    let current: EntryRef = { mode: "40000", id: tree };
    if (path === "") return current;
    for (const part of splitTreePath(path)) {
      if (current.mode !== "40000") return undefined;
      const entry = (await this.readTree(current.id)).find((e) => e.name === part);
      if (entry === undefined) return undefined;
      current = entry;
    }
    return current;
  }

  /** Applies path edits to a tree (only trees on the edited paths are rewritten). */
  editTree(base: ObjectId | undefined, edits: readonly TreeEdit[]): Promise<ObjectId> {
    return editTree(this.objects, base, edits);
  }

  /** File-level changes between two entries at `path`, walking only differing subtrees. */
  diffTreePaths(before: EntryRef | undefined, after: EntryRef | undefined, path: string): AsyncGenerator<PathChange> {
    return diffTreePaths(this.objects, before, after, path);
  }

  /** Resolves a revision expression (`main~2`, `v1.0`, `abc1234`, `HEAD^2`, `main:config`). */
  resolveRevision(rev: string, target: PeelTarget = "commit"): Promise<ObjectId> {
    return resolveRevision(
      { objects: this.objects, refs: this.refs, readCommit: (id) => this.readCommit(id) },
      rev,
      target,
    );
  }

  /** The full ref name a short name means (`main` → `refs/heads/main`), or `undefined`. */
  expandRefName(name: string): Promise<string | undefined> {
    return expandRefName(this.refs, name);
  }

  /** Best common ancestors of two commits (true LCAs; several for criss-cross merges). */
  mergeBases(a: ObjectId, b: ObjectId): Promise<ObjectId[]> {
    return mergeBases((id) => this.readCommit(id), a, b);
  }

  /** True when `ancestor` is reachable from `descendant`. */
  isAncestor(ancestor: ObjectId, descendant: ObjectId): Promise<boolean> {
    return isAncestor((id) => this.readCommit(id), ancestor, descendant);
  }

  /** Commits reachable from `starts`, newest first, uncapped. */
  walkCommits(starts: readonly ObjectId[], options: WalkOptions = {}): AsyncGenerator<Commit> {
    return walkCommits((id) => this.readCommit(id), starts, options);
  }

  /** Where `HEAD` points. */
  async readHead(): Promise<Head> {
    const head = await this.refs.read("HEAD");
    if (head === undefined) {
      throw new GitStoreError(GIT_ERROR_CODES.REPO_NOT_FOUND, "the repository has no HEAD", {
        hint: "The Git directory is damaged or not a repository; check it with `git status`.",
      });
    }
    if (head.kind === "direct") return { kind: "detached", id: head.id };
    return { kind: "branch", ref: head.target, id: await this.refs.resolve(head.target) };
  }

  /**
   * A prolly-core node store on this repository's objects (nodes are Git objects), with a
   * bounded decoded-node cache.
   */
  createNodeStore(options: ObjectNodeStoreOptions = {}): ObjectNodeStore & NodeStore {
    return new ObjectNodeStore(nodeDatabase(this.objects), { hash: nodeSha1, ...options });
  }
}
