import { stdout } from "./std-output.js";

/** Where text goes (a Node stream, or `stdout`/`stderr` of std-output.ts): only whether it is a terminal matters here. */
export interface OutputTarget {
  readonly isTTY?: boolean;
}

/** Whether output to `stream` may use ANSI colours: never with `NO_COLOR`, `TERM=dumb` or off a terminal. */
export function colorEnabled(stream: OutputTarget = stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "" && force !== "0") return true;
  if (env["TERM"] === "dumb") return false;
  return stream.isTTY === true;
}

/** ANSI styles that turn into plain text when colours are off. */
export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

function wrap(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

/** Styles for `stream` (plain when {@link colorEnabled} says no). */
export function stylesFor(stream: OutputTarget = stdout): Styles {
  const on = colorEnabled(stream);
  return {
    bold: wrap(on, 1, 22),
    dim: wrap(on, 2, 22),
    red: wrap(on, 31, 39),
    green: wrap(on, 32, 39),
    yellow: wrap(on, 33, 39),
    cyan: wrap(on, 36, 39),
  };
}
