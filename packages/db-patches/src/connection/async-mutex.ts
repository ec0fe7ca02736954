/**
 * A first-come, first-served async mutex. PGlite is one single-user backend: every query,
 * transaction and tool (pg_dump, data-directory dump) must take turns through one of these.
 */
export class AsyncMutex {
  #tail: Promise<void> = Promise.resolve();

  /** Waits for the mutex; the returned function releases it (calling it twice is harmless). */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.#tail;
    this.#tail = new Promise<void>((resolve) => {
      let done = false;
      release = () => {
        if (!done) {
          done = true;
          resolve();
        }
      };
    });
    await previous;
    return release;
  }

  /** Runs `fn` while holding the mutex. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
