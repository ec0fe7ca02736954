// Seed 000, "Separate Repository Workflow": a data repository (created in a bare clone, as the
// seed does) used as a submodule of an app repository; a feature branch, environment branches
// production/staging with their own values, and deployment commits in the app repository that
// point at the right data commit. The seed's bash blocks run as written, with the GitHub URL
// replaced by a local bare repository.
import { symlinkSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Entries, listEntries, runSeedBlock } from "./support/monorepo.js";
import { Sandbox } from "./support/sandbox.js";
import { seedBlock } from "./support/seed-blocks.js";

const SEED_URL = "https://github.com/myteam/kv-data.git";
const MAIN: Entries = { "config:app:name": "MyApp", "config:app:version": "1.0.0" };
const DATA: Record<string, Entries> = {
  main: MAIN,
  "feature/new-ui-config": { ...MAIN, "ui:layout": "grid", "ui:theme": "material" },
  production: { ...MAIN, "cache:ttl": "3600", "db:host": "prod-db.example.com" },
  staging: { ...MAIN, "cache:ttl": "300", "db:host": "staging-db.example.com" },
};

describe("seed 000: separate repository workflow", { timeout: 300_000 }, () => {
  let sb: Sandbox;
  let origin: string;
  let app: string;
  let block: (...path: string[]) => string;
  beforeAll(() => {
    sb = Sandbox.create();
    origin = sb.bareRepository("github/kv-data.git", { "README.md": "# kv-data\n\nThe team's key-value data.\n" });
    block = (...path) => seedBlock(...path).replaceAll(SEED_URL, origin);
    app = sb.path("myapp");
  }, 60_000);
  afterAll(() => sb?.dispose());

  it("1. Create KV Data Repository, in a bare clone as written, and push it", () => {
    // Git names a bare clone `kv-data.git`; the seed then says `cd kv-data`. A symlink prepared
    // beside it lets that line run as written.
    symlinkSync("kv-data.git", sb.path("kv-data"));
    const out = runSeedBlock(
      sb,
      block("Separate Repository Workflow", "Setup", "1. Create KV Data Repository"),
      sb.root,
    );
    expect(out).toContain("Initial configuration");
    // The bare clone is a dataset at the root; origin got the commit on top of the README.
    expect(sb.git(origin, "log", "--format=%s", "main").split("\n")[0]).toBe("Initial configuration");
    expect(sb.git(origin, "ls-tree", "--name-only", "main").split("\n")).toContain("README.md");
    expect(listEntries(sb, origin, "main")).toEqual(MAIN);
    expect(sb.prollyOk(["-C", origin, "get", "config:app:version"]).trim()).toBe("1.0.0");
    sb.git(origin, "fsck", "--strict", "--no-dangling");
    // Preparation (not in the seed, which assumes they exist): the environment branches.
    runSeedBlock(
      sb,
      "set -e\ncd kv-data.git\ngit-prolly branch production\ngit-prolly branch staging\ngit push -q origin production staging\n",
      sb.root,
    );
  });

  it("2. Add KV Data as Submodule: the app reads the data through its checkout", () => {
    sb.bareRepository("github/myapp.git");
    sb.write("myapp/src/main.rs", 'fn main() { println!("Hello World"); }\n');
    sb.write("myapp/Cargo.toml", '[package]\nname = "myapp"\nversion = "0.1.0"\n');
    sb.git(sb.root, "init", "-q", app);
    sb.git(app, "add", ".");
    sb.git(app, "commit", "-q", "-m", "App");
    sb.git(app, "remote", "add", "origin", sb.path("github/myapp.git"));
    sb.git(app, "push", "-q", "-u", "origin", "main");
    runSeedBlock(sb, block("Separate Repository Workflow", "Setup", "2. Add KV Data as Submodule"), app);
    expect(sb.git(app, "log", "-1", "--format=%s")).toBe("Add KV data submodule");
    expect(sb.git(app, "config", "-f", ".gitmodules", "submodule.data.url")).toBe(origin);
    expect(gitlink("HEAD")).toBe(sb.git(origin, "rev-parse", "main"));
    expect(sb.prollyOk(["get", "config:app:name"], { cwd: `${app}/data` }).trim()).toBe("MyApp");
    expect(listEntries(sb, `${app}/data`)).toEqual(MAIN);
    // Preparation: the app's staging branch, which the seed's deployment checks out.
    sb.git(app, "branch", "staging");
  });

  function gitlink(rev: string): string {
    return sb.git(app, "rev-parse", `${rev}:data`);
  }

  it("Feature Development: a data branch pushed, the app's feature branch points at it", () => {
    runSeedBlock(sb, block("Separate Repository Workflow", "Development Workflow", "Feature Development"), app);
    const dataCommit = sb.git(`${app}/data`, "rev-parse", "feature/new-ui-config");
    expect(sb.git(origin, "rev-parse", "feature/new-ui-config")).toBe(dataCommit);
    expect(gitlink("feature/new-ui")).toBe(dataCommit);
    expect(sb.git(app, "log", "-1", "--format=%s", "feature/new-ui")).toBe("Update KV data for new UI feature");
    expect(listEntries(sb, origin, "feature/new-ui-config")).toEqual(DATA["feature/new-ui-config"]);
    expect(listEntries(sb, `${app}/data`)).toEqual(DATA["feature/new-ui-config"]);
    expect(sb.git(`${app}/data`, "status", "--porcelain")).toBe("");
  });

  it("Environment-Specific Branches: production and staging hold their own values", () => {
    runSeedBlock(
      sb,
      block("Separate Repository Workflow", "Development Workflow", "Environment-Specific Branches"),
      app,
    );
    const data = `${app}/data`;
    for (const branch of ["production", "staging", "feature/new-ui-config", "main"]) {
      expect(listEntries(sb, data, branch), branch).toEqual(DATA[branch]);
    }
    expect(sb.git(data, "log", "-1", "--format=%s", "production")).toBe("Production configuration");
    expect(sb.git(data, "log", "-1", "--format=%s", "staging")).toBe("Staging configuration");
    expect(sb.prollyOk(["current-branch"], { cwd: data }).trim()).toBe("staging");
  });

  it("Deployment: main and staging of the app point at the production and staging data commits", () => {
    runSeedBlock(sb, block("Separate Repository Workflow", "Deployment"), app);
    const data = `${app}/data`;
    const production = sb.git(data, "rev-parse", "production");
    const staging = sb.git(data, "rev-parse", "staging");
    expect(gitlink("main")).toBe(production);
    expect(gitlink("staging")).toBe(staging);
    expect(sb.git(app, "log", "-1", "--format=%s", "main")).toBe("Deploy with production configuration");
    expect(sb.git(app, "log", "-1", "--format=%s", "staging")).toBe("Deploy with staging configuration");
    const appOrigin = sb.path("github/myapp.git");
    expect(sb.git(appOrigin, "rev-parse", "main:data")).toBe(production);
    expect(sb.git(appOrigin, "rev-parse", "staging:data")).toBe(staging);
    // The app's test reads the data the deployment points at.
    sb.takeAppTestLog();
    sb.ok("cargo", ["test"], { cwd: app });
    const [record] = sb.takeAppTestLog();
    expect(record?.codeBranch).toBe("staging");
    expect(record?.datasets["data"]).toMatchObject({
      "config:app:name": "MyApp",
      "db:host": "staging-db.example.com",
      "cache:ttl": "300",
    });
  });

  it("a fresh clone of the app, with its submodule, reads the deployed data of each branch", () => {
    // The seed commits the environment data without pushing it; deployments need it on origin.
    sb.git(`${app}/data`, "push", "-q", "origin", "production", "staging");
    const fresh = sb.path("fresh-app");
    sb.ok("git", ["clone", "-q", "--recurse-submodules", sb.path("github/myapp.git"), fresh]);
    expect(listEntries(sb, `${fresh}/data`)).toEqual(DATA["production"]);
    sb.takeAppTestLog();
    sb.ok("cargo", ["test"], { cwd: fresh });
    sb.git(fresh, "checkout", "-q", "staging");
    sb.git(fresh, "submodule", "update", "-q");
    expect(listEntries(sb, `${fresh}/data`)).toEqual(DATA["staging"]);
    sb.ok("cargo", ["test"], { cwd: fresh });
    const records = sb.takeAppTestLog();
    expect(records.map((x) => x.datasets["data"]?.["db:host"])).toEqual([
      "prod-db.example.com",
      "staging-db.example.com",
    ]);
  });

  it("a fresh git clone of the data repository reads every value on every branch", () => {
    const fresh = sb.path("fresh-data");
    sb.ok("git", ["clone", "-q", origin, fresh]);
    sb.git(fresh, "gc", "-q", "--prune=now", "--aggressive");
    sb.git(fresh, "fsck", "--strict", "--no-dangling");
    const branches = sb.git(origin, "for-each-ref", "--format=%(refname:short)", "refs/heads").split("\n").sort();
    expect(branches).toEqual(Object.keys(DATA).sort());
    for (const branch of branches) {
      expect(listEntries(sb, fresh, `origin/${branch}`), `--ref origin/${branch}`).toEqual(DATA[branch]);
      sb.git(fresh, "checkout", "-q", branch);
      expect(listEntries(sb, fresh), branch).toEqual(DATA[branch]);
      for (const [key, value] of Object.entries(DATA[branch]!)) {
        expect(sb.prollyOk(["get", key], { cwd: fresh }), `${branch} ${key}`).toBe(`${value}\n`);
      }
    }
  });
});
