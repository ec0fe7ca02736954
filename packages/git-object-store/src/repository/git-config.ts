/**
 * A minimal reader of Git config files, for the few repository settings read in process
 * (`core.bare`, `core.logAllRefUpdates`). Everything else is left to `git` itself.
 */
import { readFile } from "node:fs/promises";
import { isMissing } from "../is-missing.js";

/** Values by lower-cased `section.key` (subsections as `section.sub.key`); last one wins. */
export function parseConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let section = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]$/.exec(line);
    if (header !== null) {
      section = header[2] === undefined ? header[1]!.toLowerCase() : `${header[1]!.toLowerCase()}.${header[2]}`;
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (kv === null || section === "") continue;
    let value = kv[2] ?? "true";
    value = value.replace(/\s[#;].*$/, "").trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    values.set(`${section}.${kv[1]!.toLowerCase()}`, value);
  }
  return values;
}

/** Reads and parses a config file (empty when it does not exist). */
export async function readConfigFile(path: string): Promise<Map<string, string>> {
  try {
    return parseConfig(await readFile(path, "utf8"));
  } catch (e) {
    if (isMissing(e)) return new Map();
    throw e;
  }
}

/** Git's boolean spellings. */
export function configBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (["true", "yes", "on", "1", "always"].includes(v)) return true;
  if (["false", "no", "off", "0", "", "never"].includes(v)) return false;
  return undefined;
}
