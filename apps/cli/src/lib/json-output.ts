/**
 * The one serializer of `--json` output. Deterministic: objects keep the order commands build
 * them in, byte values print as UTF-8 strings (or `{ "base64": … }` when they are not valid UTF-8),
 * `bigint` as a decimal string, `undefined` fields are left out, `Map`s become objects.
 */

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A byte string as JSON: its UTF-8 text, or `{ base64 }` when it is not valid UTF-8. */
export function bytesToJson(bytes: Uint8Array): string | { base64: string } {
  try {
    return decoder.decode(bytes);
  } catch {
    return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") };
  }
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return bytesToJson(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** Serializes `value` as git-prolly's JSON output (two-space indented, no trailing newline). */
export function toJson(value: unknown): string {
  // Buffer has a toJSON that would run before the replacer sees a Uint8Array.
  return (
    JSON.stringify(
      value,
      function (this: Record<string, unknown>, key: string, v: unknown) {
        const raw = key === "" ? v : this[key];
        return replacer.call(this, key, raw instanceof Uint8Array ? raw : v);
      },
      2,
    ) ?? "null"
  );
}
