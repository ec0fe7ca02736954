/**
 * A repository on disk: objects read and written in process (loose objects and packs), refs
 * updated with lock files like Git, and the working tree and index reached through `git`.
 */
import { promises as fsp } from "node:fs";
import { join, resolve } from "node:path";
import type { Signature } from "../objects/commit-object.js";
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";
import { runGit } from "./git-cli.js";
import { autoGcMayRun, configBool, readConfigFile } from "./git-config.js";
import { GitObjectDatabase, type GitObjectDatabaseOptions } from "../objects/git-object-database.js";
import { GitRefStore } from "../refs/git-ref-store.js";
import { type Identity, identityFromConfig, parseIdent } from "../history/identity.js";
import { Repository } from "./repository.js";
import { type RepositoryLayout, findRepository } from "./repository-layout.js";
import { FileStateStore } from "./state-store.js";
import { Worktree } from "../worktree/worktree.js";

/** Options of {@link openGitRepository}. */
export interface OpenGitRepositoryOptions extends GitObjectDatabaseOptions {
  /** How long to wait for ref locks held by other processes (ms, default 2000). */
  readonly lockTimeoutMs?: number;
}

/** A repository on disk. */
export class GitRepository extends Repository {
  readonly objects: GitObjectDatabase;
  readonly refs: GitRefStore;
  readonly state: FileStateStore;
  readonly worktree: Worktree | undefined;
  readonly bare: boolean;

  constructor(
    readonly layout: RepositoryLayout,
    options: OpenGitRepositoryOptions & { logAllRefUpdates: boolean },
  ) {
    super();
    this.bare = layout.bare;
    this.objects = new GitObjectDatabase(join(layout.commonDir, "objects"), options);
    this.refs = new GitRefStore({
      gitDir: layout.gitDir,
      commonDir: layout.commonDir,
      logAllRefUpdates: options.logAllRefUpdates,
      identity: async () => (await this.identity()).committer,
      ...(options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }),
    });
    this.state = new FileStateStore(join(layout.gitDir, "prolly"));
    this.worktree =
      layout.workTree === undefined ? undefined : new Worktree(layout.workTree, layout.gitDir, this.objects);
  }

  /** Runs `git` on this repository (the CLI port, for porcelain and remote work). */
  git(
    args: readonly string[],
    options: { input?: string | Uint8Array; okCodes?: readonly number[]; cwd?: string } = {},
  ): ReturnType<typeof runGit> {
    return runGit({
      args,
      gitDir: this.layout.gitDir,
      cwd: options.cwd ?? this.layout.workTree ?? this.layout.gitDir,
      ...(this.layout.workTree === undefined ? {} : { workTree: this.layout.workTree }),
      ...options,
    });
  }

  /**
   * Author and committer from Git's own rules (environment, then config), worked out in process
   * when that is sure to match Git (see {@link identityFromConfig}), else by `git var`.
   * @throws {GitStoreError} GIT_COMMAND_FAILED when Git has no identity configured.
   */
  async identity(): Promise<Identity> {
    const known = await identityFromConfig({ commonDir: this.layout.commonDir });
    if (known !== undefined) return known;
    const [author, committer] = await Promise.all(
      ["GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"].map(async (v) => parseIdent((await this.git(["var", v])).stdout)),
    );
    if (author === undefined || committer === undefined) {
      throw new GitStoreError(GIT_ERROR_CODES.COMMAND_FAILED, "cannot determine who is committing", {
        hint: 'Set it with `git config user.name "…"` and `git config user.email "…"`.',
      });
    }
    return { author, committer };
  }

  async maintain(): Promise<void> {
    // No process when Git's own thresholds are clearly not reached (the usual case).
    if (!(await autoGcMayRun({ commonDir: this.layout.commonDir }))) return;
    // Returns at once unless thresholds are passed; then Git detaches (gc.autoDetach).
    await this.git(["gc", "--auto", "--quiet"], { okCodes: [0, 1, 128] });
  }

  async close(): Promise<void> {
    await this.worktree?.close();
    await this.objects.close();
  }
}

/**
 * Opens the repository containing `path` (a working tree, a linked worktree, a submodule or a
 * bare repository).
 * @throws {GitStoreError} GIT_REPO_NOT_FOUND
 */
export async function openGitRepository(path: string, options: OpenGitRepositoryOptions = {}): Promise<GitRepository> {
  const layout = await findRepository(path);
  if (layout === undefined) {
    throw new GitStoreError(GIT_ERROR_CODES.REPO_NOT_FOUND, `no Git repository at or above ${resolve(path)}`, {
      hint: "Run inside a Git repository, or create one with `git init`.",
      data: { path: resolve(path) },
    });
  }
  const config = await readConfigFile(join(layout.commonDir, "config"));
  const logAllRefUpdates = configBool(config.get("core.logallrefupdates")) ?? !layout.bare;
  return new GitRepository(layout, { ...options, logAllRefUpdates });
}

/** Options of {@link initGitRepository}. */
export interface InitGitRepositoryOptions extends OpenGitRepositoryOptions {
  /** Create a bare repository. */
  readonly bare?: boolean;
  /** Name of the first branch (default: Git's `init.defaultBranch`, else `main`). */
  readonly initialBranch?: string;
}

/** Creates a repository at `path` with `git init` and opens it. */
export async function initGitRepository(path: string, options: InitGitRepositoryOptions = {}): Promise<GitRepository> {
  const dir = resolve(path);
  await fsp.mkdir(dir, { recursive: true });
  let branch = options.initialBranch;
  if (branch === undefined) {
    const configured = await runGit({ args: ["config", "--get", "init.defaultBranch"], cwd: dir, okCodes: [0, 1] });
    branch = configured.stdout.trim() || "main";
  }
  await runGit({
    args: ["init", "-q", `--initial-branch=${branch}`, ...(options.bare === true ? ["--bare"] : []), dir],
    cwd: dir,
  });
  return openGitRepository(dir, options);
}

/** Signature helper for callers that want Git's identity without a repository object. */
export type { Signature };
