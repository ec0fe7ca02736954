/** Helpers of the `git-prolly dev` end-to-end tests: the built CLI in child processes, scratch projects, bare origins. */
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bin/run.js");
/** The built CLI's entry point (`bin/run.js`), for tests that drive the process themselves. */
export const CLI_BIN = BIN;

/** A database backend the tests run on. */
export type Backend = "pglite" | "server";

/** The result of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (when `--json` was passed). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the command printed
  json: any;
}

/** The server URL, or a failure saying why there is none (server tests never skip). */
export function serverUrl(): string {
  const url = inject("devPgUrl");
  if (url === "") throw new Error(inject("devPgUrlError"));
  return url;
}

let counter = 0;
/** A database name unique to this test run. */
export function uniqueDb(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

/** The environment of a CLI run on a backend: git identity, PGlite cache, and DATABASE_URL for the server. */
export function cliEnv(backend: Backend): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith("PG") && k !== "DATABASE_URL" && !k.startsWith("VITEST")) env[k] = v;
  Object.assign(env, {
    GIT_AUTHOR_NAME: "Dev Test",
    GIT_AUTHOR_EMAIL: "dev@test.invalid",
    GIT_COMMITTER_NAME: "Dev Test",
    GIT_COMMITTER_EMAIL: "dev@test.invalid",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_PROLLY_PGLITE_CACHE: inject("devPgliteCache"),
    NO_COLOR: "1",
  });
  if (backend === "server") env["DATABASE_URL"] = serverUrl();
  return env;
}

/** Runs `git-prolly <args>` in `cwd`. */
export function cli(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      let json: unknown;
      if (args.includes("--json")) {
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
      }
      resolvePromise({ code: code ?? 1, stdout, stderr, json });
    });
  });
}

/** Runs the CLI and fails the test (with its output) unless it exits 0. */
export async function ok(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const r = await cli(cwd, args, env);
  if (r.code !== 0) throw new Error(`git-prolly ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Runs git and returns its trimmed stdout. */
export function git(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync("git", [...args], {
    cwd,
    env: env ?? process.env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** A scratch directory with an empty bare repository `origin.git`; `dispose` removes it. */
export function scratch(): { dir: string; origin: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "gp-dev-"));
  const origin = join(dir, "origin.git");
  execFileSync("git", ["init", "--quiet", "--bare", origin]);
  return { dir, origin, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a file (parents created). */
export function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Reads a file. */
export function read(root: string, path: string): string {
  return readFileSync(join(root, path), "utf8");
}

/** The test command of the test projects: Node's own runner on `tests/` (no install needed). */
export const TEST_COMMAND = "node --test tests/";

/** A project test that passes when the generated types declare `table`. */
export function typesTest(table: string): string {
  return [
    'import test from "node:test";',
    'import assert from "node:assert";',
    'import { readFileSync } from "node:fs";',
    `test("${table} is in the generated types", () => {`,
    `  assert.match(readFileSync("src/db/database.ts", "utf8"), /${table}/);`,
    "});",
    "",
  ].join("\n");
}

/** A project test that always fails. */
export const FAILING_TEST =
  'import test from "node:test";\nimport assert from "node:assert";\ntest("business rule", () => { assert.strictEqual(1 + 1, 3); });\n';

/**
 * Creates a patch with files and tests on its branch, applies it and commits it, and goes back to
 * ho-prod (the seed's "patch new … patch apply … git commit … git checkout ho-prod").
 */
export async function developPatch(
  root: string,
  env: NodeJS.ProcessEnv,
  id: string,
  files: Record<string, string>,
  tests: Record<string, string> = {},
): Promise<void> {
  await ok(root, ["dev", "patch", "new", id], env);
  for (const [name, text] of Object.entries(files)) write(root, `Patches/${id}/${name}`, text);
  for (const [name, text] of Object.entries(tests)) write(root, `tests/${name}`, text);
  await ok(root, ["dev", "patch", "apply"], env);
  git(root, ["add", "."]);
  git(root, ["commit", "--quiet", "-m", `${id}: work`], env);
  git(root, ["checkout", "--quiet", "ho-prod"]);
}
