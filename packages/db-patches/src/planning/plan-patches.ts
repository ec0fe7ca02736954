import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { sha256Hex } from "../support/sha256-hex.js";
import { splitSql, type SqlStatement } from "./split-sql.js";

/** A patch id: digits, then optional lower-case words joined by dashes (`42`, `42-add-users`). */
export const PATCH_ID_PATTERN = /^\d+(-[a-z0-9]+)*$/;

/** Extensions of patch modules (a default-exported `async (db) => void`). */
const MODULE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"];

/** One file of a patch as read from disk. */
export interface PatchSourceFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A patch directory as read from disk, before planning. */
export interface PatchSource {
  readonly id: string;
  /** Absolute path of `Patches/<id>/`. */
  readonly dir: string;
  /** The files, README.md excluded, in any order. */
  readonly files: readonly PatchSourceFile[];
}

/** A planned file: what runs, in order, and its checksum. */
export type PlannedFile =
  | {
      readonly kind: "sql";
      readonly name: string;
      readonly path: string;
      readonly sha256: string;
      readonly statements: readonly SqlStatement[];
      /** The whole file runs outside a transaction. */
      readonly noTransaction: boolean;
    }
  | { readonly kind: "module"; readonly name: string; readonly path: string; readonly sha256: string };

/** A planned patch. */
export interface PlannedPatch {
  readonly id: string;
  readonly dir: string;
  /** Files in execution (lexicographic) order. */
  readonly files: readonly PlannedFile[];
  /** sha256 over the sorted `name:sha256` lines of the files: the patch's identity. */
  readonly checksum: string;
}

/** An ordered list of patches: what {@link applyPlan} executes and `--dry-run` prints. */
export interface PatchPlan {
  readonly patches: readonly PlannedPatch[];
}

/** Throws `DB_INVALID_PATCH_ID` unless `id` matches {@link PATCH_ID_PATTERN}. */
export function assertPatchId(id: string): void {
  if (!PATCH_ID_PATTERN.test(id)) {
    throw new DbPatchError(DB_PATCH_ERROR_CODES.INVALID_PATCH_ID, `invalid patch id: ${JSON.stringify(id)}`, {
      hint: "A patch id is a number, optionally followed by lower-case words joined with dashes: 42 or 42-add-users.",
      data: { id },
    });
  }
}

/**
 * Reads `Patches/<id>/` from disk. `README.md` is skipped; every other entry must be a `.sql`,
 * `.ts`, `.mts`, `.js` or `.mjs` file.
 *
 * @throws {@link DbPatchError} `DB_INVALID_PATCH_ID`, `DB_PATCH_NOT_FOUND`, `DB_UNEXPECTED_FILE`.
 */
export function readPatch(patchesDir: string, id: string): PatchSource {
  assertPatchId(id);
  const dir = join(patchesDir, id);
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error("not a directory");
    names = readdirSync(dir);
  } catch (e) {
    throw new DbPatchError(DB_PATCH_ERROR_CODES.PATCH_NOT_FOUND, `patch ${id} not found: ${dir} is not a directory`, {
      hint: `Create ${dir}/ (git-prolly dev patch new ${id}) or check the patch list of the release.`,
      data: { id, dir },
      cause: e,
    });
  }
  const files: PatchSourceFile[] = [];
  for (const name of names) {
    if (name.toLowerCase() === "readme.md") continue;
    const path = join(dir, name);
    if (!statSync(path).isFile() || fileKind(name) === undefined) {
      throw new DbPatchError(DB_PATCH_ERROR_CODES.UNEXPECTED_FILE, `patch ${id}: unexpected entry ${name}`, {
        hint: "A patch directory holds only .sql files, .ts/.mts/.js/.mjs modules and README.md: move or delete this entry.",
        data: { id, file: name, dir },
      });
    }
    files.push({ name, bytes: readFileSync(path) });
  }
  return { id, dir, files };
}

/**
 * Plans one patch from its source: orders the files, checksums them and splits SQL into
 * statements. Pure: no I/O.
 *
 * @throws {@link DbPatchError} `DB_SQL_UNTERMINATED`, `DB_UNSUPPORTED_SQL`,
 * `DB_PATCH_TRANSACTION_CONTROL`, `DB_UNEXPECTED_FILE`.
 */
