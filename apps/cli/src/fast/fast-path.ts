import { reportError } from "../lib/report-error.js";
import { stdout } from "../lib/std-output.js";
import { findCheckedOutDataset, hasPendingJournal } from "./find-dataset-dir.js";
import { parseFastArgv } from "./parse-fast-argv.js";

/**
 * Runs the hot commands without loading oclif: `get` (through `@git-prolly/reader`, which reads
 * the checked-out files, i.e. the staged state), `set` and
 * `commit` (kv-store only) and `textconv` (prolly-core's decoder only). Returns false when argv is
 * anything else, or when the lean path cannot answer (then the full command runs and reports).
 */
export async function fastPath(argv: readonly string[]): Promise<boolean> {
  switch (argv[0]) {
    case "get":
      return fastGet(argv);
    case "set":
      return fastSet(argv);
    case "commit":
      return fastCommit(argv);
    case "textconv":
      return fastTextconv(argv);
    default:
      return false;
  }
}

async function fastGet(argv: readonly string[]): Promise<boolean> {
  // Only the staged state: `--ref` goes to kv-store, which resolves revisions relative to the
  // branch the dataset follows.
  const parsed = parseFastArgv(argv, {}, { min: 1, max: 1 });
  if (parsed === undefined) return false;
  const found = findCheckedOutDataset(process.cwd());
  if (found === undefined || hasPendingJournal(found.gitDir)) return false;
  const key = parsed.positionals[0]!;
  const json = parsed.flags.has("json");
  let value: Uint8Array | undefined;
  try {
    const { open } = await import("@git-prolly/reader");
    const reader = open(found.dir);
    try {
      value = reader.get(key);
    } finally {
      reader.close();
    }
  } catch {
    return false; // damaged or missing node files…: the full command explains it
  }
  const { keyNotFound, printValue } = await import("../lib/get-output.js");
  try {
    if (value === undefined) reportError(keyNotFound(key, undefined), { json });
    else printValue(key, value, undefined, json);
  } catch (error) {
    reportError(error, { json }); // stdout failed (CLI_WRITE_FAILED)
  }
  return true;
}

async function fastSet(argv: readonly string[]): Promise<boolean> {
  const parsed = parseFastArgv(argv, { file: { char: "f", value: true } }, { min: 1, max: 2 });
  if (parsed === undefined) return false;
  const json = parsed.flags.has("json");
  try {
    const [{ runSet }, { openStore }] = await Promise.all([
      import("../lib/run-set.js"),
      import("../lib/open-store.js"),
    ]);
    await runSet(openStore, {
      key: parsed.positionals[0]!,
      value: parsed.positionals[1],
      file: parsed.flags.get("file") as string | undefined,
      json,
    });
  } catch (error) {
    reportError(error, { json });
  }
  return true;
}

async function fastCommit(argv: readonly string[]): Promise<boolean> {
  const parsed = parseFastArgv(
    argv,
    { message: { char: "m", value: true }, "allow-empty": { value: false } },
    { min: 0, max: 0 },
  );
  if (parsed === undefined || !parsed.flags.has("message")) return false;
  const json = parsed.flags.has("json");
  try {
    const [{ runCommit }, { openStore }] = await Promise.all([
      import("../lib/run-commit.js"),
      import("../lib/open-store.js"),
    ]);
    await runCommit(openStore, {
      message: parsed.flags.get("message") as string,
      allowEmpty: parsed.flags.has("allow-empty"),
      json,
    });
  } catch (error) {
    reportError(error, { json });
  }
  return true;
}

async function fastTextconv(argv: readonly string[]): Promise<boolean> {
  const parsed = parseFastArgv(argv, {}, { min: 1, max: 1 });
  if (parsed === undefined) return false;
  try {
    const [{ textconv }, { readInputFile }] = await Promise.all([
      import("../lib/textconv.js"),
      import("../lib/read-input.js"),
    ]);
    stdout.write(textconv(await readInputFile(parsed.positionals[0]!)));
  } catch (error) {
    reportError(error);
  }
  return true;
}
