import type { Following } from "@git-prolly/kv-store";
import { shortId } from "./display-bytes.js";

/** `following()` for `--json`. */
export function followingJson(f: Following): Record<string, unknown> {
  return {
    dataset: f.dataset,
    kind: f.kind,
    ref: f.ref ?? null,
    commit: f.commit ?? null,
    readOnly: f.readOnly,
    branchTip: f.branchTip ?? null,
    repositoryBranch: f.repositoryBranch ?? null,
    repositoryCommit: f.repositoryCommit ?? null,
  };
}

function repositoryOn(f: Following): string {
  return f.repositoryBranch === undefined
    ? `repository at detached HEAD ${f.repositoryCommit === undefined ? "" : shortId(f.repositoryCommit)}`.trimEnd()
    : `repository on ${f.repositoryBranch}`;
}

/**
 * One line: "dataset config on branch main", or, when the dataset follows its own ref,
 * "dataset config follows production; repository on hotfix/x".
 */
export function followingLine(f: Following): string {
  switch (f.kind) {
    case "head":
      return f.ref === undefined
        ? `dataset ${f.dataset} at detached HEAD ${f.commit === undefined ? "" : shortId(f.commit)}`.trimEnd()
        : `dataset ${f.dataset} on branch ${f.ref}`;
    case "branch":
      return `dataset ${f.dataset} follows ${f.ref ?? "?"}; ${repositoryOn(f)}`;
    case "tag":
      return `dataset ${f.dataset} follows tag ${f.ref ?? "?"} (read-only); ${repositoryOn(f)}`;
    case "commit":
      return `dataset ${f.dataset} follows commit ${f.commit === undefined ? "?" : shortId(f.commit)} (read-only); ${repositoryOn(f)}`;
  }
}

/**
 * What `current-branch` prints: the followed branch (or tag), else the commit id, so that
 * `checkout "$(current-branch)"` returns to it.
 */
export function currentRef(f: Following): string {
  if (f.kind === "commit") return f.commit ?? "";
  return f.ref ?? f.commit ?? "";
}
