/**
 * Revision expressions, the useful subset of `git help revisions`: full and short object ids,
 * `HEAD` and `@`, ref names resolved in Git's order (`<name>`, `refs/<name>`, `refs/tags/…`,
 * `refs/heads/…`, `refs/remotes/…`, `refs/remotes/…/HEAD`), suffixes `~n`, `^n`, `^{commit}`,
 * `^{tree}`, `^{}`, and `<rev>:<path>`. Annotated tags are peeled.
 */
import { type Commit, decodeTag } from "../objects/commit-object.js";
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";
import { type ObjectId, type ObjectType, isObjectId } from "../objects/object-id.js";
import type { ObjectStore } from "../objects/object-store.js";
import { refNameProblem } from "./ref-name.js";
import type { RefStore } from "./ref-store.js";
import { decodeTreeObject } from "../objects/tree-object.js";
import { splitTreePath } from "../trees/tree-path.js";

/** What a revision is resolved against. */
export interface RevisionContext {
  readonly objects: ObjectStore;
  readonly refs: RefStore;
  readonly readCommit: (id: ObjectId) => Promise<Commit>;
}

/** What the resolved object must be: peeled to a commit (default), a tree, or left as it is. */
export type PeelTarget = "commit" | "tree" | "any";

function unknown(rev: string, hint = "Check the spelling; list branches and tags to see what exists."): GitStoreError {
  return new GitStoreError(GIT_ERROR_CODES.UNKNOWN_REVISION, `unknown revision ${JSON.stringify(rev)}`, {
    hint,
    data: { revision: rev },
  });
}

function invalid(rev: string, why: string): GitStoreError {
  return new GitStoreError(GIT_ERROR_CODES.INVALID_REVISION, `cannot parse revision ${JSON.stringify(rev)}: ${why}`, {
    hint: "Use a branch, tag or commit id, optionally followed by ~n or ^n.",
    data: { revision: rev },
  });
}

async function typeOf(ctx: RevisionContext, id: ObjectId): Promise<ObjectType | undefined> {
  return (await ctx.objects.read(id))?.type;
}

/** Peels tags (and commits, for trees) until the object has the wanted type. */
async function peel(
  ctx: RevisionContext,
  id: ObjectId,
  target: PeelTarget | ObjectType,
  rev: string,
): Promise<ObjectId> {
  let current = id;
  for (let depth = 0; depth < 20; depth++) {
    const o = await ctx.objects.read(current);
    if (o === undefined) throw unknown(rev, "The object it names is missing from the repository.");
    if (target === "any" || o.type === target) return current;
    if (o.type === "tag") current = decodeTag(current, o.content).object;
    else if (o.type === "commit" && target === "tree") current = (await ctx.readCommit(current)).tree;
    else {
      throw new GitStoreError(
        GIT_ERROR_CODES.WRONG_OBJECT_TYPE,
        `${JSON.stringify(rev)} is a ${o.type}, not a ${target}`,
        {
          hint: `Name a ${target} (or a tag pointing at one).`,
          data: { revision: rev, type: o.type, wanted: target },
        },
      );
    }
  }
  throw invalid(rev, "tag chain too long");
}

const DWIM = ["%s", "refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s", "refs/remotes/%s/HEAD"];

/** The full ref name `name` resolves to (Git's DWIM order), or `undefined`. */
export async function expandRefName(refs: RefStore, name: string): Promise<string | undefined> {
  if (name === "@") return "HEAD";
  if (refNameProblem(name, true) !== undefined) return undefined;
  for (const pattern of DWIM) {
    const full = pattern.replace("%s", name);
    if (full === name && !name.startsWith("refs/") && !/^[A-Z_]*HEAD$/.test(name)) continue;
    if ((await refs.resolve(full)) !== undefined) return full;
  }
  return undefined;
}

