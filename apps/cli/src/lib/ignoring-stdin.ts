import type { Interfaces } from "@oclif/core";

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
  );
  return { ...options, args: args as typeof options.args };
}
