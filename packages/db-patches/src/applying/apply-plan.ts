import { CompiledQuery, sql, type Kysely } from "kysely";
import { withAdvisoryLock } from "./advisory-lock.js";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { loadPatchModule, type PatchModule } from "../planning/load-patch-module.js";
import { installMetadata, listAppliedPatches, lockTimeout } from "../metadata/metadata.js";
import { metadataTable, metadataTableName } from "../metadata/metadata-schema.js";
import { quoteLiteral } from "../support/sql-quote.js";
import type { DatabaseHandle } from "../connection/open-database.js";
import type { PatchPlan, PlannedFile, PlannedPatch } from "../planning/plan-patches.js";
import { lineOfPosition, type SqlStatement } from "../planning/split-sql.js";

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  /** The project: names the advisory lock and must match the database's metadata. */
  project: string;
  /** The release the patches ship in, recorded on each applied patch (omit during development). */
  release?: string;
  /** One transaction per patch (default) or one for the whole plan. */
  transaction?: "patch" | "release";
  /** What to do with a patch that is already applied with the same checksum (default `skip`). */
  ifApplied?: "skip" | "error";
  /** How long to wait for another run's lock (ms). */
  lockTimeoutMs?: number;
  /** Called as patches start and finish (for progress output). */
  onProgress?: (event: ApplyEvent) => void;
}

/** A progress event of {@link applyPlan}. */
export type ApplyEvent =
  | { type: "skip"; patch: string }
  | { type: "start"; patch: string }
  | { type: "done"; patch: string; durationMs: number };

/** The outcome of {@link applyPlan}. */
export interface ApplyResult {
  patches: { id: string; status: "applied" | "skipped"; durationMs: number; statements: number }[];
  durationMs: number;
}

type Item =
  | { kind: "sql"; patch: PlannedPatch; file: PlannedFile; statement: SqlStatement }
  | { kind: "module"; patch: PlannedPatch; file: PlannedFile; run: PatchModule }
  | { kind: "start"; patch: PlannedPatch }
  | { kind: "record"; patch: PlannedPatch };

/**
 * Executes a plan: under the project's advisory lock, skips patches already applied with the
 * same checksum (a changed one is an error), then runs the rest in order, one transaction per
 * patch (or one for the whole plan) with the metadata row written in the same transaction. A
 * statement marked `-- git-prolly: no-transaction` commits what precedes it and runs alone.
 * Fails closed: the first error stops the run and rolls back the open transaction.
 *
 * @throws {@link DbPatchError} `DB_PATCH_SQL_FAILED` (patch, file, line and statement in its
 * data), `DB_PATCH_MODULE_FAILED`, `DB_PATCH_CHECKSUM_MISMATCH`, `DB_LOCK_TIMEOUT`…
 */
export async function applyPlan(handle: DatabaseHandle, plan: PatchPlan, options: ApplyOptions): Promise<ApplyResult> {
  const t0 = performance.now();
  return withAdvisoryLock(handle, { project: options.project, ...lockTimeout(options.lockTimeoutMs) }, async () => {
    await installMetadata(handle, { project: options.project });
    const applied = new Map((await listAppliedPatches(handle)).map((p) => [p.id, p]));
    const todo: PlannedPatch[] = [];
    const results: ApplyResult["patches"] = [];
    for (const p of plan.patches) {
      const a = applied.get(p.id);
      if (a === undefined) {
        todo.push(p);
        continue;
      }
      if (a.checksum !== p.checksum) throw checksumMismatch(p, a.files);
      if (options.ifApplied === "error") {
        throw new DbPatchError(
          DB_PATCH_ERROR_CODES.PATCH_ALREADY_APPLIED,
          `patch ${p.id} is already applied to ${handle.display}`,
          {
            hint: "Remove it from the plan, or apply with ifApplied: 'skip'.",
            data: { patch: p.id, appliedAt: a.appliedAt.toISOString() },
          },
        );
      }
      results.push({ id: p.id, status: "skipped", durationMs: 0, statements: 0 });
      options.onProgress?.({ type: "skip", patch: p.id });
    }
    // Load every module before running anything: a module that does not load fails the run early.
    const items = new Map<string, Item[]>();
    for (const p of todo) items.set(p.id, await itemsOf(p));
    const units = options.transaction === "release" ? [todo] : todo.map((p) => [p]);
    await handle.db.connection().execute(async (conn) => {
      try {
        for (const unit of units) {
          const seq = unit.flatMap((p) => items.get(p.id)!);
          await runUnit(conn, seq, options, results);
        }
      } finally {
        // Patches may SET session parameters; do not hand them on with the pooled session.
        await conn.executeQuery(CompiledQuery.raw("reset all")).catch(() => {});
      }
    });
    return { patches: results, durationMs: performance.now() - t0 };
  });
}

