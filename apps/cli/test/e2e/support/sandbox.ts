import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** The built CLI's entry point (the package's `bin`). */
export const RUN_JS = resolve(here, "../../../bin/run.js");
/** The app's test script that replaces the seed's `cargo test` (see `app-test.mjs`). */
export const APP_TEST = join(here, "app-test.mjs");

/** What a finished process left behind. */
export interface Ran {
  /** The exit code (`null` when killed by a signal). */
  status: number | null;
  stdout: string;
  stderr: string;
  /** The command line, for failure messages. */
  command: string;
}

/** Options of {@link Sandbox.run}. */
export interface RunOptions {
  /** Working directory, relative to the sandbox root or absolute. */
  cwd?: string;
  /** Bytes on stdin (default: none, stdin closed). */
  input?: string;
  /** Extra environment. */
  env?: Record<string, string>;
}

/**
 * A scratch world for end-to-end tests: a temporary directory with its own `HOME` (a global
 * Git config with an identity, `init.defaultBranch=main` and `protocol.file.allow=always` so
 * local paths work as submodule URLs), and a `bin/` on `PATH` with
 *
 * - `git-prolly`: a shim that runs the built `apps/cli/bin/run.js` with this Node;
 * - `cargo`: the seed's `cargo test …` replaced by the app's node test script
 *   ({@link APP_TEST}), which reads the data with `git-prolly get` and records what it saw in
 *   `$E2E_LOG` (one JSON object a line);
 * - `vim`: the seed's `vim <file>` replaced by appending an edit line to the file.
 *
 * Nothing here talks to the network; every "remote" is a bare repository under the sandbox.
 */
export class Sandbox {
  readonly root: string;
  readonly bin: string;
  readonly home: string;
  readonly log: string;
  readonly env: Record<string, string>;

