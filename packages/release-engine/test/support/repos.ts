import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GitCli } from "../../src/index.js";

/** Environment for every git run by the tests: no user or system config, fixed identity. */
export const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};
Object.assign(process.env, GIT_ENV);

/** Runs git in a directory and returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...GIT_ENV },
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** Writes a file (parents created). */
export function write(root: string, path: string, content: string): void {
  const f = join(root, path);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, content);
}

/** A bare origin and clones of it, removed by `cleanup`. */
export interface Team {
  base: string;
  origin: string;
  /** A new clone of origin on ho-prod, with its own identity. */
  clone(name: string): { dir: string; git: GitCli };
  cleanup(): void;
}

/**
 * Creates a bare `origin` whose `ho-prod` holds `releases/0.0.0.txt` (empty, as `dev init`
 * records release 0.0.0) plus `files`, and returns a helper to clone it.
 */
export function createTeam(files: Record<string, string> = {}): Team {
  const base = mkdtempSync(join(tmpdir(), "release-engine-"));
  const origin = join(base, "origin.git");
  git(base, "init", "--bare", "--initial-branch=ho-prod", origin);
  const seed = join(base, "seed");
  git(base, "init", "--initial-branch=ho-prod", seed);
  write(seed, "releases/0.0.0.txt", "");
  for (const [p, c] of Object.entries(files)) write(seed, p, c);
  git(seed, "add", ".");
  git(seed, "commit", "-m", "Initial commit (release: 0.0.0)");
  git(seed, "remote", "add", "origin", origin);
  git(seed, "push", "origin", "ho-prod");
  return {
    base,
    origin,
    clone(name: string) {
      const dir = join(base, name);
      git(base, "clone", "--quiet", "--branch", "ho-prod", origin, dir);
      git(dir, "config", "user.email", `${name}@example.com`);
      git(dir, "config", "user.name", name);
      return { dir, git: new GitCli(dir) };
    },
    cleanup() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
