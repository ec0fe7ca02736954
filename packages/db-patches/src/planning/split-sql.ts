import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";

/** One statement of a SQL file. */
export interface SqlStatement {
  /** The text sent to the server: from the first token to just before the `;`. */
  readonly sql: string;
  /** 1-based line of the first token in the file. */
  readonly line: number;
  /** Offset (UTF-16 units) of {@link sql} in the file. */
  readonly offset: number;
  /** The first (up to) three words, upper-cased: what kind of statement this is. */
  readonly words: readonly string[];
  /** Must run outside any transaction (`-- git-prolly: no-transaction`). */
  readonly noTransaction: boolean;
}

/** A SQL file split into statements. */
export interface SplitSql {
  readonly statements: readonly SqlStatement[];
  /** The marker sits in the file's header (before the first statement): every statement runs outside a transaction. */
  readonly noTransaction: boolean;
}

/** The marker comment, case-insensitive, in a `--` comment. */
export const NO_TRANSACTION_MARKER = "-- git-prolly: no-transaction";
const MARKER_RE = /^--\s*git-prolly:\s*no-transaction\s*$/i;

/**
 * Splits PostgreSQL source into statements at top-level semicolons, the way psql does: it skips
 * `'…'` strings (with `''`), `E'…'` strings (with backslash escapes), `"…"` identifiers,
 * `$tag$…$tag$` bodies, `--` comments and nested `/* … *\/` comments, keeps `;` inside
 * parentheses, and inside `CREATE [OR REPLACE] FUNCTION|PROCEDURE` keeps `BEGIN ATOMIC … END`
 * bodies whole. A `-- git-prolly: no-transaction` comment marks the next statement (or, in the
 * header, the whole file).
 *
 * @throws {@link DbPatchError} `DB_SQL_UNTERMINATED` for an unclosed string, identifier, comment
 * or dollar quote; `DB_UNSUPPORTED_SQL` for a psql meta-command (`\…`).
 */
