/**
 * Git's ref-name rules (`git check-ref-format`), checked before any ref is written so that
 * nothing invalid ever reaches the disk.
 */
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";

/**
 * Why `name` is not a valid ref name, or `undefined` when it is one. Full names need a `/`
 * unless `allowOneLevel` (for `HEAD`-like pseudo-refs and bare branch names).
 */
export function refNameProblem(name: string, allowOneLevel = false): string | undefined {
  if (name.length === 0) return "it is empty";
  if (name === "@") return "it is the single character @";
  if (name.startsWith("/") || name.endsWith("/")) return "it begins or ends with /";
  if (name.includes("//")) return "it contains //";
  if (name.endsWith(".")) return "it ends with .";
  if (name.includes("..")) return "it contains ..";
  if (name.includes("@{")) return "it contains @{";
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f) return "it contains a control character";
    if (" ~^:?*[\\".includes(ch)) return `it contains ${JSON.stringify(ch)}`;
  }
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return "a component begins with .";
    if (part.endsWith(".lock")) return "a component ends with .lock";
  }
  if (!allowOneLevel && !name.includes("/")) return "it has a single component";
  return undefined;
}

/**
 * Checks a full ref name such as `refs/heads/main` (or `HEAD`).
 * @throws {GitStoreError} GIT_INVALID_REF_NAME
 */
export function assertValidRefName(name: string): void {
  if (name === "HEAD" || /^[A-Z_]+_HEAD$/.test(name)) return;
  const problem = refNameProblem(name);
  if (problem !== undefined) throw invalidRefName(name, problem);
}

/** Why `name` cannot be a branch name, or `undefined`. */
export function branchNameProblem(name: string): string | undefined {
  if (name.startsWith("-")) return "it begins with -";
  if (name === "HEAD") return "HEAD is reserved";
  if (name.startsWith("refs/")) return "give the short name, without refs/";
  return refNameProblem(`refs/heads/${name}`);
}

/**
 * Checks a short branch name (`feature/x`), as `git branch` would.
 * @throws {GitStoreError} GIT_INVALID_REF_NAME
 */
export function assertValidBranchName(name: string): void {
  const problem = branchNameProblem(name);
  if (problem !== undefined) throw invalidRefName(name, problem);
}

function invalidRefName(name: string, problem: string): GitStoreError {
  return new GitStoreError(
    GIT_ERROR_CODES.INVALID_REF_NAME,
    `${JSON.stringify(name)} is not a valid ref name: ${problem}`,
    {
      hint: "Use letters, digits, '-', '_', '.' and '/' (see `git help check-ref-format`).",
      data: { name, problem },
    },
  );
}