async function itemsOf(p: PlannedPatch): Promise<Item[]> {
  const out: Item[] = [{ kind: "start", patch: p }];
  for (const f of p.files) {
    if (f.kind === "module") {
      out.push({
        kind: "module",
        patch: p,
        file: f,
        run: await loadPatchModule(f.path, f.sha256, `Patches/${p.id}/${f.name}`),
      });
    } else {
      for (const st of f.statements) out.push({ kind: "sql", patch: p, file: f, statement: st });
    }
  }
  out.push({ kind: "record", patch: p });
  return out;
}

interface RunState {
  started: Map<string, number>;
  /** Patches whose start event was sent (a failed script is replayed: do not send it twice). */
  announced: Set<string>;
  statements: Map<string, number>;
  /** Statements already committed outside the unit's transaction, per patch. */
  committed: Map<string, { file: string; line: number }[]>;
  /** Patches committed earlier in this run (they stay applied when a later one fails). */
  appliedBefore: string[];
}

async function runUnit(
  conn: Kysely<any>,
  seq: readonly Item[],
  options: ApplyOptions,
  results: ApplyResult["patches"],
): Promise<void> {
  const state: RunState = {
    started: new Map(),
    announced: new Set(),
    statements: new Map(),
    committed: new Map(),
    appliedBefore: results.filter((r) => r.status === "applied").map((r) => r.id),
  };
  const segments: { tx: boolean; items: Item[] }[] = [];
  for (const it of seq) {
    const alone = it.kind === "sql" && it.statement.noTransaction;
    const last = segments[segments.length - 1];
    if (alone) segments.push({ tx: false, items: [it] });
    else if (last !== undefined && last.tx) last.items.push(it);
    else segments.push({ tx: true, items: [it] });
  }
  const done: ApplyResult["patches"] = [];
  for (const seg of segments) {
    if (seg.tx) {
      let finished: ApplyResult["patches"] = [];
      // Fast path: a segment of SQL only goes to the server as one script (one round trip). If
      // it fails, it is rolled back and replayed statement by statement, which reports the
      // exact statement and line (or succeeds, if the failure was transient).
      const scripted = await runScript(conn, seg.items, options, state);
      if (scripted !== undefined) finished = scripted;
      else {
        await conn.transaction().execute(async (trx) => {
          for (const it of seg.items) await runItem(trx, it, options, state, finished);
        });
      }
      // Committed: only now do these patches count as applied (a rollback would have undone them).
      for (const f of finished) {
        done.push(f);
        options.onProgress?.({ type: "done", patch: f.id, durationMs: f.durationMs });
      }
      for (const it of seg.items) noteCommitted(state, it);
    } else {
      const it = seg.items[0]!;
      await runItem(conn, it, options, state, done);
      noteCommitted(state, it);
    }
  }
  results.push(...done);
}

/** Records a committed SQL statement of its patch (named in errors: it stays applied). */
function noteCommitted(state: RunState, it: Item): void {
  if (it.kind !== "sql") return;
  const list = state.committed.get(it.patch.id) ?? [];
  list.push({ file: it.file.name, line: it.statement.line });
  state.committed.set(it.patch.id, list);
}

/**
 * The statements that record a patch as applied (its `applied_patch` row and its files' rows),
 * as SQL text: both ways of running a patch (one script, or item by item) send these.
 * `durationSql` is an SQL expression of the duration in ms.
 */
function recordStatements(patch: PlannedPatch, release: string | undefined, durationSql: string): string[] {
  const id = quoteLiteral(patch.id);
  const out = [
    `insert into ${metadataTableName("applied_patch")} (patch_id, release, checksum, duration_ms) values (${id}, ${release === undefined ? "null" : quoteLiteral(release)}, ${quoteLiteral(patch.checksum)}, ${durationSql})`,
  ];
  if (patch.files.length > 0) {
    const rows = patch.files.map((f) => `(${id}, ${quoteLiteral(f.name)}, ${quoteLiteral(f.sha256)})`).join(", ");
    out.push(`insert into ${metadataTableName("applied_patch_file")} (patch_id, file_name, sha256) values ${rows}`);
  }
  return out;
}

