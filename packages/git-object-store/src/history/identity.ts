/** Who commits: Git's author/committer identity rules, from the environment. */
import type { Signature } from "../objects/commit-object.js";
import { parseSignature } from "../objects/commit-object.js";

/** The author and committer of a new commit. */
export interface Identity {
  readonly author: Signature;
  readonly committer: Signature;
}

/** Parses Git's date formats: `<unix> <tz>`, `@<unix> <tz>` or anything `Date.parse` reads. */
export function parseGitDate(text: string): { timestamp: number; timezoneOffset: number } | undefined {
  const m = /^@?(\d+)(?: ([+-])(\d\d):?(\d\d))?$/.exec(text.trim());
  if (m !== null) {
    const minutes = m[2] === undefined ? 0 : Number(m[3]) * 60 + Number(m[4]);
    return { timestamp: Number(m[1]), timezoneOffset: m[2] === "-" ? -minutes : minutes };
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  const tz = /([+-])(\d\d):?(\d\d)$/.exec(text.trim());
  const minutes = tz === null ? 0 : Number(tz[2]) * 60 + Number(tz[3]);
  return { timestamp: Math.floor(ms / 1000), timezoneOffset: tz?.[1] === "-" ? -minutes : minutes };
}

/** The local time zone's offset from UTC in minutes, at `date`. */
export function localTimezoneOffset(date: Date = new Date()): number {
  return -date.getTimezoneOffset();
}

/**
 * A signature from `GIT_<KIND>_NAME`, `_EMAIL` and `_DATE`, falling back to `fallback` (name and
 * email) and the current time.
 */
export function signatureFromEnv(
  kind: "AUTHOR" | "COMMITTER",
  fallback: { name: string; email: string },
  env: NodeJS.ProcessEnv = process.env,
): Signature {
  const date = env[`GIT_${kind}_DATE`];
  const when = (date === undefined ? undefined : parseGitDate(date)) ?? {
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: localTimezoneOffset(),
  };
  return { name: env[`GIT_${kind}_NAME`] ?? fallback.name, email: env[`GIT_${kind}_EMAIL`] ?? fallback.email, ...when };
}

/** Parses the output of `git var GIT_AUTHOR_IDENT` (`Name <email> 1700000000 +0100`). */
export function parseIdent(text: string): Signature | undefined {
  return parseSignature(text.trim());
}
