// Seed 000, "Scenario 1: Feature Development", "Scenario 3: Environment Promotion" (merge staging
// into production) and "Scenario 4: Data Migration" (branch, checkout, set, delete, commit,
// merge), run as written in the monorepo.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MONOREPO_CONFIG, buildMonorepo, listEntries, runSeedBlock } from "./support/monorepo.js";
import { Sandbox } from "./support/sandbox.js";
import { seedBlock } from "./support/seed-blocks.js";

describe("seed 000: promotion and migration scenarios", { timeout: 300_000 }, () => {
  let sb: Sandbox;
  let app: string;
  beforeAll(() => {
    sb = Sandbox.create();
    app = buildMonorepo(sb);
  }, 300_000);
  afterAll(() => sb?.dispose());

  it("Scenario 1: feature branch with data changes, tested together, committed together", () => {
    sb.takeAppTestLog();
    // "… make code changes …" is a comment: no code changed, so the final `git commit` has
    // nothing left to commit (git-prolly commit committed config/) and git exits 1.
    const allowed = { 'git commit -m "Implement recommendation engine v2.1"': "git: nothing to commit" };
    runSeedBlock(sb, seedBlock("Common Scenarios", "Scenario 1: Feature Development with Data Changes"), app, allowed, {
      E2E_READ: JSON.stringify({ config: ["ml:model_version", "ml:confidence_threshold"] }),
      E2E_REQUIRE: JSON.stringify({ config: ["ml:model_version", "ml:confidence_threshold"] }),
    });
    const [record] = sb.takeAppTestLog();
    expect(record?.passed).toBe(true);
    expect(record?.codeBranch).toBe("feature/recommendation-engine");
    expect(record?.datasets["config"]).toEqual({ "ml:model_version": "2.1", "ml:confidence_threshold": "0.85" });
    expect(sb.git(app, "log", "-1", "--format=%s", "feature/recommendation-engine")).toBe(
      "Update ML model configuration",
    );
    expect(
      sb
        .git(app, "diff", "--name-only", "main", "feature/recommendation-engine")
        .split("\n")
        .every((p) => p.startsWith("config/")),
    ).toBe(true);
    expect(sb.git(app, "status", "--porcelain")).toBe("");
    sb.git(app, "checkout", "-q", "main");
  });

  it("Scenario 3: staging's data promoted into production; main takes staging; pushed", () => {
    const productionBefore = sb.git(app, "rev-parse", "production");
    const stagingBefore = sb.git(app, "rev-parse", "staging");
    sb.takeAppTestLog();
    runSeedBlock(sb, seedBlock("Common Scenarios", "Scenario 3: Environment Promotion"), app);
    const [record] = sb.takeAppTestLog();
    expect(record?.codeBranch).toBe("staging");
    expect(record?.datasets["config"]?.["db:host"]).toBe("staging-db.example.com");
    // production now has staging's values (and kept its own db:timeout, equal on both sides).
    expect(listEntries(sb, `${app}/config`, "production")).toEqual({ ...MONOREPO_CONFIG.staging });
    expect(sb.git(app, "merge-base", "--is-ancestor", productionBefore, "production").length).toBe(0);
    expect(sb.git(app, "merge-base", "--is-ancestor", stagingBefore, "production").length).toBe(0);
    // The code side: main fast-forwarded to staging and pushed.
    expect(sb.git(app, "rev-parse", "main")).toBe(stagingBefore);
    expect(sb.git(sb.path("github/myapp.git"), "rev-parse", "main")).toBe(stagingBefore);
    // After the plain `git checkout main`, the dataset shows what Git has (R4).
    expect(sb.git(app, "symbolic-ref", "--short", "HEAD")).toBe("main");
    expect(sb.prollyOk(["current-branch"], { cwd: `${app}/config` }).trim()).toBe("main");
    expect(listEntries(sb, `${app}/config`)).toEqual(MONOREPO_CONFIG.staging);
    expect(sb.git(app, "status", "--porcelain")).toBe("");
    sb.git(app, "fsck", "--strict", "--no-dangling");
  });

  it("Scenario 4: the migration branch's changes (set, delete) merged into main", () => {
    // Preparation: the legacy field the migration deletes.
    runSeedBlock(
      sb,
      'set -e\ncd config\ngit-prolly set schema:version "1"\ngit-prolly set schema:legacy_fields "fax,pager"\ngit-prolly commit -m "Legacy schema"\n',
      app,
    );
    const mainBefore = sb.git(app, "rev-parse", "main");
    sb.takeAppTestLog();
    runSeedBlock(
      sb,
      seedBlock("Common Scenarios", "Scenario 4: Data Migration"),
      app,
      {},
      {
        E2E_READ: JSON.stringify({ config: ["schema:version", "schema:user_table", "schema:legacy_fields"] }),
        E2E_REQUIRE: JSON.stringify({ config: ["schema:version", "schema:user_table"] }),
      },
    );
    const [record] = sb.takeAppTestLog();
    expect(record?.args).toEqual(["test", "--test", "migration_tests"]);
    expect(record?.followed["config"]).toBe("migration/v2-schema");
    expect(record?.codeBranch).toBe("main");
    expect(record?.datasets["config"]).toEqual({
      "schema:version": "2",
      "schema:user_table": "id,name,email,created_at,updated_at",
      "schema:legacy_fields": null,
    });
    expect(sb.git(app, "log", "-1", "--format=%s", "migration/v2-schema")).toBe("Migrate to schema v2");
    expect(sb.git(app, "rev-parse", "migration/v2-schema~1")).toBe(mainBefore);
    // Merged: main has the migration (a fast-forward), the working tree follows, nothing pending.
    expect(sb.git(app, "rev-parse", "main")).toBe(sb.git(app, "rev-parse", "migration/v2-schema"));
    const expected = {
      ...MONOREPO_CONFIG.staging,
      "schema:version": "2",
      "schema:user_table": "id,name,email,created_at,updated_at",
    };
    expect(listEntries(sb, `${app}/config`)).toEqual(expected);
    expect(sb.prollyOk(["current-branch"], { cwd: `${app}/config` }).trim()).toBe("main");
    expect(sb.git(app, "status", "--porcelain")).toBe("");
    expect(sb.run("git-prolly", ["get", "schema:legacy_fields"], { cwd: `${app}/config` }).status).toBe(3);
  });

  it("a three-way merge with a key conflict is refused, then settled by --strategy", () => {
    const config = `${app}/config`;
    runSeedBlock(
      sb,
      `set -e
git checkout -q -b tuning
(cd config && git-prolly set cache:ttl 60 && git-prolly set log:level debug && git-prolly commit -m "Tuning")
git checkout -q main
(cd config && git-prolly set cache:ttl 120 && git-prolly set ui:theme dark && git-prolly commit -m "Main settings")
`,
      app,
    );
    const head = sb.git(app, "rev-parse", "HEAD");
    const r = sb.prolly(["merge", "tuning"], { cwd: config });
    expect(r.status).toBe(4);
    expect(r.stdout).toMatch(/cache:ttl[\s\S]*120[\s\S]*60/); // listed with ours and theirs
    expect(r.stderr).toMatch(/^error: .*conflict/m);
    expect(r.stderr).toMatch(/^hint: .*--strategy/m);
    expect(sb.git(app, "rev-parse", "HEAD")).toBe(head);
    expect(sb.git(app, "status", "--porcelain")).toBe("");
    const json = sb.prolly(["merge", "tuning", "--json"], { cwd: config });
    expect(json.status).toBe(4);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain("cache:ttl");
    sb.prollyOk(["merge", "tuning", "--strategy", "theirs"], { cwd: config });
    expect(listEntries(sb, config)).toMatchObject({ "cache:ttl": "60", "log:level": "debug", "ui:theme": "dark" });
    expect(sb.git(app, "rev-list", "--parents", "-1", "HEAD").split(" ")).toHaveLength(3);
    expect(sb.git(app, "status", "--porcelain")).toBe("");
  });
});
