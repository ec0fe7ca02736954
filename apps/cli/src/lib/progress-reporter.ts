import { stderr, stdout } from "./std-output.js";

/**
 * A progress bar on stderr for long work (import, export, large merges: a bar, a count, or the
 * step under way with the time spent). Silent when stdout is
 * not a terminal (scripts, pipes, `--json`) and until the work has run for `delayMs`, so quick
 * commands never flicker.
 */
export interface ProgressReporterOptions {
  /** What is being done ("importing"). */
  label: string;
  /** Total units, when known (a bar with a percentage); else a running count. */
  total?: number;
  /** Whether to draw at all (defaults to: stdout and the stream are both terminals). */
  enabled?: boolean;
  /** Wait this long before the first draw (default 1000 ms). */
  delayMs?: number;
  /** Where to draw (default: standard error, through std-output.ts). */
  stream?: ProgressStream;
}

/** What a progress bar is drawn on: a Node stream, or `stderr` of std-output.ts. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** See {@link ProgressReporterOptions}. */
export class ProgressReporter {
  readonly #label: string;
  readonly #total: number | undefined;
  readonly #enabled: boolean;
  readonly #stream: ProgressStream;
  readonly #startAt: number;
  readonly #startedAt = Date.now();
  #count = 0;
  #lastDraw = 0;
  #drawn = false;
  #phase: string | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: ProgressReporterOptions) {
    this.#label = options.label;
    this.#total = options.total;
    this.#stream = options.stream ?? stderr;
    this.#enabled = options.enabled ?? (stdout.isTTY && this.#stream.isTTY === true);
    this.#startAt = Date.now() + (options.delayMs ?? 1000);
  }

  /** Whether this reporter draws anything. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Adds `n` done units. */
  tick(n = 1): void {
    this.update(this.#count + n);
  }

  /** Sets the number of done units. */
  update(count: number): void {
    this.#count = count;
    if (!this.#enabled) return;
    const now = Date.now();
    if (now < this.#startAt || now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    this.#draw();
  }

  /**
   * Names the step under way, for work measured in steps rather than units (a merge): the line
   * shows `label: phase (elapsed)` and redraws itself while the step runs.
   */
  phase(name: string): void {
    this.#phase = name;
    if (!this.#enabled) return;
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.update(this.#count), 100);
      this.#timer.unref();
    }
    this.update(this.#count);
  }

  /** Ends the bar (clears its line). */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#enabled && this.#drawn) this.#stream.write("\r\u001b[2K");
  }

  #draw(): void {
    this.#drawn = true;
    if (this.#phase !== undefined) {
      const seconds = ((Date.now() - this.#startedAt) / 1000).toFixed(1);
      this.#stream.write(`\r\u001b[2K${this.#label}: ${this.#phase} (${seconds} s)`);
      return;
    }
    const count = this.#count.toLocaleString("en-US");
    if (this.#total === undefined || this.#total <= 0) {
      this.#stream.write(`\r\u001b[2K${this.#label} ${count}`);
      return;
    }
    const ratio = Math.min(1, this.#count / this.#total);
    const width = 30;
    const full = Math.round(ratio * width);
    const bar = "█".repeat(full) + "░".repeat(width - full);
    const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
    this.#stream.write(`\r\u001b[2K${this.#label} ${bar} ${pct} ${count}/${this.#total.toLocaleString("en-US")}`);
  }
}
