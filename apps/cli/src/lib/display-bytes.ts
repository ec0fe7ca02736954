const lossy = new TextDecoder("utf-8");

/** Bytes as text for people (invalid UTF-8 shows as U+FFFD). */
export function displayBytes(bytes: Uint8Array | null | undefined): string {
  if (bytes === null || bytes === undefined) return "";
  return lossy.decode(bytes);
}

/**
 * Bytes (or text) as one line for people: invalid UTF-8 shows as U+FFFD, and a text holding
 * control characters (newlines, tabs, escapes) is shown as a JSON string, so one entry stays one
 * line and a value cannot drive the terminal.
 */
export function printable(bytes: Uint8Array | string | null | undefined): string {
  const text = typeof bytes === "string" ? bytes : displayBytes(bytes);
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  return /[\u0000-\u001f\u007f]/.test(text) ? JSON.stringify(text) : text;
}

/** A short commit id (7 hex digits, as Git abbreviates). */
export function shortId(id: string): string {
  return id.slice(0, 7);
}

/** A key quoted for a message: JSON string syntax, cut at 200 characters. */
export function quoteKey(key: string | Uint8Array): string {
  const text = typeof key === "string" ? key : displayBytes(key);
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
