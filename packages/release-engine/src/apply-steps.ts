import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { GitPort } from "./git-port.js";
import type { PlanStep } from "./plan-step.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";

/** Options of {@link applySteps}. */
export interface ApplyStepsOptions {
  /** The project root the plan's paths are relative to (default: the port's working tree). */
  root?: string;
  /** Called before each step (progress, logs). */
  onStep?: (step: PlanStep, index: number) => void;
}

/**
 * Performs a plan's steps in order through the Git port and the file system. A merge that
 * stops on conflicts is aborted and becomes `RELEASE_MERGE_CONFLICT` naming the files; deleting a
 * local branch that does not exist is not an error (deletions are idempotent). The caller owns
 * recovery: run the plan's `cleanup` steps, or reset, when a step throws.
 */
export async function applySteps(
  git: GitPort,
  steps: readonly PlanStep[],
  options: ApplyStepsOptions = {},
): Promise<void> {
  const root = options.root ?? git.cwd;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    options.onStep?.(step, i);
    switch (step.kind) {
      case "write-file": {
        const file = join(root, step.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, step.content);
        break;
      }
      case "delete-file":
        rmSync(join(root, step.path), { force: true });
        break;
      case "commit":
        await git.commit(step.paths, step.message);
        break;
      case "create-branch":
        await git.createBranch(step.name, step.from);
        break;
      case "checkout":
        await git.checkout(step.branch, step.force === true ? { force: true } : {});
        break;
      case "merge": {
        const r = await git.merge(
          step.ref,
          step.message,
          step.resolveTheirs === undefined ? {} : { theirs: step.resolveTheirs },
        );
        if (!r.ok) {
          throw new ReleaseError(
            RELEASE_ERROR_CODES.MERGE_CONFLICT,
            `Merge conflict integrating ${step.ref}: ${r.conflicts.join(", ")}`,
            {
              hint: `Merge ho-prod into the patch branch and resolve the conflicts there (git checkout ${step.ref} && git merge ho-prod), then run the command again`,
              data: { ref: step.ref, conflicts: r.conflicts },
            },
          );
        }
        break;
      }
      case "delete-branch":
        if ((await git.branches(step.name)).includes(step.name))
          await git.deleteBranch(step.name, { force: step.force });
        if (step.remote !== undefined) await git.push(step.remote, [`:refs/heads/${step.name}`], { atomic: false });
        break;
      case "reset-hard":
        await git.resetHard(step.to);
        break;
      case "tag":
        await git.createTag(step.name, step.at, step.message);
        break;
      case "push":
        await git.push(step.remote, step.refspecs, { atomic: true });
        break;
    }
  }
}
