import type { DatasetState } from "./dataset-state.js";

/** What a staging-area change computes: the new staged state and a result for the caller. */
export interface StagingChange<T> {
  readonly next: DatasetState | undefined;
  readonly result: T;
}

/** Options of {@link Staging.mutate}. */
export interface MutateOptions {
  /**
   * The change builds a whole new tree bottom-up (a bulk import into an empty dataset): with a
   * working tree, its files are written while it is built instead of afterwards.
   */
  readonly bulk?: boolean;
}

/**
 * Where a dataset's uncommitted state lives. In a repository with a working tree it is Git's own
 * index and the dataset's files ({@link IndexStaging}); in a bare or in-memory repository, a
 * small state file ({@link StateStaging}). Either way it survives the process.
 */
export interface Staging {
  readonly kind: "index" | "state-file";
  /** The staged state, or `undefined` when the dataset is absent from the staging area. */
  read(): Promise<DatasetState | undefined>;
  /**
   * Runs `change` on the staged state under the dataset's lock (so concurrent writers serialise)
   * and stages what it returns.
   */
  mutate<T>(change: (current: DatasetState | undefined) => Promise<StagingChange<T>>, options?: MutateOptions): Promise<T>;
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
}
