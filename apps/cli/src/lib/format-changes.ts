import type { KvChange } from "@git-prolly/kv-store";
import { printable } from "./display-bytes.js";
import type { Styles } from "./terminal.js";

/** A change for `--json`: key, change, before, after (`null` where absent). */
export function changeJson(c: KvChange): Record<string, unknown> {
  return { key: c.key, change: c.change, before: c.before, after: c.after };
}

/** `+ key = value`, `- key = old`, `~ key = new (was old)`: one line per key. */
export function compactLines(changes: readonly KvChange[], s: Styles): string[] {
  return changes.map((c) => {
    const key = printable(c.key);
    if (c.change === "added") return s.green(`+ ${key} = ${printable(c.after)}`);
    if (c.change === "deleted") return s.red(`- ${key} = ${printable(c.before)}`);
    return s.yellow(`~ ${key} = ${printable(c.after)}`) + s.dim(` (was ${printable(c.before)})`);
  });
}

/** A block per key: the kind, then `-` old and `+` new value lines. */
export function detailedLines(changes: readonly KvChange[], s: Styles): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(s.bold(`${c.change} ${printable(c.key)}`));
    if (c.before !== null) lines.push(s.red(`  - ${printable(c.before)}`));
    if (c.after !== null) lines.push(s.green(`  + ${printable(c.after)}`));
  }
  const count = (k: string): number => changes.filter((c) => c.change === k).length;
  lines.push(
    s.dim(
      `${changes.length} key${changes.length === 1 ? "" : "s"} changed: ${count("added")} added, ${count("modified")} modified, ${count("deleted")} deleted`,
    ),
  );
  return lines;
}
