import { fstatSync, writeSync } from "node:fs";

/**
 * Standard output or error, written with `fs.writeSync` on its file descriptor.
 *
 * Touching `process.stdout` builds a stream: for a pipe that loads `net` and Node's streams,
 * ~2.5 ms of a ~25 ms `git-prolly set`. Writes through this object cost one system call and keep
 * the order of everything printed (on Linux, Node writes pipes and files synchronously too).
 */
export interface StdOutput {
  /** 1 for standard output, 2 for standard error. */
  readonly fd: 1 | 2;
  /** Whether the descriptor is a terminal (asked once, without building the stream). */
  readonly isTTY: boolean;
  /**
   * Writes all of `data`. A reader that went away (`EPIPE`, as in `git-prolly get k | head -c1`)
   * ends the output silently, as Git's commands do; a non-blocking descriptor that is full
   * (`EAGAIN`) hands the rest to Node's stream, which waits for it.
   */
  write(data: string | Uint8Array): void;
}

class FdOutput implements StdOutput {
  readonly fd: 1 | 2;
  #isTTY: boolean | undefined;
  #closed = false;

  constructor(fd: 1 | 2) {
    this.fd = fd;
  }

  get isTTY(): boolean {
    this.#isTTY ??= isTerminal(this.fd);
    return this.#isTTY;
  }

  write(data: string | Uint8Array): void {
    if (this.#closed) return;
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    let done = 0;
    while (done < bytes.length) {
      try {
        done += writeSync(this.fd, bytes, done, bytes.length - done);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EPIPE") {
          this.#closed = true;
          return;
        }
        if (code !== "EAGAIN") throw error;
        (this.fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(done));
        return;
      }
    }
  }
}

/** A terminal is a character device: anything else (pipe, file, socket) is known without `node:tty`. */
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false; // closed descriptor
  }
  return process.getBuiltinModule("node:tty").isatty(fd); // /dev/null is a character device too
}

/** Standard output. */
export const stdout: StdOutput = new FdOutput(1);

/** Standard error. */
export const stderr: StdOutput = new FdOutput(2);
