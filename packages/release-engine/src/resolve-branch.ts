/** Branches known to a planner: local ones and the remote's (as last fetched), short names. */
export interface KnownBranches {
  /** Local branch names; undefined: every branch the plan names is assumed to exist locally. */
  existingBranches?: readonly string[] | undefined;
  /** Branches of the remote (without the `<remote>/` prefix), used when a branch is not local. */
  remoteBranches?: readonly string[] | undefined;
  /** The remote's name (default `origin`). */
  remote?: string | undefined;
}

/**
 * The revision to use for a branch: the local branch when it exists (or nothing is known), else
 * `<remote>/<name>` when only the remote has it (an integration manager adding a patch pushed by
 * another developer), else undefined.
 */
export function resolveBranch(name: string, known: KnownBranches): string | undefined {
  if (known.existingBranches === undefined || known.existingBranches.includes(name)) return name;
  if (known.remoteBranches?.includes(name) === true) return `${known.remote ?? "origin"}/${name}`;
  return undefined;
}
