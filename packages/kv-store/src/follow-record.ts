/**
 * The follow record of a dataset that a per-dataset `checkout` switched to another branch, tag
 * or commit: `<git dir>/prolly/datasets/<key>/follow`, in the worktree's own Git directory (so
 * each `git worktree add` checkout has its own). It says what the dataset follows, the commit its
 * files were switched to (moved on by each commit and merge) and where `HEAD` was at that time.
 *
 * Git stays the truth (R4): a record is only believed while Git still shows what it describes.
 * It is void, and removed by the first reader that sees it so (a void record never comes back,
 * whatever Git does next), when
 * - `HEAD` is on another branch than when it was written (a whole-repository `git checkout`), or
 *   moved at all while detached;
 * - the dataset's index entries equal `HEAD`'s while differing from the followed commit's:
 *   `git reset --hard`, `git stash`, `git checkout -- <dir>` put `HEAD`'s data back;
 * - it was written before the dataset's files were switched (`pending`) and the index does not
 *   hold the target's data (a checkout that was interrupted).
 * Staged edits on top of the followed data (index differing from both) keep it.
 */
import type { Head, ObjectId, Repository } from "@git-prolly/git-object-store";
import { datasetKey } from "./dataset-key.js";
import { type DatasetPaths, type DatasetState, readDatasetState, sameState } from "./dataset-state.js";

/** What a dataset follows instead of `HEAD`. */
export interface FollowRecord {
  readonly version: 1;
  readonly kind: "branch" | "tag" | "commit";
  /** The full ref (`refs/heads/production`, `refs/tags/v1.2.3`), or the commit id for `"commit"`. */
  readonly ref: string;
  /** The commit whose dataset the index was switched to (or last committed). */
  readonly commit: ObjectId;
  /** `HEAD`'s symbolic ref when written (`refs/heads/hotfix/x`), `null` when it was detached. */
  readonly head: string | null;
  /** `HEAD`'s commit when it was detached, else `null`. */
  readonly headCommit: ObjectId | null;
  /** Written before the dataset's files were switched to `commit`. */
  readonly pending: boolean;
}

/** The state name of a dataset's follow record. */
export function followName(prefix: string): string {
  return `datasets/${datasetKey(prefix)}/follow`;
}

const KINDS = new Set(["branch", "tag", "commit"]);
const ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Parses a record; `undefined` for anything malformed (treated as void). */
export function decodeFollow(bytes: Uint8Array): FollowRecord | undefined {
  try {
    const r = JSON.parse(Buffer.from(bytes).toString("utf8")) as Partial<FollowRecord>;
    if (
      r.version !== 1 ||
      !KINDS.has(r.kind as string) ||
      typeof r.ref !== "string" ||
      typeof r.commit !== "string" ||
      !ID.test(r.commit)
    )
      return undefined;
    if (r.head !== null && typeof r.head !== "string") return undefined;
    if (r.headCommit !== null && (typeof r.headCommit !== "string" || !ID.test(r.headCommit))) return undefined;
    return {
      version: 1,
      kind: r.kind!,
      ref: r.ref,
      commit: r.commit,
      head: r.head,
      headCommit: r.headCommit,
      pending: r.pending === true,
    };
  } catch {
    return undefined;
  }
}

/** A record's bytes (JSON, one line). */
export function encodeFollow(r: FollowRecord): Uint8Array {
  return Buffer.from(
    `${JSON.stringify({ version: r.version, kind: r.kind, ref: r.ref, commit: r.commit, head: r.head, headCommit: r.headCommit, pending: r.pending })}\n`,
    "utf8",
  );
}

/** The `head`/`headCommit` fields for `HEAD` as it is now. */
export function headFields(head: Head): Pick<FollowRecord, "head" | "headCommit"> {
  return head.kind === "branch" ? { head: head.ref, headCommit: null } : { head: null, headCommit: head.id ?? null };
}

/** Why a record is void, or `undefined` when Git still shows what it describes. */
export async function voidReason(
  repo: Repository,
  paths: DatasetPaths,
  record: FollowRecord,
  head: Head,
  indexed: () => Promise<DatasetState | undefined>,
): Promise<string | undefined> {
  const now = headFields(head);
  if (record.head !== now.head)
    return `the repository's HEAD moved to ${head.kind === "branch" ? head.ref.replace(/^refs\/heads\//, "") : "a detached commit"}`;
  if (record.head === null && record.headCommit !== now.headCommit) return "the repository's detached HEAD moved";
  let followed: DatasetState | undefined;
  try {
    followed = await readDatasetState(repo, (await repo.readCommit(record.commit)).tree, paths);
  } catch {
    return `commit ${record.commit} is no longer in the repository`;
  }
  const index = await indexed();
  if (sameState(index, followed)) return undefined;
  if (record.pending) return "the checkout that wrote it did not finish";
  const atHead =
    head.id === undefined ? undefined : await readDatasetState(repo, (await repo.readCommit(head.id)).tree, paths);
  if (sameState(index, atHead))
    return "the dataset's index entries are HEAD's again (git reset, git stash or git checkout)";
  return undefined;
}
