import { spawn } from "node:child_process";
import { delimiter, join } from "node:path";
import { PROJECT_CONFIG_FILE } from "./project-config.js";
import { resolveConnection, type ConnectionOptions } from "@git-prolly/db-patches";

/** The outcome of the project's test command. */
export interface TestRun {
  command: string;
  exitCode: number;
  /** The last lines of its output (stdout and stderr). */
  tail: string;
  durationMs: number;
}

/** Exit status of a shell whose command was not found (POSIX). */
const COMMAND_NOT_FOUND = 127;

/** True when the test command itself could not be run (not installed), rather than tests failing. */
export function testCommandMissing(run: TestRun): boolean {
  return run.exitCode === COMMAND_NOT_FOUND;
}

/**
 * A hint for a failed test run: when the command was not found, say how to install it.
 * @param otherwise the hint for failing tests
 */
export function testFailureHint(run: TestRun, root: string, otherwise: string): string {
  if (!testCommandMissing(run)) return otherwise;
  return `The test command '${run.command}' was not found: install the project's dependencies (cd ${root} && npm install), or set testCommand in ${PROJECT_CONFIG_FILE}, then run the command again`;
}

/**
 * Runs the project's test command through the shell in the project root, with the project's
 * `node_modules/.bin` first on the PATH (as `npm test` has it). The command gets the
 * database through the environment: `DATABASE_URL` (server; PG* variables pass through) or
 * `GIT_PROLLY_PGLITE_DIR` (PGlite data directory, not open by git-prolly while tests run).
 */
export async function runTests(root: string, command: string, connection: ConnectionOptions): Promise<TestRun> {
  const t0 = performance.now();
  const target = resolveConnection(connection);
  const env: Record<string, string | undefined> = { ...process.env };
  env["PATH"] = [join(root, "node_modules", ".bin"), process.env["PATH"] ?? ""].join(delimiter);
  if (target.kind === "pglite") env["GIT_PROLLY_PGLITE_DIR"] = target.dataDir;
  else if (connection.url !== undefined) env["DATABASE_URL"] = connection.url;
  else env["PGDATABASE"] = target.database;
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: root, shell: true, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const keep = (b: Buffer) => {
      out = (out + b.toString("utf8")).slice(-64 * 1024);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const done = (code: number) =>
      resolve({
        command,
        exitCode: code,
        tail: out.split("\n").slice(-30).join("\n").trim(),
        durationMs: performance.now() - t0,
      });
    child.on("error", (e) => {
      out += `\n${e.message}`;
      done(COMMAND_NOT_FOUND);
    });
    child.on("close", (code) => done(code ?? 1));
  });
}
