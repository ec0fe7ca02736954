import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GitPort } from "./git-port.js";
import { parseReleaseFileName, RELEASES_DIR } from "./release-file.js";
import { buildReleaseSet, type ReleaseSet } from "./release-set.js";

/** Reads `releases/` of a working tree (an absent directory is an empty set). */
export function readReleasesDir(projectRoot: string): ReleaseSet {
  const dir = join(projectRoot, RELEASES_DIR);
  if (!existsSync(dir)) return buildReleaseSet([]);
  const names = readdirSync(dir).filter((n) => parseReleaseFileName(n) !== undefined);
  return buildReleaseSet(names.map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") })));
}

/** Reads `releases/` at a Git revision (so a patch branch sees ho-prod's releases: `readReleasesAt(git, "origin/ho-prod")`). */
export async function readReleasesAt(git: GitPort, rev: string): Promise<ReleaseSet> {
  const names = (await git.listDir(rev, RELEASES_DIR)).filter((n) => parseReleaseFileName(n) !== undefined);
  const entries = await Promise.all(
    names.map(async (name) => ({ name, text: (await git.readFile(rev, `${RELEASES_DIR}/${name}`)) ?? "" })),
  );
  return buildReleaseSet(entries);
}
