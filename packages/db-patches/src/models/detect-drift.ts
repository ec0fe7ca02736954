import { dumpSchema, normalizeSchemaDump } from "./dump-schema.js";
import type { DatabaseHandle } from "../connection/open-database.js";

/** The outcome of {@link detectDrift}. */
export interface DriftReport {
  drifted: boolean;
  /** Lines of the live schema missing from the expected dump. */
  added: string[];
  /** Lines of the expected dump missing from the live schema. */
  removed: string[];
  /** A unified-style diff (expected → live), truncated to `maxDiffLines`. */
  diff: string;
}

/**
 * Compares the live schema with a release's schema dump (both normalised): anything changed by
 * hand, or by a patch that is not in the release, shows up. Compare dumps made by the same kind
 * of backend (a server dump with a server, a PGlite dump with PGlite): pg_dump versions format
 * some objects differently.
 */
export async function detectDrift(
  handle: DatabaseHandle,
  expectedSchemaSql: string,
  options: { maxDiffLines?: number } = {},
): Promise<DriftReport> {
  const live = await dumpSchema(handle);
  return diffSchemas(normalizeSchemaDump(expectedSchemaSql), live, options.maxDiffLines ?? 200);
}

/** Line diff of two dumps (pure). */
export function diffSchemas(expected: string, live: string, maxDiffLines = 200): DriftReport {
  if (expected === live) return { drifted: false, added: [], removed: [], diff: "" };
  const a = expected.split("\n");
  const b = live.split("\n");
  const ops = lineDiff(a, b);
  const added = ops.filter((o) => o.op === "+").map((o) => o.line);
  const removed = ops.filter((o) => o.op === "-").map((o) => o.line);
  const shown: string[] = ["--- expected", "+++ live"];
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (o.op === " ") {
      const near = ops.slice(Math.max(0, i - 2), i + 3).some((x) => x.op !== " ");
      if (near) shown.push(` ${o.line}`);
      else if (shown[shown.length - 1] !== "@@") shown.push("@@");
    } else shown.push(`${o.op}${o.line}`);
  }
  const truncated =
    shown.length > maxDiffLines
      ? [...shown.slice(0, maxDiffLines), `… ${shown.length - maxDiffLines} more lines`]
      : shown;
  return {
    drifted: true,
    added: added.filter((l) => l.trim() !== ""),
    removed: removed.filter((l) => l.trim() !== ""),
    diff: truncated.join("\n"),
  };
}

type Op = { op: " " | "+" | "-"; line: string };

/** LCS line diff after trimming the common head and tail (dumps differ in few places). */
function lineDiff(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ma = a.slice(head, a.length - tail);
  const mb = b.slice(head, b.length - tail);
  const mid: Op[] = [];
  if (ma.length * mb.length > 4_000_000) {
    // Too large for a table: report the middle as replaced wholesale.
    for (const l of ma) mid.push({ op: "-", line: l });
    for (const l of mb) mid.push({ op: "+", line: l });
  } else {
    const w = mb.length + 1;
    const t = new Uint32Array((ma.length + 1) * w);
    for (let i = ma.length - 1; i >= 0; i--) {
      for (let j = mb.length - 1; j >= 0; j--) {
        t[i * w + j] = ma[i] === mb[j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < ma.length || j < mb.length) {
      if (i < ma.length && j < mb.length && ma[i] === mb[j]) {
        mid.push({ op: " ", line: ma[i]! });
        i++;
        j++;
      } else if (i < ma.length && (j >= mb.length || t[(i + 1) * w + j]! >= t[i * w + j + 1]!)) {
        mid.push({ op: "-", line: ma[i]! });
        i++;
      } else {
        mid.push({ op: "+", line: mb[j]! });
        j++;
      }
    }
  }
  return [
    ...a.slice(0, head).map((line) => ({ op: " " as const, line })),
    ...mid,
    ...b.slice(b.length - tail).map((line) => ({ op: " " as const, line })),
  ];
}
