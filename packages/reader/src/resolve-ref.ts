/**
 * Resolving a revision to a commit id the way `git rev-parse` does for the forms applications
 * use: a full or short object id, `HEAD`/`@`, a ref name in Git's order (`<name>`, `refs/<name>`,
 * `refs/tags/…`, `refs/heads/…`, `refs/remotes/…`, `refs/remotes/…/HEAD`; loose files first,
 * then `packed-refs`), symbolic refs, annotated tags peeled, and `~n` / `^n` suffixes.
 */
import { type ReaderError, fail } from "./errors.js";
import type { GitLocation } from "./git-dir.js";
import { headerFields } from "./git-object.js";
import type { ObjectDatabase } from "./object-database.js";
import { readText } from "./read-file.js";

const HEX40 = /^[0-9a-f]{40}$/;

function unknown(ref: string, why: string, data: Record<string, unknown> = {}): ReaderError {
  return fail("READER_UNKNOWN_REF", `unknown ref ${JSON.stringify(ref)}: ${why}`, { ref, ...data });
}

/** True for names Git would refuse as refs (and so for any path trick such as `..`). */
function badRefName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- Git refuses control characters in ref names
  return /(^|\/)\.|\.\.|[\x00-\x20~^:?*[\\\x7f]|@\{|\/\/|^\/|\/$|\.lock(\/|$)|\.$/.test(name) || name === "@";
}

/** @internal Resolves refs of one repository. */
export class RefResolver {
  #packed: Map<string, string> | undefined;

  constructor(readonly repo: GitLocation, readonly objects: ObjectDatabase) {}

  /** The commit id `rev` names. @throws {ReaderError} READER_UNKNOWN_REF, READER_AMBIGUOUS_REF */
  resolve(rev: string): string {
    const m = /^(.*?)((?:[~^]\d*)*)$/.exec(rev)!;
    let id = this.#peel(this.#base(m[1]!, rev), rev);
    for (const [, op, digits] of m[2]!.matchAll(/([~^])(\d*)/g)) {
      const n = digits === "" ? 1 : Number(digits);
      for (let step = 0; step < (op === "~" ? n : n === 0 ? 0 : 1); step++) {
        const parents = headerFields(this.#object(id, rev).content, "parent");
        const next = parents[op === "~" ? 0 : n - 1];
        if (next === undefined) throw unknown(rev, `commit ${id} has no such parent`, { commit: id });
        id = next;
      }
    }
    return id;
  }

  #base(name: string, rev: string): string {
    if (HEX40.test(name)) return name;
    const ref = this.#ref(name === "@" ? "HEAD" : name);
    if (ref !== undefined) return ref;
    if (/^[0-9a-f]{4,39}$/.test(name)) {
      const found = this.objects.withPrefix(name);
      const commits = found.length > 1 ? found.filter((id) => ["commit", "tag"].includes(this.objects.read(id)?.type ?? "")) : found;
      if (commits.length === 1) return commits[0]!;
      if (found.length > 1) throw fail("READER_AMBIGUOUS_REF", `short id ${name} is ambiguous`, { ref: rev, candidates: found.slice(0, 8) });
    }
    throw unknown(rev, "no branch, tag or commit has this name");
  }

  /** The id a ref name points at, trying Git's expansions in order. */
  #ref(name: string): string | undefined {
    if (badRefName(name)) return undefined;
    // Like Git, a bare name is looked up as it is only for refs/… and HEAD-like names (HEAD, FETCH_HEAD…).
    let id = name.startsWith("refs/") || /^[A-Z_]*HEAD$/.test(name) ? this.#read(name, 0) : undefined;
    for (const p of ["refs/", "refs/tags/", "refs/heads/", "refs/remotes/"]) id ??= this.#read(p + name, 0);
    return id ?? this.#read(`refs/remotes/${name}/HEAD`, 0);
  }

  /** Reads one full ref name: a loose file (following `ref:`), else `packed-refs`. */
  #read(full: string, depth: number): string | undefined {
    const perWorktree = !full.startsWith("refs/") || full.startsWith("refs/worktree/");
    const text = readText(`${perWorktree ? this.repo.gitDir : this.repo.commonDir}/${full}`)?.trim();
    if (text === undefined) return this.#packedRefs().get(full);
    const target = /^ref: *(\S+)$/.exec(text)?.[1];
    if (target !== undefined) return depth < 10 && !badRefName(target) ? this.#read(target, depth + 1) : undefined;
    return HEX40.test(text) ? text : undefined;
  }

  #packedRefs(): Map<string, string> {
    return (this.#packed ??= new Map(Array.from((readText(`${this.repo.commonDir}/packed-refs`) ?? "").matchAll(/^([0-9a-f]{40}) (\S+)$/gm), (m) => [m[2]!, m[1]!])));
  }

  #object(id: string, rev: string): { type: string; content: Uint8Array } {
    const obj = this.objects.read(id);
    if (obj === undefined) throw unknown(rev, `object ${id} is not in the repository`, { id });
    return obj;
  }

  /** Follows annotated tags down to a commit. */
  #peel(id: string, rev: string): string {
    for (let depth = 0; depth < 20; depth++) {
      const obj = this.#object(id, rev);
      if (obj.type === "commit") return id;
      const target = obj.type === "tag" ? headerFields(obj.content, "object")[0] : undefined;
      if (target === undefined) throw unknown(rev, `it names a ${obj.type}, not a commit`, { id, type: obj.type });
      id = target;
    }
    throw unknown(rev, "tag chain too long");
  }
}
