const lossy = new TextDecoder("utf-8");

/** Bytes as text for people (invalid UTF-8 shows as U+FFFD). */
export function displayBytes(bytes: Uint8Array | null | undefined): string {
  if (bytes === null || bytes === undefined) return "";
  return lossy.decode(bytes);
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
