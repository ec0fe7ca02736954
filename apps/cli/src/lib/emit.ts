import { toJson } from "./json-output.js";
import { stdout } from "./std-output.js";
import { type Styles, stylesFor } from "./terminal.js";

/** How a result is printed: JSON for `--json`, else the lines `human` returns. */
export type Human = (s: Styles) => string | readonly string[] | undefined;

/** Prints `result` through {@link toJson} when `json`, else what `human` returns (nothing for `undefined`). */
export function emit(json: boolean, result: unknown, human: Human): void {
  if (json) {
    stdout.write(`${toJson(result)}\n`);
    return;
  }
  const text = human(stylesFor(stdout));
  if (text === undefined) return;
  const lines = typeof text === "string" ? [text] : text;
  if (lines.length > 0) stdout.write(`${lines.join("\n")}\n`);
}
