/**
 * Reading Git config files in process: a minimal reader for the repository settings
 * (`core.bare`, `core.logAllRefUpdates`), and a faithful one for the few settings read from every
 * config file Git would read (the committer identity, `gc.auto`), which gives up — callers then
 * run `git` — on anything it might read differently from Git. Everything else is left to `git`.
 */
import { constants } from "node:fs";
import { accessSync, readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
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
    return parseConfig(readFileSync(path, "utf8"));
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

/** One `key = value` line of a config file, as Git reads it. */
export interface ConfigEntry {
  /** `section.key` or `section.subsection.key`; section and key lower-cased, subsection as written. */
  readonly key: string;
  /** The value with quotes and escapes resolved; `null` for a key without `=` (Git's "true"). */
  readonly value: string | null;
}

/** A config file read by {@link parseConfigEntries}. */
export interface ParsedConfigFile {
  readonly entries: readonly ConfigEntry[];
  /** It has `[include]` or `[includeIf …]` sections (other files Git would read too). */
  readonly includes: boolean;
}

const CONFIG_ESCAPES: Record<string, string> = { n: "\n", t: "\t", b: "\b", "\\": "\\", '"': '"' };

/**
 * Parses a config file the way Git does (quotes, escapes, comments, line continuations, old-style
 * `[section.sub]` headers), keeping every entry in order. Returns `undefined` for anything it is
 * not sure to read as Git would (a key after a header on the same line, a bad escape, an
 * unterminated quote, a malformed line): callers then ask `git` itself.
 */
export function parseConfigEntries(text: string): ParsedConfigFile | undefined {
  const entries: ConfigEntry[] = [];
  let includes = false;
  let section: string | undefined;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\r" || c === "\v" || c === "\f";
  while (i < n) {
    while (i < n && (isSpace(text[i]) || text[i] === "\n")) i++;
    if (i >= n) break;
    const c = text[i]!;
    if (c === "#" || c === ";") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (c === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) return undefined;
      const inner = text.slice(i + 1, close);
      const sub = /^([A-Za-z0-9.-]+)\s+"((?:[^"\\\n]|\\.)*)"$/.exec(inner);
      if (sub !== null) {
        section = `${sub[1]!.toLowerCase()}.${sub[2]!.replace(/\\(.)/g, "$1")}`;
      } else if (/^[A-Za-z0-9.-]+$/.test(inner)) {
        // `[section.sub]`: the deprecated form, wholly lower-cased.
        section = inner.toLowerCase();
      } else return undefined;
      const head = section.split(".")[0]!;
      if (head === "include" || head === "includeif") includes = true;
      i = close + 1;
      while (i < n && isSpace(text[i])) i++;
      if (i < n && text[i] !== "\n" && text[i] !== "#" && text[i] !== ";") return undefined;
      continue;
    }
    if (!/[A-Za-z]/.test(c) || section === undefined) return undefined;
    let j = i;
    while (j < n && /[A-Za-z0-9-]/.test(text[j]!)) j++;
    const name = text.slice(i, j).toLowerCase();
    while (j < n && isSpace(text[j])) j++;
    if (j >= n || text[j] === "\n" || text[j] === "#" || text[j] === ";") {
      entries.push({ key: `${section}.${name}`, value: null });
      i = j;
      continue;
    }
    if (text[j] !== "=") return undefined;
    j++;
    // The value: leading blanks dropped, inner runs kept, trailing ones (outside quotes) dropped.
    let value = "";
    let pending = "";
    let quoted = false;
    for (;;) {
      if (j >= n) {
        if (quoted) return undefined;
        break;
      }
      const ch = text[j]!;
      if (ch === "\n") {
        if (quoted) return undefined;
        break;
      }
      if (!quoted && (ch === "#" || ch === ";")) {
        while (j < n && text[j] !== "\n") j++;
        break;
      }
      if (!quoted && isSpace(ch)) {
        if (value !== "") pending += ch;
        j++;
        continue;
      }
      value += pending;
      pending = "";
      if (ch === "\\") {
        const next = text[j + 1];
        if (next === "\n") {
          j += 2;
          continue;
        }
        if (next === "\r" && text[j + 2] === "\n") {
          j += 3;
          continue;
        }
        const esc = next === undefined ? undefined : CONFIG_ESCAPES[next];
        if (esc === undefined) return undefined;
        value += esc;
        j += 2;
        continue;
      }
      if (ch === '"') {
        quoted = !quoted;
        j++;
        continue;
      }
      value += ch;
      j++;
    }
    entries.push({ key: `${section}.${name}`, value });
    i = j;
  }
  return { entries, includes };
}

/** Reads a config file with {@link parseConfigEntries}: `null` when it does not exist. */
export async function readConfigEntries(path: string): Promise<ParsedConfigFile | undefined | null> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (isMissing(e) || (e as { code?: unknown }).code === "ENOTDIR") return null;
    throw e;
  }
  return parseConfigEntries(text);
}

/** Where the config files Git reads are, for {@link readGitConfig}. */
export interface ConfigSources {
  /** The repository's common directory (its `config`). */
  readonly commonDir: string;
  /** Environment (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** The system config file (default: {@link systemConfigPath}). */
  readonly systemConfig?: string;
}

