/**
 * One worker thread answering requests in order: started on first use, kept unreferenced while
 * idle (it never holds the process open), and failing every waiting request if it dies. The
 * worker's source is plain CommonJS evaluated in the thread (no file to locate at run time); it
 * must answer each `{ id, … }` message with `{ id, … }`, or `{ id, error }`.
 */
import { type TransferListItem, Worker } from "node:worker_threads";

interface Reply {
  readonly id: number;
  readonly error?: string;
}

/** Requests to a worker thread, each answered by one reply message. */
export class WorkerChannel<R extends object> {
  #worker: Worker | undefined;
  #seq = 0;
  readonly #waiting = new Map<number, { resolve: (r: R) => void; reject: (e: Error) => void }>();

  constructor(
    readonly label: string,
    readonly source: string,
  ) {}

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(this.source, { eval: true });
    worker.on("message", (r: Reply & R) => {
      const w = this.#waiting.get(r.id);
      if (w === undefined) return;
      this.#waiting.delete(r.id);
      if (this.#waiting.size === 0) worker.unref();
      if (r.error !== undefined) w.reject(new Error(`${this.label}: ${r.error}`));
      else w.resolve(r);
    });
    const fail = (e: Error): void => {
      for (const w of this.#waiting.values()) w.reject(e);
      this.#waiting.clear();
      this.#worker = undefined;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`${this.label} exited with code ${code}`)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  /** Sends `message` (with a fresh `id`), transferring `transfer`; resolves to the reply. */
  request(message: object, transfer: readonly TransferListItem[]): Promise<R> {
    const worker = this.#start();
    const id = this.#seq++;
    return new Promise<R>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...message, id }, [...transfer]);
    });
  }
}
