import { execFile } from "node:child_process";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CliError } from "./cli-error.js";

const run = promisify(execFile);

/** Name of the Git diff driver git-prolly installs. */
export const DIFF_DRIVER = "git-prolly";

/** What {@link setupGit} did. */
export interface GitSetup {
  /** The `diff.git-prolly.textconv` command written to the repository's config. */
  textconv: string;
  /** The attributes file that names the dataset's node files. */
  attributesFile: string;
  /** Lines added to it (empty when they were there). */
  added: string[];
  /**
   * True when `.gitattributes` (in a working tree) has changes Git does not have committed: commit
   * it so that clones name the node files too (`setup-git` in a clone then only adds the driver).
   */
  uncommitted?: boolean;
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    return (await run("git", args, { cwd })).stdout.trim();
  } catch (cause) {
    throw new CliError("CLI_NOT_A_REPOSITORY", `git ${args[0]} failed in ${cwd}`, {
      hint: "run this inside a Git repository (git init) that holds a dataset",
      data: { stderr: String((cause as { stderr?: unknown }).stderr ?? "").slice(0, 500) },
      cause,
    });
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/** The command Git runs for textconv: this Node and this `bin/run.js`, whatever the PATH. */
export function textconvCommand(): string {
  const runJs = resolve(dirname(fileURLToPath(import.meta.url)), "../../bin/run.js");
  return `${shellQuote(process.execPath)} ${shellQuote(runJs)} textconv`;
}

/**
 * Installs the `git-prolly` diff driver for the dataset at `dataset` (its path in the repository,
 * `""` for the root): `diff.git-prolly.textconv` in the repository's config and
 * `diff=git-prolly` attributes for the node files (`.gitattributes` at the top of the working
 * tree; `info/attributes` in a bare repository), so `git diff`, `git log -p` and `git show`
 * print `key = value` lines. Idempotent. With `dataset` undefined (a clone's top level, outside any
 * dataset) only the driver is configured: the attributes are committed with the datasets.
 */
export async function setupGit(cwd: string, dataset: string | undefined): Promise<GitSetup> {
  const [bare, gitDir] = (await git(cwd, ["rev-parse", "--is-bare-repository", "--absolute-git-dir"])).split("\n");
  const textconv = textconvCommand();
  await git(cwd, ["config", `diff.${DIFF_DRIVER}.textconv`, textconv]);
  const attributesFile =
    bare === "true"
      ? join(gitDir!, "info", "attributes")
      : join(await git(cwd, ["rev-parse", "--show-toplevel"]), ".gitattributes");
  if (dataset === undefined) return { textconv, attributesFile, added: [] };
  const base = dataset === "" ? "/root" : `/${dataset.replace(/^\/+|\/+$/g, "")}/root`;
  const wanted = [`${base} diff=${DIFF_DRIVER}`, `${base}/** diff=${DIFF_DRIVER}`];
  let existing = "";
  try {
    existing = await readFile(attributesFile, "utf8");
  } catch {
    // no attributes yet
  }
  const have = new Set(existing.split("\n").map((l) => l.trim()));
  const added = wanted.filter((l) => !have.has(l));
  if (added.length > 0) {
    await mkdir(dirname(attributesFile), { recursive: true });
    const sep = existing === "" || existing.endsWith("\n") ? "" : "\n";
    await appendFile(attributesFile, `${sep}${added.join("\n")}\n`);
  }
  const uncommitted = bare !== "true" && (await git(cwd, ["status", "--porcelain", "--", attributesFile])) !== "";
  return { textconv, attributesFile, added, uncommitted };
}
