import { VersionedKvStore } from "@git-prolly/kv-store";

/**
 * Opens the dataset containing the current directory (after `-C`).
 * @throws {KvStoreError} KV_NOT_A_DATASET (exit 5) outside a dataset or a repository
 */
export function openStore(dir: string = process.cwd()): Promise<VersionedKvStore> {
  return VersionedKvStore.open(dir);
}
