/**
 * Creating a dataset: the manifest blob and an empty root staged (index and files, or the state
 * file of a bare repository) and, unless asked otherwise, committed on their own.
 */
import { commitState } from "./commit-dataset.js";
import type { Dataset } from "./dataset.js";
import { rootEntry } from "./dataset-state.js";
import { KvStoreError } from "./errors.js";
import { createManifest, encodeManifest } from "./manifest.js";
import type { ChunkingConfig } from "@git-prolly/prolly-core";

/** What {@link createDataset} needs to know. */
export interface CreateDatasetOptions {
  readonly chunking?: ChunkingConfig;
  readonly commit?: boolean;
  readonly message?: string;
}

/** Creates the dataset when it does not exist (checking the format when it does). */
export async function createDataset(ds: Dataset, options: CreateDatasetOptions): Promise<void> {
  if ((await ds.staging.read()) !== undefined) {
    await ds.manifest();
    return;
  }
  await assertPathsFree(ds);
  const [manifest] = await ds.repo.objects.write([
    { type: "blob", content: encodeManifest(createManifest(options.chunking)) },
  ]);
  const state = { manifest: manifest!, root: await rootEntry(ds.store, await ds.root(undefined)) };
  await ds.staging.mutate(async () => ({ next: state, result: undefined }));
  if (options.commit !== false)
    await commitState(
      ds,
      options.message ?? `Initialize git-prolly dataset${ds.label === "." ? "" : ` in ${ds.label}`}`,
    );
}

/** Refuses to create a dataset where `prolly.json` or `root` already exist as other files. */
async function assertPathsFree(ds: Dataset): Promise<void> {
  const taken: string[] = [];
  const wt = ds.repo.worktree;
  if (wt !== undefined) {
    for (const p of [ds.paths.manifest, ds.paths.root]) {
      if ((await wt.entriesUnder(p)).length > 0 || (await wt.readFile(p).catch(() => new Uint8Array(0))) !== undefined)
        taken.push(p);
    }
  }
  const { state, commit } = await ds.head();
  if (state === undefined && commit !== undefined) {
    for (const p of [ds.paths.manifest, ds.paths.root])
      if ((await ds.repo.readEntry(commit.tree, p)) !== undefined) taken.push(p);
  }
  if (taken.length > 0) {
    throw new KvStoreError(
      "KV_PATH_IN_USE",
      `cannot create a dataset in ${ds.label}: ${[...new Set(taken)].join(", ")} already exist`,
      {
        hint: "Choose an empty directory (or one without prolly.json and root) for the dataset.",
        data: { dataset: ds.label, paths: [...new Set(taken)] },
      },
    );
  }
}