/** Git's boolean environment variables and config values that mean true. */
function isTrue(value: string | null | undefined): boolean {
  return value === null || (value !== undefined && configBool(value) === true && value.toLowerCase() !== "always");
}

/**
 * The system-wide config file of the `git` on the PATH (`GIT_CONFIG_SYSTEM` when set):
 * `<prefix>/etc/gitconfig`, or `/etc/gitconfig` for a `git` in `/usr/bin` (Git's build default);
 * `undefined` when no `git` is found.
 */
export async function systemConfigPath(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.GIT_CONFIG_SYSTEM !== undefined) return env.GIT_CONFIG_SYSTEM;
  for (const dir of (env.PATH ?? "").split(":")) {
    if (dir === "") continue;
    try {
      const bin = realpathSync(join(dir, "git"));
      accessSync(bin, constants.X_OK);
      const prefix = dirname(dirname(bin));
      return prefix === "/usr" || prefix === "/" ? "/etc/gitconfig" : join(prefix, "etc", "gitconfig");
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Every setting of the config files Git reads for a repository, in Git's order (system unless
 * `GIT_CONFIG_NOSYSTEM`; `GIT_CONFIG_GLOBAL`, else `$XDG_CONFIG_HOME/git/config` and
 * `~/.gitconfig`; the repository's `config`), the last value of a key winning. `undefined` when
 * Git might see something else: config given on the command line (`GIT_CONFIG_PARAMETERS`,
 * `GIT_CONFIG_COUNT`), an include, per-worktree config, a file this reader cannot parse, a
 * repository owned by another user (Git ignores its config), no `git` on the PATH.
 */
export async function readGitConfig(sources: ConfigSources): Promise<Map<string, string | null> | undefined> {
  const env = sources.env ?? process.env;
  if (env.GIT_CONFIG_PARAMETERS !== undefined || env.GIT_CONFIG_COUNT !== undefined) return undefined;
  const files: string[] = [];
  if (!isTrue(env.GIT_CONFIG_NOSYSTEM)) {
    const system = sources.systemConfig ?? (await systemConfigPath(env));
    if (system === undefined) return undefined;
    files.push(system);
  }
  if (env.GIT_CONFIG_GLOBAL !== undefined) files.push(env.GIT_CONFIG_GLOBAL);
  else {
    const home = env.HOME;
    const xdg = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : undefined;
    if (xdg !== undefined) files.push(join(xdg, "git", "config"));
    else if (home !== undefined && home !== "") files.push(join(home, ".config", "git", "config"));
    if (home !== undefined && home !== "") files.push(join(home, ".gitconfig"));
  }
  let owner: { uid: number } | undefined;
  try {
    owner = statSync(sources.commonDir);
  } catch {
    owner = undefined;
  }
  if (owner === undefined || (process.getuid !== undefined && owner.uid !== process.getuid())) return undefined;
  files.push(join(sources.commonDir, "config"));
  const parsed = await Promise.all(files.filter((f) => f !== "").map((f) => readConfigEntries(f)));
  const config = new Map<string, string | null>();
  for (const p of parsed) {
    if (p === null) continue;
    if (p === undefined || p.includes) return undefined;
    for (const e of p.entries) config.set(e.key, e.value);
  }
  if (isTrue(config.get("extensions.worktreeconfig"))) return undefined;
  return config;
}

/** Git's integer config values (`k`, `m`, `g` suffixes); `undefined` when not an integer. */
export function configInt(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const m = /^\s*([-+]?\d+)([kmg]?)\s*$/i.exec(value);
  if (m === null) return undefined;
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Number(m[1]) * unit;
}

/**
 * False when `git gc --auto` would surely do nothing, by Git's own test (`need_to_gc`): `gc.auto`
 * is 0, or at most `gc.auto / 256` loose objects sit in `objects/17` and at most
 * `gc.autoPackLimit` packs lack a `.keep` file. True (run it and let Git decide) otherwise, and
 * whenever the config cannot be read in process.
 */
export async function autoGcMayRun(sources: ConfigSources): Promise<boolean> {
  const config = await readGitConfig(sources);
  if (config === undefined) return true;
  const auto = config.has("gc.auto") ? configInt(config.get("gc.auto")) : 6700;
  const packLimit = config.has("gc.autopacklimit") ? configInt(config.get("gc.autopacklimit")) : 50;
  if (auto === undefined || packLimit === undefined) return true;
  if (auto <= 0) return false;
  const objects = join(sources.commonDir, "objects");
  const threshold = Math.ceil(auto / 256);
  const loose = listDir(join(objects, "17"));
  if (loose.filter((f) => /^[0-9a-f]{38}$/.test(f)).length > threshold) return true;
  if (packLimit > 0) {
    const packDir = listDir(join(objects, "pack"));
    const names = new Set(packDir);
    const packs = packDir.filter((f) => f.endsWith(".pack") && !names.has(`${f.slice(0, -5)}.keep`));
    if (packs.length > packLimit) return true;
  }
  return false;
}

/** The names in a directory (none when it is missing). */
function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
}
