import type { KvConflict } from "@git-prolly/kv-store";
import { printable } from "./display-bytes.js";
import type { Styles } from "./terminal.js";

/** A conflict for `--json` (and for the error's `data`). */
export function conflictJson(c: KvConflict): Record<string, unknown> {
  return { key: c.key, kind: c.kind, base: c.base, ours: c.ours, theirs: c.theirs };
}

function side(value: Uint8Array | null, s: Styles): string {
  return value === null ? s.dim("(absent)") : printable(value);
}

/** Each conflict as a block: the key and its kind, then the base, ours and theirs values. */
export function conflictLines(conflicts: readonly KvConflict[], s: Styles): string[] {
  const lines: string[] = [];
  for (const c of conflicts) {
    lines.push(`${s.red("CONFLICT")} (${c.kind}): ${s.bold(printable(c.key))}`);
    lines.push(`  base:   ${side(c.base, s)}`, `  ours:   ${side(c.ours, s)}`, `  theirs: ${side(c.theirs, s)}`);
  }
  return lines;
}