export function splitSql(source: string, file = "<sql>"): SplitSql {
  const statements: SqlStatement[] = [];
  const n = source.length;
  let i = 0;
  let line = 1;
  let fileNoTx = false;
  let pendingNoTx = false;
  // Per-statement state.
  let start = -1;
  let startLine = 0;
  let parenDepth = 0;
  let beginDepth = 0;
  let head: string[] = [];
  let routine = false; // statement is CREATE [OR REPLACE] FUNCTION|PROCEDURE

  const unterminated = (what: string, fromLine: number): DbPatchError =>
    new DbPatchError(DB_PATCH_ERROR_CODES.SQL_UNTERMINATED, `${file}:${fromLine}: unterminated ${what}`, {
      hint: `Close the ${what} that opens on line ${fromLine}.`,
      data: { file, line: fromLine },
    });

  const begin = (at: number): void => {
    if (start < 0) {
      start = at;
      startLine = line;
    }
  };

  const finish = (end: number): void => {
    if (start >= 0) {
      const sql = source.slice(start, end).trimEnd();
      statements.push({
        sql,
        line: startLine,
        offset: start,
        words: head.slice(0, 3),
        noTransaction: fileNoTx || pendingNoTx,
      });
    }
    start = -1;
    parenDepth = 0;
    beginDepth = 0;
    head = [];
    routine = false;
    pendingNoTx = false;
  };

  while (i < n) {
    const c = source.charCodeAt(i);
    // Newlines and other white space.
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    // -- line comment
    if (c === 45 /* - */ && source.charCodeAt(i + 1) === 45) {
      let j = source.indexOf("\n", i);
      if (j < 0) j = n;
      if (start < 0 && MARKER_RE.test(source.slice(i, j).trim())) {
        if (statements.length === 0) fileNoTx = true;
        else pendingNoTx = true;
      }
      i = j;
      continue;
    }
    // /* block comment */, nested
    if (c === 47 /* / */ && source.charCodeAt(i + 1) === 42 /* * */) {
      const fromLine = line;
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        const d = source.charCodeAt(i);
        if (d === 10) line++;
        if (d === 47 && source.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (d === 42 && source.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) throw unterminated("block comment", fromLine);
      continue;
    }
    if (c === 59 /* ; */) {
      if (parenDepth === 0 && beginDepth === 0) {
        finish(i);
        i++;
        continue;
      }
      i++;
      continue;
    }
    if (c === 92 /* \ */) {
      throw new DbPatchError(
        DB_PATCH_ERROR_CODES.UNSUPPORTED_SQL,
        `${file}:${line}: psql meta-command ${source.slice(i, i + 12).split(/\s/)[0]} is not SQL`,
        {
          hint: "Patch files run through the driver, not psql: replace the meta-command with SQL (or use a .ts patch module).",
          data: { file, line },
        },
      );
    }
    begin(i);
    // 'string', E'string', and prefixed forms (B'', X'', N'', U&'')
    if (c === 39 /* ' */) {
      const prev = i > 0 ? source.charCodeAt(i - 1) : 0;
      const escapes = (prev === 69 || prev === 101) && !isIdentChar(i >= 2 ? source.charCodeAt(i - 2) : 0);
      const fromLine = line;
      i = skipString(
        source,
        i,
        escapes,
        () => line++,
        () => unterminated("string", fromLine),
      );
      continue;
    }
    if (c === 34 /* " */) {
      const fromLine = line;
      i++;
      for (;;) {
        if (i >= n) throw unterminated("quoted identifier", fromLine);
        const d = source.charCodeAt(i);
        if (d === 10) line++;
        if (d === 34) {
          if (source.charCodeAt(i + 1) === 34) i += 2;
          else {
            i++;
            break;
          }
        } else i++;
      }
      continue;
    }
    if (c === 36 /* $ */ && !(i > 0 && isIdentChar(source.charCodeAt(i - 1)))) {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(source.slice(i, i + 256));
      if (m !== null) {
        const tag = m[0];
        const close = source.indexOf(tag, i + tag.length);
        if (close < 0) throw unterminated(`dollar-quoted string ${tag}`, line);
        line += countNewlines(source, i, close + tag.length);
        i = close + tag.length;
        continue;
      }
      i++; // $1 parameter or a lone $
      continue;
    }
    if (c === 40 /* ( */) {
      parenDepth++;
      i++;
      continue;
    }
    if (c === 41 /* ) */) {
      if (parenDepth > 0) parenDepth--;
      i++;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(source.charCodeAt(j))) j++;
      const word = source.slice(i, j).toUpperCase();
      if (head.length < 4) {
        head.push(word);
        routine =
          head[0] === "CREATE" &&
          (isRoutine(head[1]) || (head[1] === "OR" && head[2] === "REPLACE" && isRoutine(head[3])));
      }
      if (routine && parenDepth === 0) {
        if (word === "BEGIN") beginDepth++;
        else if (word === "CASE" && beginDepth > 0) beginDepth++;
        else if (word === "END" && beginDepth > 0) beginDepth--;
      }
      i = j;
      continue;
    }
    i++;
  }
  finish(n);
  return { statements, noTransaction: fileNoTx };
}

function skipString(
  source: string,
  at: number,
  escapes: boolean,
  newline: () => void,
  fail: () => DbPatchError,
): number {
  let i = at + 1;
  const n = source.length;
  for (;;) {
    if (i >= n) throw fail();
    const d = source.charCodeAt(i);
    if (d === 10) newline();
    if (escapes && d === 92 /* \ */) {
      if (source.charCodeAt(i + 1) === 10) newline();
      i += 2;
      continue;
    }
    if (d === 39) {
      if (source.charCodeAt(i + 1) === 39) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
}

function isRoutine(word: string | undefined): boolean {
  return word === "FUNCTION" || word === "PROCEDURE";
}

function countNewlines(s: string, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) k++;
  return k;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

/**
 * The 1-based line in the file of a server error position (1-based, in characters of the
 * statement's text, as PostgreSQL reports it).
 */
export function lineOfPosition(statement: SqlStatement, position: number): number {
  let chars = 0;
  let line = statement.line;
  for (const ch of statement.sql) {
    if (++chars >= position) break;
    if (ch === "\n") line++;
  }
  return line;
}
