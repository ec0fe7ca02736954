/**
 * Staging without a working tree (bare and in-memory repositories): the staged state is a small
 * file, `<git dir>/prolly/datasets/<key>/staged`, holding the manifest id and root entry. When it
 * is absent, the staged state is the dataset at `HEAD`.
 */
import type { Repository } from "@git-prolly/git-object-store";
import { type DatasetPaths, type DatasetState, readDatasetState, sameState } from "./dataset-state.js";
import type { MutateOptions, StagingArea, StagingChange } from "./staging.js";

function decode(bytes: Uint8Array): DatasetState | undefined {
  const r = JSON.parse(Buffer.from(bytes).toString("utf8")) as { state: DatasetState | null };
  return r.state ?? undefined;
}

function encode(state: DatasetState | undefined): Uint8Array {
  return Buffer.from(JSON.stringify({ state: state ?? null }), "utf8");
}

/** {@link StagingArea} in a state file. */
export class StateStaging implements StagingArea {
  readonly kind = "state-file";
  readonly #name: string;

  constructor(
    readonly repo: Repository,
    readonly paths: DatasetPaths,
    key: string,
  ) {
    this.#name = `datasets/${key}/staged`;
  }

  async #head(): Promise<DatasetState | undefined> {
    const head = await this.repo.readHead();
    if (head.id === undefined) return undefined;
    return readDatasetState(this.repo, (await this.repo.readCommit(head.id)).tree, this.paths);
  }

  async read(): Promise<DatasetState | undefined> {
    const bytes = await this.repo.state.read(this.#name);
    return bytes === undefined ? this.#head() : decode(bytes);
  }

  async mutate<T>(
    change: (current: DatasetState | undefined) => Promise<StagingChange<T>>,
    options: MutateOptions = {},
  ): Promise<T> {
    let result: T | undefined;
    await this.repo.state.update(this.#name, async (bytes) => {
      const current = bytes === undefined ? await this.#head() : decode(bytes);
      const outcome = await change(current);
      result = outcome.result;
      await this.repo.objects.flush();
      return encode(outcome.next);
    });
    // The state store writes the file when the callback returns: this runs just after, outside its lock.
    await options.afterWrite?.();
    return result as T;
  }

  async unstaged(): Promise<string[]> {
    return [];
  }

  async settle(committed: DatasetState | undefined): Promise<void> {
    // Drop the file when it only repeats what HEAD now holds, so HEAD moved by others shows through.
    await this.repo.state.update(this.#name, (bytes) =>
      bytes !== undefined && sameState(decode(bytes), committed) ? null : (bytes ?? null),
    );
  }

  async repair(): Promise<void> {
    // The state file is replaced atomically: a killed writer leaves nothing half-written.
  }

  async headMoved(state: DatasetState | undefined): Promise<void> {
    await this.reset(state);
  }

  async reset(state: DatasetState | undefined): Promise<void> {
    const head = await this.#head();
    await this.repo.state.update(this.#name, () => (sameState(head, state) ? null : encode(state)));
  }
}
