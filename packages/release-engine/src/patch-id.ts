import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";

/** The form of a patch id: a number, optionally followed by lower-case words (`123-add-users`). */
export const PATCH_ID_PATTERN = /^\d+(-[a-z0-9]+)*$/;

/** True when `id` is a valid patch id. */
export function isPatchId(id: string): boolean {
  return PATCH_ID_PATTERN.test(id);
}

/** Returns `id` when valid; otherwise throws `RELEASE_INVALID_PATCH_ID`. */
export function assertPatchId(id: string): string {
  if (!isPatchId(id)) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.INVALID_PATCH_ID,
      `Invalid patch id: ${JSON.stringify(id)} (expected a number, optionally followed by -words, e.g. 123-add-users)`,
      {
        hint: "Use digits then lower-case words separated by dashes: git-prolly dev patch new 123-add-users",
        data: { patchId: id },
      },
    );
  }
  return id;
}
