import { HO_PROD, patchBranch, patchIdRef } from "./branch-names.js";
import { assertPatchId } from "./patch-id.js";
import type { PlanStep } from "./plan-step.js";
import type { PushOptions } from "./plan-release-new.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import { releaseOfPatch, type ReleaseSet } from "./release-set.js";

/** The directory of patches, relative to the project root. */
export const PATCHES_DIR = "Patches";

/** The plan of `patch new <id>`. */
export interface PatchNewPlan {
  id: string;
  /** `ho-patch/<id>`. */
  branch: string;
  /** The ref that reserves the id on origin: take it with {@link reservePatchId} before running `steps`. */
  reservationRef: string;
  /** `Patches/<id>/`. */
  directory: string;
  /** `Patches/<id>/README.md` and its content. */
  readme: { path: string; content: string };
  /** Create and check out the branch from ho-prod, write the README, commit, push the branch. */
  steps: PlanStep[];
}

/** Options of {@link planPatchNew}. */
export interface PatchNewOptions extends PushOptions {
  /** `-d "description"`: the README's first paragraph and the commit message's suffix. */
  description?: string;
  /** Local and remote branch names already known (short names); `ho-patch/<id>` among them is an error. */
  existingBranches?: readonly string[];
}

/**
 * Plans `patch new <id>`: validates the id, refuses an id a release already lists or whose
 * branch exists, and plans branch `ho-patch/<id>` from ho-prod holding `Patches/<id>/README.md`.
 * The id must be reserved on origin ({@link reservePatchId}) before the steps push the branch.
 */
export function planPatchNew(set: ReleaseSet, id: string, options: PatchNewOptions = {}): PatchNewPlan {
  assertPatchId(id);
  const branch = patchBranch(id);
  const listed = releaseOfPatch(set, id);
  if (listed !== undefined || options.existingBranches?.includes(branch) === true) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.PATCH_ID_RESERVED,
      `Patch id ${id} already reserved${listed === undefined ? `: branch ${branch} exists` : `: release ${listed} lists it`}`,
      {
        hint:
          listed === undefined
            ? `Switch to it (git checkout ${branch}) or choose another id`
            : "Choose another id: ids are never reused",
        data: { patchId: id, ...(listed === undefined ? { branch } : { release: listed }) },
      },
    );
  }
  const directory = `${PATCHES_DIR}/${id}`;
  const title =
    options.description === undefined || options.description.trim() === "" ? "" : options.description.trim();
  const content = `# Patch ${id}\n\n${title === "" ? "Describe what this patch changes and why." : title}\n\nFiles run in lexicographic order: \`01_schema.sql\`, \`02_data.sql\`, …\n`;
  const readme = { path: `${directory}/README.md`, content };
  const steps: PlanStep[] = [
    { kind: "create-branch", name: branch, from: HO_PROD },
    { kind: "checkout", branch },
    { kind: "write-file", path: readme.path, content },
    { kind: "commit", paths: [readme.path], message: `Add ${directory}${title === "" ? "" : ` - ${title}`}` },
  ];
  if (options.push !== false)
    steps.push({ kind: "push", remote: options.remote ?? "origin", refspecs: [`${branch}:refs/heads/${branch}`] });
  return { id, branch, reservationRef: patchIdRef(id), directory, readme, steps };
}
