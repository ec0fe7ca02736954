// Seed 000, "Monorepo Workflow": config/ and user-data/ datasets beside src/ in one repository,
// data commits followed by `git add . && git commit` of everything — the seed's bash blocks run
// as written with git-prolly on the PATH.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MONOREPO_CONFIG, MONOREPO_USER_DATA, buildMonorepo, listEntries } from "./support/monorepo.js";
import { Sandbox } from "./support/sandbox.js";

describe("seed 000: monorepo workflow", { timeout: 240_000 }, () => {
  let sb: Sandbox;
  let app: string;
  beforeAll(() => {
    sb = Sandbox.create();
    app = buildMonorepo(sb);
  }, 240_000);
  afterAll(() => sb?.dispose());

  it("Initialize Monorepo: two datasets and the code in one history, working tree clean", () => {
    // The seed's three commits, in order (git-prolly init may add commits of its own before them).
    const log = sb
      .git(app, "log", "--format=%H %s", "--reverse", "main")
      .split("\n")
      .map((l) => ({ id: l.slice(0, 40), subject: l.slice(41) }));
    const seedCommits = ["Initial app configuration", "Initial user data schema", "Initial project setup"].map((s) =>
      log.find((c) => c.subject === s),
    );
    expect(seedCommits.map((c) => c?.subject)).toEqual([
      "Initial app configuration",
      "Initial user data schema",
      "Initial project setup",
    ]);
    const at = seedCommits.map((c) => log.indexOf(c!));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    // Each data commit holds its own dataset only; the code arrives with `git add . && git commit`.
    const [appConfig, userSchema, projectSetup] = seedCommits.map((c) => c!.id);
    expect(
      sb
        .git(app, "ls-tree", "--name-only", appConfig!)
        .split("\n")
        .filter((n) => n !== ".gitattributes"),
    ).toEqual(["config"]);
    expect(
      sb
        .git(app, "ls-tree", "--name-only", userSchema!)
        .split("\n")
        .filter((n) => n !== ".gitattributes")
        .sort(),
    ).toEqual(["config", "user-data"]);
    expect(sb.git(app, "ls-tree", "--name-only", projectSetup!).split("\n")).toContain("src");
    // …together with the .gitattributes git-prolly init wrote (the diff driver), untracked till then.
    expect(
      sb
        .git(app, "show", "--format=", "--name-only", projectSetup!)
        .split("\n")
        .filter((n) => n !== ".gitattributes"),
    ).toEqual(["src/main.rs"]);
    expect(sb.git(app, "status", "--porcelain")).toBe("");
    sb.git(app, "fsck", "--strict", "--no-dangling");
  });

  it("Feature Development: code and both datasets committed together on the feature branch", () => {
    const feature = "feature/user-profiles";
    const subjects = sb.git(app, "log", "--format=%s", "-3", feature).split("\n");
    expect(subjects).toEqual([
      "Implement user profiles feature",
      "Add user profile schema",
      "Enable user profiles feature",
    ]);
    // The data commits left src/lib.rs out (R3); the final `git add . && git commit` took it.
    expect(sb.git(app, "diff", "--name-only", `${feature}~1`, feature)).toBe("src/lib.rs");
    expect(
      sb
        .git(app, "diff", "--name-only", `${feature}~3`, `${feature}~1`)
        .split("\n")
        .every((p) => p.startsWith("config/") || p.startsWith("user-data/")),
    ).toBe(true);
    expect(listEntries(sb, `${app}/config`, feature)).toEqual(MONOREPO_CONFIG[feature]);
    expect(listEntries(sb, `${app}/user-data`, feature)).toEqual(MONOREPO_USER_DATA[feature]);
  });

  it("Environment-Specific Configurations: main and staging hold their own values", () => {
    for (const branch of ["main", "staging", "production", "production-sample"] as const) {
      expect(listEntries(sb, `${app}/config`, branch), branch).toEqual(MONOREPO_CONFIG[branch]);
      expect(listEntries(sb, `${app}/user-data`, branch), branch).toEqual(MONOREPO_USER_DATA[branch]);
    }
    // The checked-out branch reads without --ref, from any directory inside the dataset.
    expect(sb.git(app, "symbolic-ref", "--short", "HEAD")).toBe("main");
    expect(sb.prollyOk(["get", "db:host"], { cwd: `${app}/config` }).trim()).toBe("prod-db.example.com");
    expect(sb.prollyOk(["current-branch"], { cwd: `${app}/config` }).trim()).toBe("main");
  });

  it("Using Multiple KV Stores: the app reads both datasets (the seed's main.rs, as the app test)", () => {
    sb.takeAppTestLog();
    const r = sb.run("cargo", ["test"], {
      cwd: app,
      env: { E2E_READ: JSON.stringify({ config: ["app:name", "db:host"], "user-data": ["schema:user_profile"] }) },
    });
    expect(r.status, r.stderr).toBe(0);
    const [record] = sb.takeAppTestLog();
    expect(record?.datasets).toEqual({
      config: { "app:name": "MyApp", "db:host": "prod-db.example.com" },
      "user-data": { "schema:user_profile": null },
    });
  });

  it("plain git sees an ordinary repository: status clean, fsck, gc, push", () => {
    sb.git(app, "gc", "-q", "--prune=now");
    sb.git(app, "fsck", "--strict", "--no-dangling");
    expect(sb.git(app, "status", "--porcelain")).toBe("");
    expect(listEntries(sb, `${app}/config`)).toEqual(MONOREPO_CONFIG.main);
    const remote = sb
      .git(sb.path("github/myapp.git"), "for-each-ref", "--format=%(refname:short)", "refs/heads")
      .split("\n")
      .sort();
    expect(remote).toEqual(["feature/user-profiles", "main", "production", "production-sample", "staging"]);
  });
});
