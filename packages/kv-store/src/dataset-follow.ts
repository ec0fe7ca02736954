/**
 * A dataset in a working tree's sub-directory can follow a branch, tag or commit of its own
 * while the repository stays on its branch (the seed's "test the hotfix against production
 * data"): this file switches the dataset's files — its index entries and working-tree files, like
 * `git checkout <ref> -- <dir>`, and also removing files absent from the target, so the directory
 * equals the target's — and describes what the dataset follows. The record itself and when Git
 * makes it void: follow-record.ts; the checkout: checkout-dataset.ts.
 */
import { type Commit, DIR_MODE, isGitStoreError } from "@git-prolly/git-object-store";
import { type Dataset, type HeadState, branchName } from "./dataset.js";
import { KvStoreError } from "./errors.js";
import { MANIFEST_NAME, ROOT_NAME } from "./manifest.js";
import type { Following } from "./types.js";

/** The whole picture of what `ds` follows. */
export async function describeFollowing(ds: Dataset): Promise<Following> {
  const at = await ds.head();
  const repositoryBranch = branchName(at.repository);
  const common = { dataset: ds.label, repositoryBranch, repositoryCommit: at.repository.id };
  const f = at.follow;
  if (f === undefined)
    return {
      ...common,
      kind: "head",
      ref: repositoryBranch,
      commit: at.repository.id,
      branchTip: undefined,
      readOnly: false,
    };
  return {
    ...common,
    kind: f.record.kind,
    ref: f.name,
    commit: at.commit?.id,
    branchTip: f.moved?.tip,
    readOnly: f.readOnly,
  };
}

/** Pathspecs of the dataset directory's files other than the data (`prolly.json`, `root`). */
function otherPathspecs(ds: Dataset): string[] {
  return [
    `:(literal)${ds.paths.prefix.slice(0, -1)}`,
    `:(exclude,literal)${ds.paths.manifest}`,
    `:(exclude,literal)${ds.paths.root}`,
  ];
}

function isData(ds: Dataset, path: string): boolean {
  return path === ds.paths.manifest || path === ds.paths.root || path.startsWith(`${ds.paths.root}/`);
}

/** True when the index or `commit` has files in the dataset directory besides the data. */
async function hasOtherFiles(ds: Dataset, commit: Commit | undefined): Promise<boolean> {
  const dir = ds.paths.prefix.slice(0, -1);
  if ((await ds.repo.worktree!.entriesUnder(dir)).some((e) => !isData(ds, e.path))) return true;
  const entry = commit === undefined ? undefined : await ds.repo.readEntry(commit.tree, dir);
  if (entry === undefined || entry.mode !== DIR_MODE) return false;
  return (await ds.repo.readTree(entry.id)).some((e) => e.name !== MANIFEST_NAME && e.name !== ROOT_NAME);
}

/** The dataset directory's tree id in a commit (all its files, data and others). */
export async function directoryId(ds: Dataset, commit: Commit | undefined): Promise<string | undefined> {
  return commit === undefined ? undefined : (await ds.repo.readEntry(commit.tree, ds.paths.prefix.slice(0, -1)))?.id;
}

async function git(ds: Dataset, args: string[], okCodes?: number[]): Promise<{ stdout: string; code: number }> {
  try {
    const r = await ds.repo.worktree!.git(args, okCodes === undefined ? {} : { okCodes });
    return { stdout: r.stdout, code: r.code };
  } catch (cause) {
    throw new KvStoreError("KV_GIT_FAILED", `git ${args[0] ?? ""} failed on dataset ${ds.label}`, {
      hint: "See data.stderr; the dataset's files may be half switched: `git-prolly checkout <ref> --force` switches them again.",
      data: { stderr: isGitStoreError(cause) ? (cause.data.stderr ?? null) : null },
      cause,
    });
  }
}

/**
 * Refuses when the dataset has uncommitted changes (its data against the dataset's head, or
 * other files of its directory) that a switch would discard.
 * @throws {KvStoreError} KV_UNCOMMITTED_CHANGES
 */
export async function assertSwitchable(ds: Dataset, at: HeadState, action: string): Promise<void> {
  await ds.assertClean(action);
  if (!(await hasOtherFiles(ds, at.commit))) return;
  const spec = otherPathspecs(ds);
  const staged =
    at.commit === undefined
      ? 1
      : (await git(ds, ["diff-index", "--cached", "--quiet", at.commit.id, "--", ...spec], [0, 1])).code;
  const lines = (await git(ds, ["status", "--porcelain=v1", "-z", "--untracked-files=no", "--", ...spec])).stdout
    .split("\0")
    .filter((l) => l.length > 3);
  const unstaged = lines.filter((l) => l[1] !== " ").map((l) => l.slice(3));
  if (staged === 0 && unstaged.length === 0) return;
  throw new KvStoreError(
    "KV_UNCOMMITTED_CHANGES",
    `cannot ${action}: files of dataset ${ds.label} beside its data have uncommitted changes`,
    {
      hint: `Commit them with git (\`git commit ${ds.label}\`) or restore them (\`git checkout -- ${ds.label}\`), or pass force to discard them.`,
      data: { dataset: ds.label, staged: staged !== 0, unstaged: unstaged.slice(0, 20) },
    },
  );
}

/**
 * Makes the dataset's index entries and files exactly `target`'s (absent: removes the dataset's
 * files): the data through the staging area (only the node files that differ are written), the
 * directory's other files through `git restore`. Uncommitted dataset changes are discarded.
 */
export async function switchDatasetFiles(ds: Dataset, target: Commit | undefined): Promise<void> {
  await ds.staging.reset(target === undefined ? undefined : await ds.stateOf(target));
  if (!(await hasOtherFiles(ds, target))) return;
  const spec = otherPathspecs(ds);
  if (target === undefined) await git(ds, ["rm", "-r", "-q", "-f", "--ignore-unmatch", "--", ...spec]);
  else await git(ds, ["restore", `--source=${target.id}`, "--staged", "--worktree", "--", ...spec]);
}
