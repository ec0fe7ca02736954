import type { Edit } from "@git-prolly/prolly-core";
import type { DatasetState } from "./dataset-state.js";

/** What a staging-area change computes: the new staged state and a result for the caller. */
export interface StagingChange<T> {
  readonly next: DatasetState | undefined;
  readonly result: T;
}

/** Options of {@link StagingArea.mutate}. */
export interface MutateOptions {
  /**
   * The change builds a whole new tree bottom-up (a bulk import into an empty dataset): with a
   * working tree, its files are written while it is built instead of afterwards.
   */
  readonly bulk?: boolean;
  /**
   * Runs once the new state is staged, still under the dataset's lock (the write buffer removes
   * the journal of the edits just staged there, so no other writer comes in between).
   */
  readonly afterWrite?: () => Promise<void>;
}

/**
 * Where a dataset's uncommitted state lives on disk. In a repository with a working tree it is
 * Git's own index and the dataset's files ({@link IndexStaging}); in a bare or in-memory
 * repository, a small state file ({@link StateStaging}). Either way it survives the process.
 */
export interface StagingArea {
  readonly kind: "index" | "state-file";
  /** The staged state, or `undefined` when the dataset is absent from the staging area. */
  read(): Promise<DatasetState | undefined>;
  /**
   * Runs `change` on the staged state under the dataset's lock (so concurrent writers serialise)
   * and stages what it returns.
   */
  mutate<T>(
    change: (current: DatasetState | undefined) => Promise<StagingChange<T>>,
    options?: MutateOptions,
  ): Promise<T>;
  /** Dataset files whose working-tree copy differs from the staging area (none without a working tree). */
  unstaged(): Promise<string[]>;
  /** Called after `HEAD` moved to a commit holding `committed`. */
  settle(committed: DatasetState | undefined): Promise<void>;
  /** Makes the staging area (and working tree) hold exactly `state`, discarding what differs. */
  reset(state: DatasetState | undefined): Promise<void>;
  /**
   * Called after `HEAD` (and, with a working tree, Git's index and files) moved to a commit whose
   * dataset is `state` while the dataset was clean.
   */
  headMoved(state: DatasetState | undefined): Promise<void>;
  /**
   * Repairs what a writer killed while staging leaves behind (with a working tree: node files
   * behind the index, temporary files); called under the lock, when a dead writer's journal is found.
   */
  repair(): Promise<void>;
  /**
   * Told, while edits are buffered, how many bytes of keys and values the next staging will
   * bring (optional): a working tree makes spare files ahead for the node files it may add.
   */
  anticipate?(bytes: number): void;
}

/**
 * A dataset's staging area as the store uses it: a {@link StagingArea} behind a write buffer
 * ({@link BufferedStaging}). `read` is the staged state with the buffered edits applied,
 * `mutate` stages the buffer first, and single edits go into the buffer (and its journal) until
 * {@link Staging.flush} stages them as one batch.
 */
export interface Staging extends StagingArea {
  /** Buffers edits (checked keys and values); they are journaled before this resolves. */
  put(edits: readonly Edit[]): Promise<void>;
  /** The value of `key` in the staged state with the buffered edits applied. */
  lookup(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Stages the buffered edits, then `extra` (which are not journaled), as one batch. */
  flush(extra?: readonly Edit[]): Promise<void>;
  /** Flushes, then releases the journal. */
  close(): Promise<void>;
  /** How many keys have buffered, not yet staged, edits. */
  readonly buffered: number;
}
