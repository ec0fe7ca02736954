/** What replaces a secret in any text db-patches produces. */
export const REDACTED = "***";

const SECRET_PARAMS = /^(password|sslpassword|pass|pwd)$/i;

/**
 * A connection string with its password(s) replaced by `***`, safe for logs, errors and `--json`.
 *
 * Handles URLs (`postgres://user:secret@host/db?password=…&sslpassword=…`), libpq keyword/value
 * strings (`host=h password='se cret'`), and text that merely contains such a URL.
 *
 * @example
 * ```ts
 * redactUrl("postgres://app:hunter2@db:5432/shop"); // "postgres://app:***@db:5432/shop"
 * ```
 */
export function redactUrl(text: string): string {
  // URL user-info: scheme://user:password@host. A careless password may itself hold '@', '/' or
  // ':', so the password runs from the first ':' after the user to the last '@' of the URL token.
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)(\S+)/gi, (m, scheme: string, rest: string) => {
    const at = rest.lastIndexOf("@");
    if (at < 0) return m;
    const colon = rest.indexOf(":");
    if (colon < 0 || colon > at) return m;
    return `${scheme}${rest.slice(0, colon)}:${REDACTED}${rest.slice(at)}`;
  });
  // Query parameters: ?password=…&sslpassword=…
  out = out.replace(/([?&])([a-z_]+)=([^&#\s]*)/gi, (m, sep: string, key: string) =>
    SECRET_PARAMS.test(key) ? `${sep}${key}=${REDACTED}` : m,
  );
  // libpq keyword/value: password=value or password='quoted \' value'
  out = out.replace(
    /(^|\s)(password|sslpassword)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/gi,
    (_m, pre: string, key: string) => `${pre}${key}=${REDACTED}`,
  );
  return out;
}

/**
 * Replaces every occurrence of each secret (and of its URL-encoded form) in `text` by `***`,
 * then applies {@link redactUrl}. Used on every message that may echo a connection string.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length === 0) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join(REDACTED);
  }
  return redactUrl(out);
}

/** The parts of a driver error worth keeping, with secrets removed. */
export interface ScrubbedError {
  name: string;
  message: string;
  /** SQLSTATE or Node error code, when present. */
  code?: string;
}

/**
 * A plain, secret-free copy of an error, fit to become a {@link DbPatchError}'s `cause`.
 * The original object is dropped: driver errors can carry the configuration they were given.
 */
export function scrubError(e: unknown, secrets: readonly string[]): ScrubbedError {
  const err = e as { name?: unknown; message?: unknown; code?: unknown } | null | undefined;
  const name = typeof err?.name === "string" ? err.name : "Error";
  const message = scrubSecrets(typeof err?.message === "string" ? err.message : String(e), secrets);
  const out: ScrubbedError = { name, message };
  if (typeof err?.code === "string") out.code = err.code;
  return out;
}
