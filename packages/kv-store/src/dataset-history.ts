/**
 * Reading history: commit logs (uncapped), the history of one key by point lookups per commit,
 * diffs between versions and the changes of one commit. Diffs walk only differing subtrees, so
 * their cost follows the number of changed keys.
 */
import { type Commit } from "@git-prolly/git-object-store";
import { type DiffEntry, diffTrees, equalBytes, getValue, hasPrefix } from "@git-prolly/prolly-core";
import { type Dataset, commitInfo } from "./dataset.js";
import { type DatasetState, sameState } from "./dataset-state.js";
import type { CommitInfo, KeyHistoryEntry, KvChange, LogOptions, ShowResult } from "./types.js";

/** The commits from a revision (default: the dataset's head), newest first. */
export async function* logCommits(ds: Dataset, options: LogOptions = {}): AsyncGenerator<CommitInfo> {
  const start = options.ref === undefined ? (await ds.head()).commit?.id : await ds.resolve(options.ref);
  if (start === undefined) return;
  let n = 0;
  for await (const c of ds.repo.walkCommits([start], { firstParent: options.firstParent === true })) {
    if (options.limit !== undefined && n >= options.limit) return;
    if (options.datasetOnly === true && !(await changesDataset(ds, c))) continue;
    n++;
    yield commitInfo(c);
  }
}

async function changesDataset(ds: Dataset, c: Commit): Promise<boolean> {
  const mine = await ds.stateOf(c);
  if (c.parents.length === 0) return mine !== undefined;
  for (const p of c.parents) if (sameState(await ds.stateOf(await ds.repo.readCommit(p)), mine)) return false;
  return true;
}

async function valueIn(ds: Dataset, state: DatasetState | undefined, key: Uint8Array): Promise<Uint8Array | null> {
  if (state === undefined) return null;
  return (await getValue(ds.store, state.root.id, key)) ?? null;
}

function sameValue(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : equalBytes(a, b);
}

/**
 * Commits where `key`'s value changed (like `git log -- <path>`: a merge shows only when it
 * differs from every parent), newest first, with the value after each. One point lookup per
 * commit, skipped when the dataset root did not change.
 */
export async function* keyHistory(
  ds: Dataset,
  key: Uint8Array,
  options: LogOptions = {},
): AsyncGenerator<KeyHistoryEntry> {
  const start = options.ref === undefined ? (await ds.head()).commit?.id : await ds.resolve(options.ref);
  if (start === undefined) return;
  let n = 0;
  for await (const c of ds.repo.walkCommits([start], { firstParent: options.firstParent === true })) {
    if (options.limit !== undefined && n >= options.limit) return;
    const state = await ds.stateOf(c);
    const value = await valueIn(ds, state, key);
    let changed = c.parents.length === 0 ? value !== null : true;
    for (const p of c.parents) {
      const ps = await ds.stateOf(await ds.repo.readCommit(p));
      if (sameState(ps, state) || sameValue(await valueIn(ds, ps, key), value)) {
        changed = false;
        break;
      }
    }
    if (!changed) continue;
    n++;
    yield { commit: commitInfo(c), value };
  }
}

function toChange(d: DiffEntry): KvChange {
  if (d.kind === "added") return { key: d.key, change: "added", before: null, after: d.value };
  if (d.kind === "removed") return { key: d.key, change: "deleted", before: d.value, after: null };
  return { key: d.key, change: "modified", before: d.oldValue, after: d.newValue };
}

/** Key changes from state `a` to state `b`, sorted by key (optionally only keys with `prefix`). */
export async function diffStates(
  ds: Dataset,
  a: DatasetState | undefined,
  b: DatasetState | undefined,
  prefix?: Uint8Array,
): Promise<KvChange[]> {
  const out: KvChange[] = [];
  for await (const d of diffTrees(ds.store, await ds.root(a), await ds.root(b))) {
    if (prefix !== undefined && !hasPrefix(d.key, prefix)) continue;
    out.push(toChange(d));
  }
  return out;
}

/** A commit and its dataset changes against its first parent (all added for a root commit). */
export async function showCommit(ds: Dataset, rev: string): Promise<ShowResult> {
  const c = await ds.commitAt(rev);
  const parent = c.parents[0] === undefined ? undefined : await ds.stateOf(await ds.repo.readCommit(c.parents[0]));
  return { commit: commitInfo(c), changes: await diffStates(ds, parent, await ds.stateOf(c)) };
}