  private constructor(root: string) {
    this.root = root;
    this.bin = join(root, ".bin");
    this.home = join(root, ".home");
    this.log = join(root, ".app-test.log");
    mkdirSync(this.bin);
    mkdirSync(this.home);
    writeExecutable(join(this.bin, "git-prolly"), `#!/bin/sh\nexec "${process.execPath}" "${RUN_JS}" "$@"\n`);
    writeExecutable(join(this.bin, "cargo"), `#!/bin/sh\nexec "${process.execPath}" "${APP_TEST}" "$@"\n`);
    writeExecutable(
      join(this.bin, "vim"),
      `#!/bin/sh\nfor f in "$@"; do mkdir -p "$(dirname "$f")"; echo "// edited in vim: uncommitted hotfix" >> "$f"; done\n`,
    );
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v === undefined) continue;
      if (k.startsWith("GIT_") || k === "DEBUG" || k === "CDPATH" || k.startsWith("NODE_OPTIONS")) continue;
      if (k.startsWith("VITEST") || k === "TEST" || k === "NODE_ENV") continue;
      env[k] = v;
    }
    Object.assign(env, {
      PATH: `${this.bin}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, ".config"),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "E2E Tester",
      GIT_AUTHOR_EMAIL: "e2e@example.com",
      GIT_COMMITTER_NAME: "E2E Tester",
      GIT_COMMITTER_EMAIL: "e2e@example.com",
      NO_COLOR: "1",
      LC_ALL: "C.UTF-8",
      E2E_LOG: this.log,
    });
    this.env = env;
    writeFileSync(
      join(this.home, ".gitconfig"),
      [
        "[user]\n\tname = E2E Tester\n\temail = e2e@example.com",
        "[init]\n\tdefaultBranch = main",
        '[protocol "file"]\n\tallow = always',
        "[advice]\n\tdetachedHead = false",
        "[gc]\n\tauto = 0",
        "",
      ].join("\n"),
    );
  }

  /** A new sandbox in a fresh temporary directory. */
  static create(prefix = "git-prolly-e2e-"): Sandbox {
    return new Sandbox(mkdtempSync(join(tmpdir(), prefix)));
  }

  /** Removes the sandbox (keeps it when `E2E_KEEP` is set, for debugging). */
  dispose(): void {
    if (process.env["E2E_KEEP"]) {
      console.log(`e2e sandbox kept: ${this.root}`);
      return;
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  /** An absolute path inside the sandbox. */
  path(...parts: string[]): string {
    return resolve(this.root, ...parts);
  }

  /** Runs `command args…` and returns what it did, whatever the exit code. */
  run(command: string, args: readonly string[], options: RunOptions = {}): Ran {
    const cwd = options.cwd === undefined ? this.root : resolve(this.root, options.cwd);
    const r = spawnSync(command, args, {
      cwd,
      env: { ...this.env, ...options.env },
      input: options.input ?? "",
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    if (r.error) throw r.error;
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      command: `(cd ${cwd} && ${[command, ...args].map(quote).join(" ")})`,
    };
  }

  /** Runs `command` and throws (with its output) unless it exits 0; returns stdout. */
  ok(command: string, args: readonly string[], options: RunOptions = {}): string {
    const r = this.run(command, args, options);
    if (r.status !== 0) throw new Error(describe(r));
    return r.stdout;
  }

  /** `git-prolly args…` through the shim on `PATH`. */
  prolly(args: readonly string[], options: RunOptions = {}): Ran {
    return this.run("git-prolly", args, options);
  }

  /** `git-prolly args…`, which must exit 0; returns stdout. */
  prollyOk(args: readonly string[], options: RunOptions = {}): string {
    return this.ok("git-prolly", args, options);
  }

  /** `git args…`, which must exit 0; returns stdout trimmed. */
  git(cwd: string, ...args: string[]): string {
    return this.ok("git", args, { cwd }).trim();
  }

  /** Writes `text` to a file under the sandbox (directories created). */
  write(path: string, text: string): string {
    const full = this.path(path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  }

  /**
   * Runs a bash script as a user would paste it: no `set -e` (so a failing command does not hide
   * the rest), but every failing command is recorded by an `ERR` trap and returned in
   * `failures` (`exit<TAB>command`), so tests can require that nothing failed.
   */
  bash(script: string, options: RunOptions = {}): Ran & { failures: string[] } {
    const marker = "E2E-FAILED";
    const prelude = `set -o errtrace\ntrap 'echo "${marker}\t$?\t$BASH_COMMAND" >&2' ERR\n`;
    const file = join(this.root, `.script-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, prelude + script);
    const r = this.run("bash", [file], options);
    const failures: string[] = [];
    const stderr = r.stderr
      .split("\n")
      .filter((line) => {
        if (!line.startsWith(`${marker}\t`)) return true;
        failures.push(line.slice(marker.length + 1));
        return false;
      })
      .join("\n");
    return { ...r, stderr, failures, command: `bash script in ${options.cwd ?? this.root}:\n${script}` };
  }

  /** A bare repository at `path` (the "GitHub" of the seed), optionally with a first commit holding `files`. */
  bareRepository(path: string, files?: Record<string, string>): string {
    const full = this.path(path);
    this.ok("git", ["init", "-q", "--bare", "-b", "main", full]);
    if (files !== undefined) {
      const scratch = mkdtempSync(join(this.root, ".seed-"));
      this.ok("git", ["clone", "-q", full, scratch]);
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(dirname(join(scratch, name)), { recursive: true });
        writeFileSync(join(scratch, name), text);
      }
      this.git(scratch, "add", ".");
      this.git(scratch, "commit", "-q", "-m", "Initial commit");
      this.git(scratch, "push", "-q", "origin", "HEAD:main");
      rmSync(scratch, { recursive: true, force: true });
    }
    return full;
  }

  /** The app test's records since the last call (and clears them). */
  takeAppTestLog(): AppTestRecord[] {
    const r = spawnSync("cat", [this.log], { encoding: "utf8" });
    rmSync(this.log, { force: true });
    if (r.status !== 0) return [];
    return r.stdout
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as AppTestRecord);
  }
}

/** One run of the app's test script (the seed's `cargo test`). */
export interface AppTestRecord {
  /** `cargo` arguments (`["test", "--test", "integration_tests"]`). */
  args: string[];
  /** The directory the test ran in. */
  cwd: string;
  /** The code branch (`git symbolic-ref --short HEAD`, or `HEAD` when detached). */
  codeBranch: string;
  /** The dataset directories read, each with the values of the keys asked for (`null`: absent). */
  datasets: Record<string, Record<string, string | null>>;
  /** What `git-prolly current-branch` said in each dataset. */
  followed: Record<string, string>;
  /** Contents of `src/` files (relative path → text), to check that the code stayed in place. */
  src: Record<string, string>;
  /** Whether the test passed (required keys present). */
  passed: boolean;
  /** Why it failed, if it did. */
  problems: string[];
}

function writeExecutable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

function quote(arg: string): string {
  return /^[\w./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** A failure message with the command, exit code and both outputs. */
export function describe(r: Ran): string {
  return `${r.command}\nexit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
