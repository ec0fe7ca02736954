import type { CommitInfo } from "@git-prolly/kv-store";
import type { Signature } from "@git-prolly/git-object-store";
import { shortId } from "./display-bytes.js";
import type { Styles } from "./terminal.js";

/** A signature's time as ISO 8601 in its own time zone (`2026-12-02T14:05:00+01:00`). */
export function signatureDate(sig: Signature): string {
  const local = new Date((sig.timestamp + sig.timezoneOffset * 60) * 1000).toISOString().slice(0, 19);
  const sign = sig.timezoneOffset < 0 ? "-" : "+";
  const abs = Math.abs(sig.timezoneOffset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** A commit for `--json`: id, parents, author, date, message. */
export function commitJson(c: CommitInfo): Record<string, unknown> {
  return {
    id: c.id,
    parents: c.parents,
    author: { name: c.author.name, email: c.author.email, date: signatureDate(c.author) },
    committer: { name: c.committer.name, email: c.committer.email, date: signatureDate(c.committer) },
    subject: c.subject,
    message: c.message,
  };
}

/** A commit as `git log` prints it. */
export function commitLines(c: CommitInfo, s: Styles): string[] {
  const lines = [s.yellow(`commit ${c.id}`)];
  if (c.parents.length > 1) lines.push(`Merge: ${c.parents.map(shortId).join(" ")}`);
  lines.push(`Author: ${c.author.name} <${c.author.email}>`, `Date:   ${signatureDate(c.author)}`, "");
  for (const line of c.message.replace(/\n+$/, "").split("\n")) lines.push(`    ${line}`);
  return lines;
}

/** A commit on one line: short id and subject. */
export function commitOneLine(c: CommitInfo, s: Styles): string {
  return `${s.yellow(shortId(c.id))} ${c.subject}`;
}