export function planPatch(source: PatchSource): PlannedPatch {
  assertPatchId(source.id);
  const sorted = [...source.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: PlannedFile[] = sorted.map((f) => planFile(source, f));
  const checksum = sha256Hex(files.map((f) => `${f.name}:${f.sha256}\n`).join(""));
  return { id: source.id, dir: source.dir, files, checksum };
}

/**
 * Reads and plans patches in the order given.
 *
 * @example
 * ```ts
 * const plan = planPatches("Patches", ["1-users", "2-orders"]);
 * console.log(renderPlanSql(plan)); // what --dry-run prints
 * ```
 */
export function planPatches(patchesDir: string, ids: readonly string[]): PatchPlan {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) {
      throw new DbPatchError(DB_PATCH_ERROR_CODES.INVALID_OPTIONS, `patch ${id} is listed twice`, {
        hint: "List each patch once in the release file.",
        data: { id },
      });
    }
    seen.add(id);
  }
  return { patches: ids.map((id) => planPatch(readPatch(patchesDir, id))) };
}

const TX_CONTROL = new Set(["BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT"]);

function planFile(source: PatchSource, file: PatchSourceFile): PlannedFile {
  const kind = fileKind(file.name);
  const path = join(source.dir, file.name);
  const sha256 = sha256Hex(file.bytes);
  if (kind === "module") return { kind, name: file.name, path, sha256 };
  if (kind !== "sql") {
    throw new DbPatchError(DB_PATCH_ERROR_CODES.UNEXPECTED_FILE, `patch ${source.id}: unexpected file ${file.name}`, {
      hint: "A patch directory holds only .sql files, .ts/.mts/.js/.mjs modules and README.md.",
      data: { id: source.id, file: file.name },
    });
  }
  const where = `Patches/${source.id}/${file.name}`;
  const split = splitSql(new TextDecoder().decode(file.bytes), where);
  for (const st of split.statements) {
    const [w0, w1] = st.words;
    if (
      w0 !== undefined &&
      TX_CONTROL.has(w0) &&
      !(w0 === "ROLLBACK" && (w1 === "TO" || w1 === "PREPARED")) &&
      !(w0 === "COMMIT" && w1 === "PREPARED")
    ) {
      throw new DbPatchError(
        DB_PATCH_ERROR_CODES.PATCH_TRANSACTION_CONTROL,
        `${where}:${st.line}: ${w0} controls the transaction`,
        {
          hint: "git-prolly runs each patch in a transaction: remove BEGIN/COMMIT/ROLLBACK, or mark statements that must run outside one with `-- git-prolly: no-transaction`.",
          data: { patch: source.id, file: file.name, line: st.line },
        },
      );
    }
    if (w0 === "COPY" && /\bfrom\s+stdin\b/i.test(st.sql)) {
      throw new DbPatchError(
        DB_PATCH_ERROR_CODES.UNSUPPORTED_SQL,
        `${where}:${st.line}: COPY … FROM STDIN needs psql`,
        {
          hint: "Use INSERT statements, or load the data from a .ts patch module.",
          data: { patch: source.id, file: file.name, line: st.line },
        },
      );
    }
  }
  return { kind, name: file.name, path, sha256, statements: split.statements, noTransaction: split.noTransaction };
}

function fileKind(name: string): "sql" | "module" | undefined {
  if (name.endsWith(".d.ts") || name.endsWith(".d.mts")) return undefined;
  if (name.endsWith(".sql")) return "sql";
  return MODULE_EXTENSIONS.some((e) => name.endsWith(e)) ? "module" : undefined;
}

/**
 * The plan as SQL text, for `--dry-run`: every statement with its origin, markers where a
 * statement runs outside the transaction, and a comment where a module runs.
 */
export function renderPlanSql(plan: PatchPlan, options: { transaction?: "patch" | "release" } = {}): string {
  const out: string[] = [];
  const perRelease = options.transaction === "release";
  if (perRelease) out.push("BEGIN;");
  for (const p of plan.patches) {
    out.push(`-- patch ${p.id} (checksum ${p.checksum.slice(0, 12)})`);
    if (!perRelease) out.push("BEGIN;");
    for (const f of p.files) {
      if (f.kind === "module") {
        out.push(`-- ${p.id}/${f.name}: runs the module's default export with the transaction`);
        continue;
      }
      for (const st of f.statements) {
        out.push(`-- ${p.id}/${f.name}:${st.line}`);
        if (st.noTransaction) out.push("-- git-prolly: no-transaction (runs alone, outside the transaction)");
        out.push(`${st.sql};`);
      }
    }
    if (!perRelease) out.push("COMMIT;");
  }
  if (perRelease) out.push("COMMIT;");
  return `${out.join("\n")}\n`;
}
