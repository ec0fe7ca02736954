import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";
import type { ObjectId } from "../objects/object-id.js";

/** @internal */
export function refMoved(
  name: string,
  expected: ObjectId | null | undefined,
  actual: ObjectId | undefined,
): GitStoreError {
  const want = expected === null || expected === undefined ? "to be absent" : `at ${expected.slice(0, 12)}`;
  const got = actual === undefined ? "it is absent" : `it is at ${actual.slice(0, 12)}`;
  return new GitStoreError(GIT_ERROR_CODES.REF_MOVED, `${name} moved: expected it ${want}, but ${got}`, {
    hint: "Another writer updated the ref first; re-read it and retry on top of the new value.",
    data: { ref: name, expected: expected ?? null, actual: actual ?? null },
  });
}

/** @internal */
export function refNotFound(name: string): GitStoreError {
  return new GitStoreError(GIT_ERROR_CODES.REF_NOT_FOUND, `ref ${name} does not exist`, {
    hint: "List refs to see which exist.",
    data: { ref: name },
  });
}
