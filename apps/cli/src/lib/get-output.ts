import { CliError } from "./cli-error.js";
import { quoteKey } from "./display-bytes.js";
import { emit } from "./emit.js";
import { stdout } from "./std-output.js";

/** The error of `get` for an absent key (exit 3). */
export function keyNotFound(key: string, ref: string | undefined, bin = "git-prolly"): CliError {
  return new CliError("CLI_KEY_NOT_FOUND", `key ${quoteKey(key)} not found${ref === undefined ? "" : ` at ${ref}`}`, {
    hint: `list the keys with '${bin} list${ref === undefined ? "" : ` --ref ${ref}`}'`,
    data: { key, ref: ref ?? null },
  });
}

/**
 * Prints a value as `get` does on both its paths (the fast one in `bin/run.js` and the oclif
 * command): the raw bytes and a newline, or `{ key, value, ref }` with `--json`.
 */
export function printValue(key: string, value: Uint8Array, ref: string | undefined, json: boolean): void {
  if (json) emit(true, { key, value, ...(ref === undefined ? {} : { ref }) }, () => undefined);
  else stdout.write(Buffer.concat([Buffer.from(value.buffer, value.byteOffset, value.byteLength), Buffer.from("\n")]));
}