async function resolveBase(ctx: RevisionContext, base: string, rev: string): Promise<ObjectId> {
  if (isObjectId(base)) {
    if (!(await ctx.objects.has(base))) throw unknown(rev, "No object has this id in the repository.");
    return base;
  }
  const ref = await expandRefName(ctx.refs, base);
  if (ref !== undefined) return (await ctx.refs.resolve(ref))!;
  if (/^[0-9a-f]{4,39}$/.test(base)) {
    let found = await ctx.objects.findByPrefix(base, 16);
    if (found.length > 1) {
      // Like core.disambiguate=committish: prefer commits and tags when ids collide.
      const commitish: ObjectId[] = [];
      for (const id of found)
        if ((await typeOf(ctx, id)) === "commit" || (await typeOf(ctx, id)) === "tag") commitish.push(id);
      if (commitish.length === 1) found = commitish;
    }
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      throw new GitStoreError(GIT_ERROR_CODES.AMBIGUOUS_REVISION, `short id ${base} is ambiguous`, {
        hint: "Give more hexadecimal digits of the id.",
        data: { revision: rev, candidates: found.slice(0, 8) },
      });
    }
  }
  if (base === "HEAD" || base === "@") throw unknown(rev, "HEAD points at a branch without commits yet; commit first.");
  throw unknown(rev);
}

/**
 * Resolves a revision expression to an object id, peeled to `target` (default: a commit).
 * @throws {GitStoreError} GIT_UNKNOWN_REVISION, GIT_AMBIGUOUS_REVISION, GIT_INVALID_REVISION, GIT_WRONG_OBJECT_TYPE
 *
 * @example
 * ```ts
 * await resolveRevision(ctx, "main~2");         // a commit id
 * await resolveRevision(ctx, "v1.0:config", "any"); // the tree of config/ at tag v1.0
 * ```
 */
export async function resolveRevision(
  ctx: RevisionContext,
  rev: string,
  target: PeelTarget = "commit",
): Promise<ObjectId> {
  const colon = rev.indexOf(":");
  if (colon >= 0) {
    if (colon === 0) throw invalid(rev, "index paths (:path) are not supported");
    const tree = await resolveRevision(ctx, rev.slice(0, colon), "tree");
    const path = rev.slice(colon + 1).replace(/\/+$/, "");
    let id = tree;
    if (path !== "") {
      for (const part of splitTreePath(path)) {
        const o = await ctx.objects.read(id);
        const entry = o?.type === "tree" ? decodeTreeObject(id, o.content).find((e) => e.name === part) : undefined;
        if (entry === undefined) throw unknown(rev, `The path ${path} does not exist in ${rev.slice(0, colon)}.`);
        id = entry.id;
      }
    }
    return target === "any" ? id : peel(ctx, id, target, rev);
  }
  const m = /^(.*?)((?:~\d*|\^\d*|\^\{[a-z]*\})*)$/.exec(rev);
  if (m === null || m[1] === "") throw invalid(rev, "no base name");
  let id = await resolveBase(ctx, m[1]!, rev);
  const suffix = m[2] ?? "";
  const ops = suffix.match(/~\d*|\^\{[a-z]*\}|\^\d*/g) ?? [];
  for (const op of ops) {
    if (op.startsWith("^{")) {
      const want = op.slice(2, -1);
      if (want === "") id = await peelAll(ctx, id, rev);
      else if (want === "commit" || want === "tree" || want === "blob" || want === "tag")
        id = await peel(ctx, id, want, rev);
      else if (want === "object") continue;
      else throw invalid(rev, `unknown peel ${op}`);
    } else if (op.startsWith("~")) {
      const n = op.length === 1 ? 1 : Number(op.slice(1));
      for (let i = 0; i < n; i++) {
        const c = await ctx.readCommit(await peel(ctx, id, "commit", rev));
        if (c.parents.length === 0) throw unknown(rev, "The history is shorter than that.");
        id = c.parents[0]!;
      }
    } else {
      const n = op.length === 1 ? 1 : Number(op.slice(1));
      const c = await ctx.readCommit(await peel(ctx, id, "commit", rev));
      if (n === 0) id = c.id;
      else {
        const p = c.parents[n - 1];
        if (p === undefined) throw unknown(rev, `The commit has no parent number ${n}.`);
        id = p;
      }
    }
  }
  return target === "any" ? id : peel(ctx, id, target, rev);
}

async function peelAll(ctx: RevisionContext, id: ObjectId, rev: string): Promise<ObjectId> {
  let current = id;
  for (let depth = 0; depth < 20; depth++) {
    const o = await ctx.objects.read(current);
    if (o?.type !== "tag") return current;
    current = decodeTag(current, o.content).object;
  }
  throw invalid(rev, "tag chain too long");
}