/**
 * Runs a segment of SQL statements and metadata rows as one script inside BEGIN … COMMIT.
 * Returns the finished patches, or undefined after rolling back a failed script.
 */
async function runScript(
  conn: Kysely<any>,
  items: readonly Item[],
  options: ApplyOptions,
  state: RunState,
): Promise<ApplyResult["patches"] | undefined> {
  if (items.some((it) => it.kind === "module")) return undefined;
  const parts: string[] = ["begin"];
  const counts = new Map<string, number>();
  const startedHere = new Set<string>();
  const recorded: string[] = [];
  const t0 = performance.now();
  for (const it of items) {
    const id = it.patch.id;
    switch (it.kind) {
      case "start":
        startedHere.add(id);
        state.started.set(id, t0);
        parts.push("select set_config('git_prolly.patch_started', clock_timestamp()::text, true)");
        break;
      case "sql":
        counts.set(id, (counts.get(id) ?? 0) + 1);
        parts.push(it.statement.sql);
        break;
      case "record": {
        recorded.push(id);
        // Started in this transaction: the server measures; else (after a no-transaction
        // statement) the time since the patch started here.
        const duration = startedHere.has(id)
          ? "greatest(0, round(extract(epoch from clock_timestamp() - current_setting('git_prolly.patch_started')::timestamptz) * 1000))::int"
          : String(Math.round(t0 - (state.started.get(id) ?? t0)));
        parts.push(...recordStatements(it.patch, options.release, duration));
        break;
      }
    }
  }
  parts.push("commit");
  for (const id of startedHere) announceStart(id, options, state);
  try {
    // A newline before each ';': a statement may end with a -- comment.
    await conn.executeQuery(CompiledQuery.raw(`${parts.join("\n;\n")}\n;`));
  } catch {
    await conn.executeQuery(CompiledQuery.raw("rollback")).catch(() => {});
    return undefined;
  }
  for (const [id, n] of counts) state.statements.set(id, (state.statements.get(id) ?? 0) + n);
  const elapsed = Math.round(performance.now() - t0);
  let durations = new Map<string, number>();
  if (recorded.length === 1 && startedHere.has(recorded[0]!)) durations.set(recorded[0]!, elapsed);
  else if (recorded.length > 0) {
    const r = await sql<{ patch_id: string; duration_ms: number }>`
      select patch_id, duration_ms from ${metadataTable("applied_patch")} where patch_id in (${sql.join(recorded)})`.execute(
      conn,
    );
    durations = new Map(r.rows.map((row) => [row.patch_id, Number(row.duration_ms)]));
  }
  return recorded.map((id) => ({
    id,
    status: "applied" as const,
    durationMs: durations.get(id) ?? 0,
    statements: state.statements.get(id) ?? 0,
  }));
}

function announceStart(id: string, options: ApplyOptions, state: RunState): void {
  if (state.announced.has(id)) return;
  state.announced.add(id);
  options.onProgress?.({ type: "start", patch: id });
}

async function runItem(
  db: Kysely<any>,
  it: Item,
  options: ApplyOptions,
  state: RunState,
  finished: ApplyResult["patches"],
): Promise<void> {
  const id = it.patch.id;
  switch (it.kind) {
    case "start":
      state.started.set(id, performance.now());
      state.statements.set(id, 0);
      announceStart(id, options, state);
      return;
    case "sql":
      try {
        await db.executeQuery(CompiledQuery.raw(it.statement.sql));
      } catch (e) {
        throw sqlFailed(it.patch, it.file, it.statement, e, state.committed.get(id) ?? [], state.appliedBefore);
      }
      state.statements.set(id, (state.statements.get(id) ?? 0) + 1);
      return;
    case "module":
      try {
        await it.run(db);
      } catch (e) {
        throw moduleFailed(it.patch, it.file, e, state.committed.get(id) ?? [], state.appliedBefore);
      }
      return;
    case "record": {
      const durationMs = Math.round(performance.now() - (state.started.get(id) ?? performance.now()));
      for (const statement of recordStatements(it.patch, options.release, String(durationMs))) {
        await db.executeQuery(CompiledQuery.raw(statement));
      }
      finished.push({ id, status: "applied", durationMs, statements: state.statements.get(id) ?? 0 });
      return;
    }
  }
}

