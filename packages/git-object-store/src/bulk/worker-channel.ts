/**
 * One worker thread answering requests in order: started on first use, kept unreferenced while
 * idle (it never holds the process open), and failing every waiting request if it dies. The
 * worker is a module of this package (`new URL("./x.js", import.meta.url)`, built to dist beside
 * its caller); it must answer each `{ id, … }` message with `{ id, … }`, or `{ id, error }`.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type TransferListItem, Worker } from "node:worker_threads";
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";

interface Reply {
  readonly id: number;
  readonly error?: string;
}

interface Waiting<R> {
  readonly resolve: (r: R) => void;
  readonly reject: (e: Error) => void;
}

/** A running worker and the requests it still owes an answer. */
interface Thread<R> {
  readonly worker: Worker;
  readonly waiting: Map<number, Waiting<R>>;
}

/** Requests to a worker thread, each answered by one reply message. */
export class WorkerChannel<R extends object> {
  #thread: Thread<R> | undefined;
  #seq = 0;

  constructor(
    readonly label: string,
    readonly module: URL,
  ) {}

  #start(): Thread<R> {
    if (this.#thread !== undefined) return this.#thread;
    const thread: Thread<R> = { worker: startWorker(this.module), waiting: new Map() };
    const { worker, waiting } = thread;
    worker.on("message", (r: Reply & R) => {
      const w = waiting.get(r.id);
      if (w === undefined) return;
      waiting.delete(r.id);
      if (waiting.size === 0) worker.unref();
      if (r.error !== undefined) w.reject(workerFailed(`${this.label}: ${r.error}`));
      else w.resolve(r);
    });
    // A dead worker fails what it owed; events of a worker already replaced touch nothing else.
    const fail = (e: Error): void => {
      if (this.#thread === thread) this.#thread = undefined;
      const owed = [...waiting.values()];
      waiting.clear();
      worker.unref();
      for (const w of owed) w.reject(e);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(workerFailed(`${this.label} exited with code ${code}`)));
    worker.unref();
    this.#thread = thread;
    return thread;
  }

  /** Sends `message` (with a fresh `id`), transferring `transfer`; resolves to the reply. */
  request(message: object, transfer: readonly TransferListItem[]): Promise<R> {
    const { worker, waiting } = this.#start();
    const id = this.#seq++;
    return new Promise<R>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.ref();
      try {
        worker.postMessage({ ...message, id }, [...transfer]);
      } catch (e) {
        waiting.delete(id);
        if (waiting.size === 0) worker.unref();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }
}

function workerFailed(message: string, cause?: unknown): GitStoreError {
  return new GitStoreError(GIT_ERROR_CODES.WORKER_FAILED, message, {
    hint: "A bulk write's worker thread failed; nothing it owed was written. Run the command again; if it fails again, report it.",
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Starts the worker module `url`. Built, it is a `.js` file beside its caller. Run from source
 * (the tests, through vitest or tsx) there is only the `.ts` file, which a worker thread cannot
 * load by itself: it is then loaded through tsx, the repository's TypeScript loader (a
 * devDependency, never reached from dist).
 */
function startWorker(url: URL): Worker {
  if (!url.pathname.endsWith(".js") || existsSync(fileURLToPath(url))) return new Worker(url);
  const source = new URL(url.href.replace(/\.js$/, ".ts"));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(boot, { eval: true });
}
