/**
 * A dataset version as Git stores it: the manifest blob and the root entry (a blob for a
 * single-leaf tree, else a tree). Staging areas, commits and revisions all reduce to this.
 */
import { type EntryRef, type Repository, type TreeEdit, DIR_MODE, FILE_MODE } from "@git-prolly/git-object-store";
import type { NodeId, NodeStore } from "@git-prolly/prolly-core";
import { MANIFEST_NAME, ROOT_NAME } from "./manifest.js";

/** A dataset version. */
export interface DatasetState {
  /** Id of the `prolly.json` blob. */
  readonly manifest: string;
  /** The `root` entry: the root node. */
  readonly root: EntryRef;
}

/** The paths of a dataset inside the repository, for a prefix such as `"config/"` or `""`. */
export interface DatasetPaths {
  /** `""` or a directory path ending in `/`. */
  readonly prefix: string;
  readonly manifest: string;
  readonly root: string;
}

/** The dataset's paths under `prefix` (`""` or ending in `/`). */
export function datasetPaths(prefix: string): DatasetPaths {
  return { prefix, manifest: `${prefix}${MANIFEST_NAME}`, root: `${prefix}${ROOT_NAME}` };
}

/** True when two states are the same version. */
export function sameState(a: DatasetState | undefined, b: DatasetState | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.manifest === b.manifest && a.root.id === b.root.id && a.root.mode === b.root.mode;
}

/** The root node id of a state. */
export function rootId(state: DatasetState): NodeId {
  return state.root.id;
}

/** The root entry for a node: a file for a leaf, a directory for an internal node. */
export async function rootEntry(store: NodeStore, id: NodeId): Promise<EntryRef> {
  const node = store.peek?.(id) ?? (await store.get(id));
  return { mode: node.kind === "leaf" ? FILE_MODE : DIR_MODE, id };
}

/** The dataset state in a tree, or `undefined` when the tree holds no manifest at `paths`. */
export async function readDatasetState(
  repo: Repository,
  tree: string,
  paths: DatasetPaths,
): Promise<DatasetState | undefined> {
  const manifest = await repo.readEntry(tree, paths.manifest);
  const root = await repo.readEntry(tree, paths.root);
  if (manifest === undefined || manifest.mode === DIR_MODE || root === undefined) return undefined;
  return { manifest: manifest.id, root: { mode: root.mode, id: root.id } };
}

/** Tree edits that put `state` at `paths` (or remove the dataset when `undefined`). */
export function datasetEdits(paths: DatasetPaths, state: DatasetState | undefined): TreeEdit[] {
  if (state === undefined)
    return [
      { path: paths.manifest, entry: null },
      { path: paths.root, entry: null },
    ];
  return [
    { path: paths.manifest, entry: { mode: FILE_MODE, id: state.manifest } },
    { path: paths.root, entry: state.root },
  ];
}
