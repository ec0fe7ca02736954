/**
 * A process that ends without `close()` still stages its buffered edits: when Node's event loop
 * runs dry (`beforeExit`, the normal end of a script) every write buffer with edits is flushed,
 * once. `process.exit()`, an uncaught exception and signals end the process without that event
 * and no asynchronous work can run then: the edits stay in their journal, which the next `open`
 * of the dataset replays, and a line on stderr says so.
 */
import { writeSync } from "node:fs";

/** What the hooks need of a write buffer. */
export interface ExitFlushable {
  /** Edits not yet staged. */
  readonly buffered: number;
  /** The dataset's directory, for messages. */
  readonly label: string;
  /** Journal files holding the buffered edits. */
  readonly journalFiles: readonly string[];
  flush(): Promise<void>;
}

const watched = new Set<ExitFlushable>();
const tried = new WeakSet<ExitFlushable>();
let installed = false;

function say(line: string): void {
  try {
    writeSync(2, `git-prolly: ${line}\n`);
  } catch {
    // stderr closed: nothing more to do
  }
}

function beforeExit(): void {
  for (const b of watched) {
    if (tried.has(b) || b.buffered === 0) continue;
    tried.add(b); // once: a failing flush must not keep the process alive forever
    b.flush().then(
      () => watched.delete(b),
      (e: unknown) =>
        say(
          `could not stage ${b.buffered} buffered edit(s) of dataset ${b.label} at exit (${e instanceof Error ? e.message : String(e)}); they stay in ${b.journalFiles.join(", ")} and the next open of the dataset stages them`,
        ),
    );
  }
}

function exit(): void {
  for (const b of watched) {
    if (b.buffered === 0) continue;
    const where =
      b.journalFiles.length > 0
        ? `kept in ${b.journalFiles.join(", ")}; the next open of the dataset stages them`
        : "lost (an in-memory repository has no journal)";
    say(
      `${b.buffered} edit(s) of dataset ${b.label} were not flushed before the process exited: ${where} (call flush() or close() before process.exit())`,
    );
  }
}

/** Flushes `b` at the end of the process if it still holds edits then. */
export function watchExit(b: ExitFlushable): void {
  watched.add(b);
  if (installed) return;
  installed = true;
  process.on("beforeExit", beforeExit);
  process.on("exit", exit);
}

/** `b` holds nothing to flush any more. */
export function unwatchExit(b: ExitFlushable): void {
  watched.delete(b);
  tried.delete(b);
}
