import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  generateKyselyTypes,
  installMetadata,
  openDatabase,
  readMetadataInfo,
  recordRelease,
  writeModel,
} from "@git-prolly/db-patches";
import { GitCli, HO_PROD } from "@git-prolly/release-engine";
import { databaseName, ensureServerDatabase, projectConnection, type ConnectionFlags } from "./connection.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { writeProjectConfig, type Project, type ProjectConfig } from "./project-config.js";
import { projectTemplate } from "./project-template.js";

/** Options of {@link initProject}. */
export interface InitOptions extends ConnectionFlags {
  cwd: string;
  packageName: string;
  database: string;
  gitOrigin?: string | undefined;
  testCommand?: string | undefined;
  report?: (line: string) => void;
}

/** The outcome of {@link initProject}. */
export interface InitResult {
  root: string;
  project: string;
  database: string;
  backend: "server" | "pglite";
  release: string;
  commit: string;
  origin: string | null;
}

const NAME_RE = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/**
 * Creates a project: a TypeScript package with `Patches/`, `releases/`, `model/`, `tests/`,
 * a Git repository on `ho-prod`, the database with git-prolly's metadata and release 0.0.0
 * recorded, the 0.0.0 model, and `origin` when given (pushed). Nothing is left behind on failure.
 */
export async function initProject(options: InitOptions): Promise<InitResult> {
  if (!NAME_RE.test(options.packageName)) {
    throw new DevError(
      DEV_ERROR_CODES.INVALID_ARGUMENT,
      `invalid package name: ${JSON.stringify(options.packageName)}`,
      {
        hint: "Use a lower-case npm package name, for example my-app.",
      },
    );
  }
  if (!/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(options.database)) {
    throw new DevError(DEV_ERROR_CODES.INVALID_ARGUMENT, `invalid database name: ${JSON.stringify(options.database)}`, {
      hint: "Use letters, digits, _ and -, starting with a letter (for example mydb).",
    });
  }
  const dirName = options.packageName.replace(/^@[^/]+\//, "");
  const root = resolve(options.cwd, dirName);
  if (existsSync(root)) {
    throw new DevError(
      DEV_ERROR_CODES.DIRECTORY_EXISTS,
      `Directory '${dirName}' already exists in ${resolve(options.cwd)}`,
      {
        hint: "Choose another package name, or remove the directory. To work on an existing project, use git-prolly dev clone <url>.",
        data: { path: root },
      },
    );
  }
  const probe = new GitCli(resolve(options.cwd));
  if (options.gitOrigin !== undefined) {
    const r = await probe.tryRun(["ls-remote", options.gitOrigin]);
    if (r.code !== 0) {
      throw new DevError(
        DEV_ERROR_CODES.NO_ORIGIN,
        `cannot reach git origin ${options.gitOrigin}: ${r.stderr.trim().split("\n").at(-1) ?? ""}`,
        {
          hint: "Create the repository first (for example git init --bare), or check the URL and your credentials.",
          data: { origin: options.gitOrigin },
        },
      );
    }
  }
  const config: ProjectConfig = {
    project: options.packageName,
    database: options.database,
    testCommand: options.testCommand ?? "vitest run",
    typesFile: "src/db/database.ts",
    configVersion: 1,
  };
  const project: Project = { root, config, local: {} };
  const connection = projectConnection(root, databaseName(project), options);
  mkdirSync(root, { recursive: true });
  try {
    for (const [path, text] of Object.entries(
      projectTemplate(options.packageName, options.database, config.testCommand),
    )) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    writeProjectConfig(root, config);
    await ensureServerDatabase(connection);
    const handle = await openDatabase(connection);
    let backend: "server" | "pglite";
    try {
      backend = handle.kind;
      const existing = await readMetadataInfo(handle);
      if (existing !== undefined) {
        throw new DevError(
          DEV_ERROR_CODES.DIRECTORY_EXISTS,
          `Database '${options.database}' already has git-prolly metadata (project ${existing.project})`,
          {
            hint: "To work on that project, use: git-prolly dev clone <git-url>",
            data: { database: options.database, project: existing.project },
          },
        );
      }
      await installMetadata(handle, { project: config.project });
      await recordRelease(handle, { project: config.project, version: "0.0.0", changelog: "Initial release" });
      await writeModel(handle, { modelDir: join(root, "model"), version: "0.0.0", project: config.project });
      const types = join(root, config.typesFile);
      mkdirSync(dirname(types), { recursive: true });
      writeFileSync(types, await generateKyselyTypes(handle));
    } finally {
      await handle.close();
    }
    options.report?.(`database ${handle.display} ready: git-prolly metadata installed, release 0.0.0 recorded`);
    const git = new GitCli(root);
    await git.run(["init", "--quiet", "-b", HO_PROD]);
    await git.run(["add", "-A"]);
    await git.run(["commit", "--quiet", "-m", "[git-prolly] Initial commit (release: 0.0.0)"]);
    await git.run(["tag", "v0.0.0"]);
    if (options.gitOrigin !== undefined) {
      await git.run(["remote", "add", "origin", options.gitOrigin]);
      await git.run(["push", "--quiet", "--set-upstream", "origin", HO_PROD, "v0.0.0"]);
      options.report?.(`pushed ho-prod to ${options.gitOrigin}`);
    }
    const commit = (await git.run(["rev-parse", "HEAD"])).trim();
    return {
      root,
      project: config.project,
      database: options.database,
      backend,
      release: "0.0.0",
      commit,
      origin: options.gitOrigin ?? null,
    };
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
}
