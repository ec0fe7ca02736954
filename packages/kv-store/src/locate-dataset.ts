/**
 * From a path to a dataset: find the repository (working tree, linked worktree, submodule or
 * bare repository; a new repository when there is none, for `init`) and the dataset's prefix
 * inside it. `open` accepts any directory inside a dataset and walks up to its `prolly.json`.
 */
import { realpathSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import {
  FileStateStore,
  type GitRepository,
  type ObjectId,
  type Repository,
  findRepository,
  initGitRepository,
  openGitRepository,
} from "@git-prolly/git-object-store";
import type { ObjectNodeStoreOptions } from "@git-prolly/prolly-core";
import { BufferedStaging } from "./buffered-staging.js";
import { Dataset } from "./dataset.js";
import { datasetPaths } from "./dataset-state.js";
import { KvStoreError } from "./errors.js";
import { IndexStaging } from "./index-staging.js";
import { MANIFEST_NAME } from "./manifest.js";
import { StateStaging } from "./state-staging.js";
import { datasetKey } from "./dataset-key.js";

/** Options shared by `init` and `open`. */
export interface LocateOptions {
  /** In a bare repository: the dataset's directory inside the tree (default: the root). */
  readonly dataset?: string;
  /** Bound of the decoded-node cache in bytes (default 128 MiB). */
  readonly cacheBytes?: number;
}

/** A dataset directory as a prefix: `""` or `dir/`. */
export function normalizePrefix(dir: string): string {
  const parts = dir.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === ".." || p.toLowerCase() === ".git")) {
    throw new KvStoreError("KV_INVALID_ARGUMENT", `${JSON.stringify(dir)} is not a directory inside the repository`, {
      hint: "Give a path inside the repository's working tree (not in .git).",
      data: { path: dir },
    });
  }
  return parts.length === 0 ? "" : `${parts.join("/")}/`;
}

/** @internal Opens the dataset at `prefix` of `repo` (whether or not it exists yet). */
export function datasetAt(repo: Repository, prefix: string, options: LocateOptions = {}): Dataset {
  const paths = datasetPaths(prefix);
  const key = datasetKey(prefix);
  const store = repo.createNodeStore({ cacheBytes: options.cacheBytes ?? 128 * 1024 * 1024 });
  const area =
    repo.worktree === undefined
      ? new StateStaging(repo, paths, key)
      : new IndexStaging(repo, repo.worktree, paths, key, store);
  const journalDir =
    repo.state instanceof FileStateStore ? join(repo.state.dir, "datasets", key, "journal") : undefined;
  const staging = new BufferedStaging(area, {
    repo,
    store,
    label: prefix === "" ? "." : prefix.slice(0, -1),
    ...(journalDir === undefined ? {} : { journalDir }),
  });
  return new Dataset(repo, paths, store, staging);
}

/**
 * The real path of `path` (symlinks resolved), or `undefined` when it does not exist. The native
 * call (what `fs.promises.realpath` runs), synchronously: cheaper than a trip through libuv's
 * thread pool.
 */
function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function real(path: string): string {
  return realOrUndefined(path) ?? resolve(path);
}

/** The prefix of `path` inside the repository's working tree. */
async function prefixOf(repo: GitRepository, path: string): Promise<string> {
  const top = real(repo.layout.workTree!);
  let target = resolve(path);
  // Resolve symlinks of the existing part of the path only.
  let existing = target;
  let rest = "";
  for (;;) {
    const r = realOrUndefined(existing);
    if (r !== undefined) {
      target = rest === "" ? r : resolve(r, rest);
      break;
    }
    const parent = resolve(existing, "..");
    if (parent === existing) break;
    rest = rest === "" ? relative(parent, existing) : `${relative(parent, existing)}${sep}${rest}`;
    existing = parent;
  }
  const rel = relative(top, target);
  if (rel.startsWith("..")) {
    throw new KvStoreError("KV_INVALID_ARGUMENT", `${path} is outside the repository at ${top}`, {
      hint: "Give a path inside the working tree.",
      data: { path },
    });
  }
  return normalizePrefix(rel);
}

/** Finds or creates the repository for `init` and the dataset prefix. */
export async function locateForInit(
  path: string,
  options: LocateOptions & { bare?: boolean; initialBranch?: string },
): Promise<Dataset> {
  const layout = await findRepository(path);
  if (layout === undefined) {
    const repo = await initGitRepository(path, {
      ...(options.bare === undefined ? {} : { bare: options.bare }),
      ...(options.initialBranch === undefined ? {} : { initialBranch: options.initialBranch }),
    });
    return datasetAt(repo, normalizePrefix(options.dataset ?? ""), options);
  }
  const repo = await openGitRepository(path);
  const prefix =
    repo.layout.workTree === undefined ? normalizePrefix(options.dataset ?? "") : await prefixOf(repo, path);
  return datasetAt(repo, prefix, options);
}

/**
 * Finds the dataset containing `path`.
 * @throws {KvStoreError} KV_NOT_A_DATASET (with the datasets found in the repository in `data`)
 */
export async function locateForOpen(path: string, options: LocateOptions): Promise<Dataset> {
  let repo: GitRepository;
  try {
    repo = await openGitRepository(path);
  } catch (cause) {
    throw new KvStoreError("KV_NOT_A_DATASET", `${path} is not inside a Git repository`, {
      hint: "Create a dataset with `git-prolly init`.",
      data: { path },
      cause,
    });
  }
  if (repo.layout.workTree === undefined) {
    const ds = datasetAt(repo, normalizePrefix(options.dataset ?? ""), options);
    if ((await ds.staging.read()) === undefined) throw ds.notADataset("no prolly.json at HEAD");
    return ds;
  }
  const start = await prefixOf(repo, path);
  const worktree = repo.worktree!;
  let headTree: Promise<ObjectId | undefined> | undefined;
  const parts = start === "" ? [] : start.slice(0, -1).split("/");
  for (let n = parts.length; n >= 0; n--) {
    const prefix = n === 0 ? "" : `${parts.slice(0, n).join("/")}/`;
    const manifest = `${prefix}${MANIFEST_NAME}`;
    // The staging area's own record first (no index parse while the index is unchanged since the
    // last write), then the index itself: a binary search that builds no entry but the manifest's.
    const ds = datasetAt(repo, prefix, options);
    if ((await ds.indexed().catch(() => undefined)) !== undefined) return ds; // conflicts there: the index decides
    if ((await worktree.entriesUnder(manifest)).some((e) => e.path === manifest)) return ds;
    headTree ??= repo
      .readHead()
      .then(async (head) => (head.id === undefined ? undefined : (await repo.readCommit(head.id)).tree));
    const tree = await headTree;
    if (tree !== undefined && (await repo.readEntry(tree, manifest)) !== undefined) return ds;
  }
  const index = await worktree.readIndex();
  const found = index.entries
    .filter((e) => e.path === MANIFEST_NAME || e.path.endsWith(`/${MANIFEST_NAME}`))
    .map((e) => e.path.slice(0, -MANIFEST_NAME.length - 1) || ".");
  throw new KvStoreError(
    "KV_NOT_A_DATASET",
    `no git-prolly dataset at ${start === "" ? "the repository root" : start.slice(0, -1)}`,
    {
      hint:
        found.length > 0
          ? `Datasets in this repository: ${found.join(", ")}. Open one of them, or run \`git-prolly init\` here.`
          : "Create one with `git-prolly init`.",
      data: { path, datasets: found },
    },
  );
}

/** Cache options for the node store. */
export type { ObjectNodeStoreOptions };
