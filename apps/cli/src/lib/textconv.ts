import { blobKind, decodeLeaf } from "@git-prolly/prolly-core";
import { printable } from "./display-bytes.js";

const text = new TextDecoder("utf-8");

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
