import type { GitPort } from "./git-port.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import { parseReleaseFileName, RELEASES_DIR } from "./release-file.js";

/** An RC or production file that differs from what was first committed, or was deleted. */
export interface ImmutableViolation {
  /** `releases/<name>`. */
  path: string;
  change: "edited" | "deleted";
  /** The commit that first added the file. */
  addedIn: string;
}

/**
 * Compares every RC and production file ever added on the history of `rev` with its first
 * committed content (Git history is the checksum), and, when `workingTree` reads files, with the
 * working tree too. Returns the violations; see {@link assertImmutableReleases}.
 */
export async function findImmutableViolations(
  git: GitPort,
  rev = "HEAD",
  workingTree?: (path: string) => string | undefined,
): Promise<ImmutableViolation[]> {
  const out: ImmutableViolation[] = [];
  const paths = (await git.pathsEverAdded(rev, RELEASES_DIR)).filter((p) => {
    const f = parseReleaseFileName(p.slice(RELEASES_DIR.length + 1));
    return f !== undefined && f.kind !== "stage";
  });
  for (const path of paths) {
    const first = (await git.commitsAdding(rev, path))[0];
    if (first === undefined) continue;
    const original = await git.readFile(first, path);
    const now = workingTree === undefined ? await git.readFile(rev, path) : workingTree(path);
    if (now === undefined) out.push({ path, change: "deleted", addedIn: first });
    else if (now !== original) out.push({ path, change: "edited", addedIn: first });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Throws `RELEASE_IMMUTABLE_FILE_CHANGED` when {@link findImmutableViolations} finds any. */
export async function assertImmutableReleases(
  git: GitPort,
  rev = "HEAD",
  workingTree?: (path: string) => string | undefined,
): Promise<void> {
  const v = await findImmutableViolations(git, rev, workingTree);
  const first = v[0];
  if (first === undefined) return;
  throw new ReleaseError(
    RELEASE_ERROR_CODES.IMMUTABLE_FILE_CHANGED,
    `RC and production release files are immutable: ${v.map((x) => `${x.path} ${x.change}`).join(", ")}`,
    {
      hint: `Restore them (git checkout ${first.addedIn} -- ${v.map((x) => x.path).join(" ")}) and put further changes in a new patch of the stage`,
      data: { violations: v },
    },
  );
}
