import type { VersionedKvStore } from "@git-prolly/kv-store";
import { shortId } from "./display-bytes.js";
import { emit } from "./emit.js";
import { commitJson } from "./format-commit.js";

/** Arguments of `commit`. */
export interface CommitInput {
  readonly message: string;
  readonly allowEmpty: boolean;
  readonly json: boolean;
}

/** `commit`, on both of its paths (fast path and oclif command). */
export async function runCommit(open: () => Promise<VersionedKvStore>, input: CommitInput): Promise<void> {
  const store = await open();
  try {
    const info = await store.commit(input.message, { allowEmpty: input.allowEmpty });
    if (info === undefined) {
      emit(input.json, { committed: false }, () => "nothing to commit (the dataset has no staged changes)");
      return;
    }
    const branch = await store.currentBranch();
    // The branch the dataset follows (HEAD's unless `checkout` in the dataset chose another).
    emit(
      input.json,
      { committed: true, branch: branch ?? null, commit: commitJson(info) },
      () => `[${branch ?? "detached HEAD"} ${shortId(info.id)}] ${info.subject}`,
    );
  } finally {
    await store.close();
  }
}
