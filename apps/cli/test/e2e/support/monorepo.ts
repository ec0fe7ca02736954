import { expect } from "vitest";
import { type Sandbox, describe as describeRun } from "./sandbox.js";
import { seedBlock } from "./seed-blocks.js";

/** What a dataset holds on one branch: key → value. */
export type Entries = Record<string, string>;

/**
 * The values each branch of the monorepo holds once {@link buildMonorepo} has run: `config/` on
 * every environment branch, `user-data/` the same everywhere but on the feature branch.
 */
export const MONOREPO_CONFIG: Record<
  "main" | "production" | "staging" | "production-sample" | "feature/user-profiles",
  Entries
> = {
  main: {
    "app:name": "MyApp",
    "app:version": "1.0.0",
    "db:host": "prod-db.example.com",
    "features:beta_features": "false",
  },
  production: {
    "app:name": "MyApp",
    "app:version": "1.0.0",
    "db:host": "prod-db.example.com",
    "db:timeout": "5000",
    "features:beta_features": "false",
  },
  staging: {
    "app:name": "MyApp",
    "app:version": "1.0.0",
    "db:host": "staging-db.example.com",
    "db:timeout": "5000",
    "features:beta_features": "true",
  },
  "production-sample": {
    "app:name": "MyApp",
    "app:version": "1.0.0",
    "db:host": "prod-sample-db.example.com",
    "db:timeout": "2000",
  },
  "feature/user-profiles": {
    "app:name": "MyApp",
    "app:version": "1.0.0",
    "features:user_profiles": "true",
    "ui:profile_page": "enabled",
  },
};

/** `user-data/` per branch. */
export const MONOREPO_USER_DATA: Record<keyof typeof MONOREPO_CONFIG, Entries> = {
  main: { "schema:version": "1" },
  production: { "schema:version": "1" },
  staging: { "schema:version": "1" },
  "production-sample": { "schema:version": "1" },
  "feature/user-profiles": { "schema:version": "1", "schema:user_profile": "name,email,created_at" },
};

/**
 * Runs a seed block with bash in `cwd` and requires that no command failed except those
 * `allowed` (each a substring of the failing command, with the reason it may fail).
 */
export function runSeedBlock(
  sb: Sandbox,
  block: string,
  cwd: string,
  allowed: Record<string, string> = {},
  env: Record<string, string> = {},
): string {
  const r = sb.bash(block, { cwd, env });
  const unexpected = r.failures.filter((f) => !Object.keys(allowed).some((a) => f.includes(a)));
  expect(unexpected, `commands of the seed block failed:\n${describeRun(r)}`).toEqual([]);
  return r.stdout;
}

/**
 * `myapp/` as the seed's monorepo section builds it — "Initialize Monorepo", "Feature
 * Development" and "Environment-Specific Configurations" run as written — plus what the later
 * sections assume exists (marked "preparation"): an `origin` (bare), branches `production`
 * (main, the seed's "production-ready", plus a `db:timeout`), `production-sample` (a reduced copy
 * of production's data) and a `db:timeout` on staging (the same as production's, so that the
 * seed's promotion merges cleanly). `main` stays an ancestor of `staging`.
 */
export function buildMonorepo(sb: Sandbox): string {
  const app = sb.path("myapp");
  runSeedBlock(sb, seedBlock("Monorepo Workflow", "Setup", "1. Initialize Monorepo"), sb.root);
  sb.bareRepository("github/myapp.git");
  sb.git(app, "remote", "add", "origin", sb.path("github/myapp.git"));
  sb.git(app, "push", "-q", "-u", "origin", "main");
  runSeedBlock(sb, seedBlock("Monorepo Workflow", "Development Workflow", "Feature Development"), app);
  // After `git-prolly commit`, config/ is committed already (R3): the seed's trailing
  // `git add config/ && git commit` then has nothing to commit, and git says so with exit 1.
  runSeedBlock(sb, seedBlock("Monorepo Workflow", "Development Workflow", "Environment-Specific Configurations"), app, {
    'git commit -m "Update production configuration"': "git: nothing to commit (git-prolly commit committed config/)",
    'git commit -m "Update staging configuration"': "git: nothing to commit (git-prolly commit committed config/)",
  });
  // Preparation for the cross-branch sections (not in the seed).
  runSeedBlock(
    sb,
    `set -e
git checkout -q -b production main
(cd config && git-prolly set db:timeout 5000 && git-prolly commit -m "Production timeout")
git checkout -q -b production-sample
(cd config && git-prolly set db:host prod-sample-db.example.com && git-prolly set db:timeout 2000 \\
  && git-prolly delete features:beta_features && git-prolly commit -m "Production sample")
git checkout -q staging
(cd config && git-prolly set db:timeout 5000 && git-prolly commit -m "Staging timeout")
git checkout -q main
git push -q origin main staging production production-sample feature/user-profiles
`,
    app,
  );
  return app;
}

/** The entries of the dataset at `cwd` (`git-prolly list --values --json`, at `ref` if given). */
export function listEntries(sb: Sandbox, cwd: string, ref?: string): Entries {
  const args = ["list", "--values", "--json", ...(ref === undefined ? [] : ["--ref", ref])];
  const parsed = JSON.parse(sb.prollyOk(args, { cwd })) as { key: string; value: string }[];
  return Object.fromEntries(parsed.map((e) => [e.key, e.value]));
}
