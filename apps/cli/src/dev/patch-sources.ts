import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { archiveBranch, PATCHES_DIR, type GitCli } from "@git-prolly/release-engine";

/** A directory holding every patch a plan needs, and how to remove it. */
export interface PatchesView {
  dir: string;
  dispose(): void;
}

function hasPatchFiles(root: string, id: string): boolean {
  const dir = join(root, PATCHES_DIR, id);
  return existsSync(dir) && readdirSync(dir).some((f) => f !== "README.md");
}

/**
 * A patches directory for `ids`: the working tree's `Patches/` when it holds them all (the
 * common case on ho-prod), else a scratch copy where patches missing from the working tree are
 * read from their archive branch `ho-release/<version>/<id>` (local, or origin's).
 */
export async function patchesFor(
  git: GitCli,
  root: string,
  ids: readonly string[],
  versionOf: (id: string) => string | undefined,
): Promise<PatchesView> {
  const missing = ids.filter((id) => !hasPatchFiles(root, id));
  const worktree = join(root, PATCHES_DIR);
  if (missing.length === 0) return { dir: worktree, dispose: () => {} };
  const scratch = mkdtempSync(join(tmpdir(), "git-prolly-patches-"));
  for (const id of ids) {
    const dest = join(scratch, id);
    const version = versionOf(id);
    const ref = version === undefined ? undefined : await resolveArchive(git, archiveBranch(version, id));
    if (!missing.includes(id) || ref === undefined) {
      if (existsSync(join(worktree, id))) copyDir(join(worktree, id), dest);
      continue;
    }
    const files = (await git.run(["ls-tree", "-r", "--name-only", ref, "--", `${PATCHES_DIR}/${id}`]))
      .split("\n")
      .filter((l) => l !== "");
    for (const f of files) {
      const out = join(scratch, f.slice(PATCHES_DIR.length + 1));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, await git.run(["show", `${ref}:${f}`]));
    }
  }
  return { dir: scratch, dispose: () => rmSync(scratch, { recursive: true, force: true }) };
}

async function resolveArchive(git: GitCli, branch: string): Promise<string | undefined> {
  return (await git.revParse(`refs/heads/${branch}`)) ?? (await git.revParse(`refs/remotes/origin/${branch}`));
}

function copyDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyDir(join(from, e.name), join(to, e.name));
    else writeFileSync(join(to, e.name), readFileSync(join(from, e.name)));
  }
}
