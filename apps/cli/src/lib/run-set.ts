import type { VersionedKvStore } from "@git-prolly/kv-store";
import { CliError } from "./cli-error.js";
import { emit } from "./emit.js";
import { readInputFile } from "./read-input.js";

/** Arguments of `set`. */
export interface SetInput {
  readonly key: string;
  /** The value argument (`-` = stdin). */
  readonly value: string | undefined;
  /** `--file` (`-` = stdin). */
  readonly file: string | undefined;
  readonly json: boolean;
}

/** Checks `set`'s arguments and reads the value. @throws {CliError} CLI_USAGE, CLI_FILE_* */
export async function setValue(input: SetInput, bin = "git-prolly"): Promise<string | Uint8Array> {
  if (input.value !== undefined && input.file !== undefined) {
    throw new CliError("CLI_USAGE", "give the value as an argument or with --file, not both", {
      hint: `${bin} set <key> <value> | --file <path> | -`,
    });
  }
  if (input.value === undefined && input.file === undefined) {
    throw new CliError("CLI_USAGE", "missing value", {
      hint: `${bin} set <key> <value> (or --file <path>, or - for stdin)`,
    });
  }
  if (input.file !== undefined) return readInputFile(input.file);
  return input.value === "-" ? readInputFile("-") : input.value!;
}

/** `set`, on both of its paths (fast path and oclif command). */
export async function runSet(
  open: () => Promise<VersionedKvStore>,
  input: SetInput,
  bin = "git-prolly",
): Promise<void> {
  const value = await setValue(input, bin);
  const store = await open();
  try {
    // Through the write buffer's journal, not apply(): if the process dies while it stages the
    // edit, the next process finds the journal, replays it and repairs the files it was writing.
    await store.set(input.key, value);
  } finally {
    await store.close();
  }
  const bytes = typeof value === "string" ? Buffer.byteLength(value) : value.length;
  emit(input.json, { key: input.key, bytes, staged: true }, () => undefined);
}
