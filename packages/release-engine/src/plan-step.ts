/**
 * One operation of a plan, performed in order by {@link applySteps}. Plans are data: `--dry-run`
 * prints them, `--json` serializes them, tests compare them.
 */
export type PlanStep =
  /** Write a file of the working tree (path relative to the project root, `/` separators). */
  | { kind: "write-file"; path: string; content: string }
  /** Delete a file of the working tree. */
  | { kind: "delete-file"; path: string }
  /** Stage the paths and commit. */
  | { kind: "commit"; paths: string[]; message: string }
  /** Create a local branch at a revision. */
  | { kind: "create-branch"; name: string; from: string }
  /** Check out an existing local branch; `force` discards the changes of the working tree (cleanup only). */
  | { kind: "checkout"; branch: string; force?: boolean }
  /** Merge a revision into the current branch (`--no-ff`). */
  | { kind: "merge"; ref: string; message: string }
  /** Delete a local branch (and, with `remote`, the branch on that remote). */
  | { kind: "delete-branch"; name: string; force: boolean; remote?: string }
  /** Create an annotated tag at a revision. */
  | { kind: "tag"; name: string; at: string; message: string }
  /** Push refspecs to a remote in one atomic push. */
  | { kind: "push"; remote: string; refspecs: string[] };

/** Renders a step as one line for `--dry-run` output. */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case "write-file":
      return `write ${step.path}${step.content === "" ? " (empty)" : ` (${step.content.split("\n").filter((l) => l !== "").length} line(s))`}`;
    case "delete-file":
      return `delete ${step.path}`;
    case "commit":
      return `commit "${step.message.split("\n")[0]}"`;
    case "create-branch":
      return `create branch ${step.name} at ${step.from}`;
    case "checkout":
      return `checkout ${step.branch}${step.force === true ? " (discarding changes)" : ""}`;
    case "merge":
      return `merge ${step.ref}`;
    case "delete-branch":
      return `delete branch ${step.name}${step.remote === undefined ? "" : ` (and on ${step.remote})`}`;
    case "tag":
      return `tag ${step.name} at ${step.at}`;
    case "push":
      return `push ${step.remote} ${step.refspecs.join(" ")}`;
  }
}
