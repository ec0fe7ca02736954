import { fstatSync, writeSync } from "node:fs";
import { CliError } from "./cli-error.js";

/**
 * Standard output or error, written with `fs.writeSync` on its file descriptor.
 *
 * Touching `process.stdout` builds a stream: for a pipe that loads `net` and Node's streams,
 * ~2.5 ms of a ~25 ms `git-prolly set`. Writes through this object cost one system call and keep
 * the order of everything printed (on Linux, Node writes pipes and files synchronously too). On
 * Windows a console then gets the raw UTF-8 bytes, without libuv's console layer (the project is
 * built and tested on Linux).
 */
export interface StdOutput {
  /** 1 for standard output, 2 for standard error. */
  readonly fd: 1 | 2;
  /** Whether the descriptor is a terminal (asked once, without building the stream). */
  readonly isTTY: boolean;
  /** True once the reader went away or writing failed: later writes are dropped, a long listing can stop. */
  readonly closed: boolean;
  /**
   * Writes all of `data` before returning, as Git's commands do.
   * - A reader that went away (`EPIPE`: `git-prolly get k | head -c1`) ends the output silently.
   * - A full non-blocking pipe (`EAGAIN`: Node makes a pipe non-blocking once anything builds
   *   `process.stdout` on it, and a parent may hand one over) is waited for, a few milliseconds
   *   at a time; handing the rest to Node's stream would let the next write overtake it.
   * - Any other failure of standard output (`ENOSPC`…) throws `CLI_WRITE_FAILED` once and drops
   *   later writes.
   */
  write(data: string | Uint8Array): void;
}

/** Never notified: `Atomics.wait` on it is a plain sleep of the calling thread. */
const pause = new Int32Array(new SharedArrayBuffer(4));

class FdOutput implements StdOutput {
  readonly fd: 1 | 2;
  #isTTY: boolean | undefined;
  #closed = false;

  constructor(fd: 1 | 2) {
    this.fd = fd;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get isTTY(): boolean {
    this.#isTTY ??= isTerminal(this.fd);
    return this.#isTTY;
  }

  write(data: string | Uint8Array): void {
    if (this.#closed) return;
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    let done = 0;
    let waitMs = 1;
    while (done < bytes.length) {
      try {
        done += writeSync(this.fd, bytes, done, bytes.length - done);
        waitMs = 1;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EPIPE") {
          this.#closed = true;
          return;
        }
        if (code !== "EAGAIN") {
          // A full disk, a device error: later writes are dropped (so reporting this one cannot
          // fail again on stdout), and a failure of stderr itself has nowhere to be told.
          this.#closed = true;
          if (this.fd === 2) return;
          throw new CliError("CLI_WRITE_FAILED", `cannot write to standard output: ${(error as Error).message}`, {
            hint: "check where the output goes (a full disk, a device that failed); the output is incomplete",
            data: { code: code ?? null },
          });
        }
        Atomics.wait(pause, 0, 0, waitMs); // sleeps this thread; the reader drains the pipe meanwhile
        waitMs = Math.min(waitMs * 2, 50);
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
