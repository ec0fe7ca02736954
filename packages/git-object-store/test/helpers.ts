import { chmodSync } from "node:fs";
import { join } from "node:path";
import { type GitRepository, type Signature, initGitRepository, openGitRepository } from "../src/index.js";
import { git, removeDir, tempDir, writeFile } from "../../../scripts/test-git.mjs";

export { GIT_ENV, git, removeDir, tempDir, gitWith as gitInput } from "../../../scripts/test-git.mjs";

/** A signature at a given second (deterministic commit ids and orders). */
export function sig(timestamp: number, name = "Test"): Signature {
  return { name, email: `${name.toLowerCase()}@example.com`, timestamp, timezoneOffset: 60 };
}

export const bytes = (s: string): Uint8Array => Buffer.from(s, "utf8");
export const text = (b: Uint8Array): string => Buffer.from(b).toString("utf8");

/** A repository and its temporary directory. */
export interface TestRepository {
  dir: string;
  repo: GitRepository;
}

/** A new, empty repository (branch `main`) made by the package in a temporary `label-` directory. */
export async function newRepository(label: string): Promise<TestRepository> {
  const dir = tempDir(label);
  return { dir, repo: await initGitRepository(dir, { initialBranch: "main" }) };
}

/**
 * A repository made by git with `files` (path → content; `executable` ones mode 755) committed
 * on `main` as "init", then opened by the package.
 */
export async function committedRepository(
  label: string,
  files: Record<string, string>,
  executable: string[] = [],
): Promise<TestRepository> {
  const dir = tempDir(label);
  git(dir, "init", "-q", "-b", "main");
  for (const [path, content] of Object.entries(files)) writeFile(join(dir, path), content);
  for (const path of executable) chmodSync(join(dir, path), 0o755);
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "init");
  return { dir, repo: await openGitRepository(dir) };
}

/** Closes a repository and removes its directory (the usual `afterEach`). */
export async function closeRepository({ dir, repo }: TestRepository): Promise<void> {
  await repo.close();
  removeDir(dir);
}
