import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import type { Git } from "./git.js";

/** The ref reserving a patch number on origin. */
export function reservationRef(id: string): string {
  return `refs/git-prolly/patch-ids/${id.split("-")[0] ?? id}`;
}

/**
 * Reserves the number of a patch id on origin (or locally without one): a ref created with a
 * lease that says "must not exist", so of two developers creating patch 42 exactly one succeeds.
 * Re-running for the same id (same reserved name) succeeds.
 *
 * @throws {@link DevError} `DEV_PATCH_EXISTS`.
 */
export async function reservePatchNumber(git: Git, id: string): Promise<void> {
  const ref = reservationRef(id);
  const tree = (await git.run(["mktree"], { input: "" })).trim();
  const commit = (await git.run(["commit-tree", tree, "-m", `git-prolly patch id ${id}`])).trim();
  const remote = await git.hasOrigin();
  const ok = remote
    ? (await git.tryRun(["push", "--quiet", "--porcelain", `--force-with-lease=${ref}:`, "origin", `${commit}:${ref}`]))
        .code === 0
    : (await git.tryRun(["update-ref", ref, commit, "0".repeat(40)])).code === 0;
  if (ok) return;
  const holder = await reservedName(git, remote, ref);
  if (holder === id) return;
  throw new DevError(
    DEV_ERROR_CODES.PATCH_EXISTS,
    `Patch number ${id.split("-")[0]} is already reserved${holder === undefined ? "" : ` by patch ${holder}`}`,
    {
      hint: "Choose another patch number: each number is reserved once, on origin.",
      data: { id, ref, ...(holder === undefined ? {} : { reservedBy: holder }) },
    },
  );
}

async function reservedName(git: Git, remote: boolean, ref: string): Promise<string | undefined> {
  let sha: string | undefined;
  if (remote) {
    sha = (await git.tryRun(["ls-remote", "origin", ref])).stdout.split(/\s/)[0];
    if (sha !== undefined && sha !== "") await git.tryRun(["fetch", "--quiet", "--no-tags", "origin", ref]);
  } else {
    sha = await git.revParse(ref);
  }
  if (sha === undefined || sha === "") return undefined;
  const subject = (await git.tryRun(["log", "-1", "--format=%s", sha])).stdout.trim();
  return subject.startsWith("git-prolly patch id ") ? subject.slice("git-prolly patch id ".length) : undefined;
}
