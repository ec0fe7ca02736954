import { type Command, Flags, type Interfaces } from "@oclif/core";
import { emit } from "./emit.js";
import { ProgressReporter } from "./progress-reporter.js";
import { isExitSignal, reportError } from "./report-error.js";
import { stderr, stdout } from "./std-output.js";
import { type Styles, stylesFor } from "./terminal.js";
import { StdinSafeCommand } from "./stdin-safe-command.js";

/** The flags of command class `T`, with the global ones. */
export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)["baseFlags"] & T["flags"]
>;
/** The arguments of command class `T`. */
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T["args"]>;

/** Something a command opens and must close before it exits (a store: `close()` flushes it). */
export interface Closable {
  close(): Promise<void>;
}

/**
 * The base of every git-prolly command: parses flags and args into `this.flags`/`this.args`, adds
 * the global `--json` flag, prints results through one serializer ({@link BaseCommand.output}),
 * reports errors as `error:`/`hint:` lines with the exit code of `exit-codes.ts`, and closes what
 * the command opened ({@link BaseCommand.track}) whatever happens.
 *
 * @example
 * ```ts
 * export default class Get extends BaseCommand<typeof Get> {
 *   static override args = { key: Args.string({ required: true }) };
 *   async run(): Promise<void> {
 *     const value = "…";
 *     this.output({ key: this.args.key, value }, () => value);
 *   }
 * }
 * ```
 */
export abstract class BaseCommand<T extends typeof Command> extends StdinSafeCommand {
  static override baseFlags = {
    json: Flags.boolean({ description: "Print the result as JSON (stable, machine-readable).", helpGroup: "GLOBAL" }),
  };

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  readonly #resources: Closable[] = [];

  override async init(): Promise<void> {
    await super.init();
    const ctor = this.ctor as typeof BaseCommand & T;
    const { args, flags } = await this.parse({
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
      args: ctor.args,
      strict: ctor.strict,
      enableJsonFlag: false,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
  }

  /** Whether the user asked for JSON (also when parsing failed before `this.flags` was set). */
  protected get json(): boolean {
    if (this.flags !== undefined) return (this.flags as { json?: boolean }).json === true;
    const end = this.argv.indexOf("--");
    const at = this.argv.indexOf("--json");
    return at !== -1 && (end === -1 || at < end);
  }

  /** Styles for stdout (plain with `NO_COLOR` or off a terminal). */
  protected get styles(): Styles {
    return stylesFor(stdout);
  }

  /**
   * Prints a result: `toJson(result)` with `--json`, else what `human` returns (a string or
   * lines; nothing for `undefined`).
   */
  protected output(result: unknown, human: (s: Styles) => string | readonly string[] | undefined): void {
    emit(this.json, result, human);
  }

  /** A progress bar on stderr, silent with `--json` or when stdout is not a terminal. */
  protected progress(label: string, total?: number): ProgressReporter {
    return new ProgressReporter({
      label,
      ...(total === undefined ? {} : { total }),
      enabled: !this.json && stdout.isTTY && stderr.isTTY,
    });
  }

  /** Registers `resource` to be closed when the command ends; returns it. */
  protected track<R extends Closable>(resource: R): R {
    this.#resources.push(resource);
    return resource;
  }

  override async catch(error: Error & { exitCode?: number }): Promise<void> {
    if (isExitSignal(error)) throw error;
    // A failed parse is reported here; without this, oclif warns "did not parse its arguments" outside production.
    this.parsed = true;
    reportError(error, {
      json: this.json,
      bin: this.config.bin,
      ...(this.id === undefined ? {} : { command: this.id }),
    });
  }

  override async finally(error: Error | undefined): Promise<void> {
    const resources = this.#resources.splice(0).reverse();
    for (const resource of resources) {
      try {
        await resource.close();
      } catch (closeError) {
        if (error === undefined) reportError(closeError, { json: this.json, bin: this.config.bin });
      }
    }
    await super.finally(error);
  }
}