interface PgErrorLike {
  message?: string;
  code?: string;
  position?: string | number;
  detail?: string;
  hint?: string;
  where?: string;
}

function sqlFailed(
  patch: PlannedPatch,
  file: PlannedFile,
  st: SqlStatement,
  e: unknown,
  committed: { file: string; line: number }[],
  appliedBefore: string[],
): DbPatchError {
  const pgErr = e as PgErrorLike;
  const position = pgErr.position === undefined ? undefined : Number(pgErr.position);
  const line = position !== undefined && Number.isFinite(position) ? lineOfPosition(st, position) : st.line;
  const where = `Patches/${patch.id}/${file.name}:${line}`;
  const statement = st.sql.length > 2000 ? `${st.sql.slice(0, 2000)}…` : st.sql;
  const partial = committed.length > 0;
  return new DbPatchError(
    DB_PATCH_ERROR_CODES.PATCH_SQL_FAILED,
    `${where}: ${pgErr.message ?? String(e)}\n  in statement at line ${st.line}: ${firstLine(st.sql)}`,
    {
      hint: partial
        ? `Fix the statement. Statements of patch ${patch.id} that ran outside a transaction stay applied (${committed.map((c) => `${c.file}:${c.line}`).join(", ")}): make the fix idempotent or restore the database.`
        : `Fix the statement and run again; patch ${patch.id} was rolled back, nothing of it is applied${appliedBefore.length > 0 ? ` (patches applied before it in this run stay applied: ${appliedBefore.join(", ")})` : ""}.`,
      data: {
        patch: patch.id,
        file: file.name,
        line,
        statementLine: st.line,
        statement,
        ...(pgErr.code === undefined ? {} : { sqlState: pgErr.code }),
        ...(pgErr.detail === undefined ? {} : { detail: pgErr.detail }),
        ...(pgErr.hint === undefined ? {} : { serverHint: pgErr.hint }),
        ...(position === undefined ? {} : { position }),
        partiallyApplied: partial,
        ...(partial ? { committedStatements: committed } : {}),
        appliedInThisRun: appliedBefore,
      },
      cause: e,
    },
  );
}

function moduleFailed(
  patch: PlannedPatch,
  file: PlannedFile,
  e: unknown,
  committed: { file: string; line: number }[],
  appliedBefore: string[],
): DbPatchError {
  if (e instanceof DbPatchError) return e;
  const pgErr = e as PgErrorLike;
  return new DbPatchError(
    DB_PATCH_ERROR_CODES.PATCH_MODULE_FAILED,
    `Patches/${patch.id}/${file.name}: ${pgErr.message ?? String(e)}`,
    {
      hint: `Fix the module and run again; patch ${patch.id} was rolled back${committed.length > 0 ? " except statements that ran outside a transaction" : ""}.`,
      data: {
        patch: patch.id,
        file: file.name,
        ...(pgErr.code === undefined ? {} : { sqlState: pgErr.code }),
        partiallyApplied: committed.length > 0,
        appliedInThisRun: appliedBefore,
      },
      cause: e,
    },
  );
}

function checksumMismatch(p: PlannedPatch, appliedFiles: { name: string; sha256: string }[]): DbPatchError {
  const now = new Map(p.files.map((f) => [f.name, f.sha256]));
  const then = new Map(appliedFiles.map((f) => [f.name, f.sha256]));
  const changed = [...new Set([...now.keys(), ...then.keys()])].filter((n) => now.get(n) !== then.get(n)).sort();
  return new DbPatchError(
    DB_PATCH_ERROR_CODES.PATCH_CHECKSUM_MISMATCH,
    `patch ${p.id} changed after it was applied: ${changed.join(", ")}`,
    {
      hint: "Applied patches are immutable: restore its files from Git and put the change in a new patch.",
      data: { patch: p.id, files: changed },
    },
  );
}

function firstLine(s: string): string {
  const l = s.split("\n", 1)[0] ?? "";
  return l.length > 120 ? `${l.slice(0, 120)}…` : l;
}
