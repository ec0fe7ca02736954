import { blobKind, decodeLeaf } from "@git-prolly/prolly-core";

const text = new TextDecoder("utf-8");

function printable(value: string): string {
  // One entry stays one line: control characters (newlines, tabs) are escaped JSON-style.
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  return /[\u0000-\u001f\u007f]/.test(value) ? JSON.stringify(value) : value;
}

/**
 * The text Git diffs for a dataset node file (the `git-prolly` diff driver's textconv): a leaf
 * becomes one `key = value` line per entry in key order, an internal node's index blob becomes
 * nothing (its changes are the leaves' changes), anything else passes through unchanged.
 */
export function textconv(content: Uint8Array): string {
  let kind: "leaf" | "index";
  try {
    kind = blobKind(content);
  } catch {
    return text.decode(content);
  }
  if (kind === "index") return "";
  const leaf = decodeLeaf(content);
  let out = "";
  for (let i = 0; i < leaf.count; i++)
    out += `${printable(text.decode(leaf.key(i)))} = ${printable(text.decode(leaf.value(i)))}\n`;
  return out;
}
