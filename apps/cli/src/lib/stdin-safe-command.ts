import { format, inspect } from "node:util";
import { Command, type Interfaces, ux } from "@oclif/core";
import { stderr, stdout } from "./std-output.js";

/**
 * The parser input with every argument marked `ignoreStdin`. oclif otherwise fills a missing first
 * argument from piped stdin: `… | git-prolly branch` would create a branch named after the input
 * instead of listing branches, and `dev patch new` would reserve an id on origin nobody typed.
 * Commands read stdin only where they say so (`-`).
 */
export function ignoringStdin<
  F extends Record<string, unknown>,
  B extends Record<string, unknown>,
  A extends Record<string, unknown>,
>(options: Interfaces.Input<F, B, A> | undefined): Interfaces.Input<F, B, A> | undefined {
  if (options?.args === undefined) return options;
  const args = Object.fromEntries(
    Object.entries(options.args).map(([name, arg]) => [name, { ...arg, ignoreStdin: true }]),
  ) as typeof options.args;
  // Field by field, not by spreading: `options` is often the command class, whose inherited
  // statics (baseFlags, enableJsonFlag) a spread would drop.
  const input: Interfaces.Input<F, B, A> = { args };
  if (options.flags !== undefined) input.flags = options.flags;
  if (options.baseFlags !== undefined) input.baseFlags = options.baseFlags;
  if (options.enableJsonFlag !== undefined) input.enableJsonFlag = options.enableJsonFlag;
  if (options.strict !== undefined) input.strict = options.strict;
  if (options.context !== undefined) input.context = options.context;
  if (options["--"] !== undefined) input["--"] = options["--"];
  return input;
}

/** A line as oclif's `log` formats it (`util.format`, non-strings inspected). */
function logLine(message: unknown, args: unknown[]): string {
  return `${format(typeof message === "string" ? message : inspect(message), ...args)}\n`;
}

/**
 * The base of git-prolly's command bases: oclif's `Command`, parsing with {@link ignoringStdin},
 * and printing through std-output.ts like everything else (oclif's `log` goes through
 * `process.stdout`, whose queue a direct write of an error could overtake).
 */
export abstract class StdinSafeCommand extends Command {
  override log(message: unknown = "", ...args: unknown[]): void {
    if (!this.jsonEnabled()) stdout.write(logLine(message, args));
  }

  override logToStderr(message: unknown = "", ...args: unknown[]): void {
    if (!this.jsonEnabled()) stderr.write(logLine(message, args));
  }

  override logJson(json: unknown): void {
    stdout.write(`${ux.colorizeJson(json, { pretty: true, theme: this.config.theme?.json })}\n`);
  }

  /** Parses as oclif does, except that no argument is ever taken from piped stdin. */
  protected override async parse<
    F extends Record<string, unknown>,
    B extends Record<string, unknown>,
    A extends Record<string, unknown>,
  >(options?: Interfaces.Input<F, B, A>, argv?: string[]): Promise<Interfaces.ParserOutput<F, B, A>> {
    return super.parse(ignoringStdin(options ?? (this.ctor as Interfaces.Input<F, B, A>)), argv);
  }
}
