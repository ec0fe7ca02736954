/** Who commits: Git's author/committer identity rules, from the environment and config files. */
import type { Signature } from "../objects/commit-object.js";
import { parseSignature } from "../objects/commit-object.js";
import { type ConfigSources, readGitConfig } from "../repository/git-config.js";

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
  return 0 - date.getTimezoneOffset();
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

/** Git's "crud": characters trimmed from both ends of an identity's name and email. */
function crud(c: number): boolean {
  return (
    c <= 32 ||
    c === 0x2c ||
    c === 0x3a ||
    c === 0x3b ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x22 ||
    c === 0x5c ||
    c === 0x27 ||
    c === 0x2e
  );
}

/** Git's `strbuf_addstr_without_crud`: crud trimmed from both ends, `<`, `>` and newlines dropped. */
export function withoutCrud(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && crud(text.charCodeAt(start))) start++;
  while (end > start && crud(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end).replace(/[\n<>]/g, "");
}

/** Where to find the config files Git reads, and what else decides an identity. */
export type IdentitySources = ConfigSources;

/**
 * Author and committer worked out in process the way `git var GIT_AUTHOR_IDENT` /
 * `GIT_COMMITTER_IDENT` would: `GIT_{AUTHOR,COMMITTER}_{NAME,EMAIL}`, then `author.*` /
 * `committer.*`, then `user.*` from the config files (system, `$XDG_CONFIG_HOME/git/config`,
 * `~/.gitconfig` or `GIT_CONFIG_GLOBAL`, the repository's; the last value wins), then `EMAIL` for
 * the email when no email setting exists; names and emails trimmed of "crud" as Git does; the
 * time is now, in the local time zone. Returns `undefined` whenever Git might
 * decide otherwise or fail — an identity Git would have to guess (from the user database),
 * `GIT_*_DATE` set (Git's date parser), config given on the command line (`GIT_CONFIG_PARAMETERS`,
 * `GIT_CONFIG_COUNT`), an include in a config file, per-worktree config, a repository owned by
 * someone else (Git ignores its config), an empty name or email, a config file it cannot parse —
 * so the caller asks `git var` instead.
 */
export async function identityFromConfig(sources: IdentitySources): Promise<Identity | undefined> {
  const env = sources.env ?? process.env;
  if (env.GIT_AUTHOR_DATE !== undefined || env.GIT_COMMITTER_DATE !== undefined) return undefined;
  const want = ["AUTHOR_NAME", "AUTHOR_EMAIL", "COMMITTER_NAME", "COMMITTER_EMAIL"] as const;
  const fromEnv = want.map((k) => env[`GIT_${k}`]);
  let config: ReadonlyMap<string, string | null> = new Map();
  if (fromEnv.some((v) => v === undefined)) {
    const read = await readGitConfig(sources);
    if (read === undefined) return undefined;
    config = read;
  }
  const pick = (envValue: string | undefined, ...keys: string[]): string | null | undefined => {
    if (envValue !== undefined) return envValue;
    for (const k of keys) if (config.has(k)) return config.get(k);
    return undefined;
  };
  const now = { timestamp: Math.floor(Date.now() / 1000), timezoneOffset: localTimezoneOffset() };
  const sign = (kind: "author" | "committer", envName: string | undefined, envEmail: string | undefined) => {
    const name = pick(envName, `${kind}.name`, "user.name");
    const configured = pick(envEmail, `${kind}.email`, "user.email");
    // Git reads EMAIL only when no `*.email` setting exists at all (even another kind's).
    const anyEmail = config.has("user.email") || config.has("author.email") || config.has("committer.email");
    const email = configured === undefined && !anyEmail && env.EMAIL !== "" ? env.EMAIL : configured;
    if (typeof name !== "string" || typeof email !== "string") return undefined;
    const n = withoutCrud(name);
    const e = withoutCrud(email);
    if (n === "" || e === "" || name === "") return undefined;
    return { name: n, email: e, ...now };
  };
  const author = sign("author", fromEnv[0], fromEnv[1]);
  const committer = sign("committer", fromEnv[2], fromEnv[3]);
  return author === undefined || committer === undefined ? undefined : { author, committer };
}
