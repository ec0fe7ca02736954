// Seed 000, "Advanced Debugging Techniques": the data of config/ checked out at a commit id and
// at a tag while the code stays; `diff` between branches and between commits, with the
// `--format=json` document parsed. The seed's placeholders `abc123def`, `def456abc` and `v1.2.3`
// become a real commit id, another one and a tag; the blocks are otherwise run as written.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MONOREPO_CONFIG, buildMonorepo, listEntries, runSeedBlock } from "./support/monorepo.js";
import { Sandbox } from "./support/sandbox.js";
import { seedBlock } from "./support/seed-blocks.js";

/** The document of `git-prolly diff --format=json` (and `diff --json`). */
interface DiffDocument {
  from: string;
  to: string;
  changes: { key: string; change: "added" | "modified" | "deleted"; before: string | null; after: string | null }[];
}

describe("seed 000: historical data and data diff analysis", { timeout: 300_000 }, () => {
  let sb: Sandbox;
  let app: string;
  let initialConfig: string; // "Initial app configuration"
  let productionSettings: string; // "Production settings", tagged v1.2.3
  const READ = JSON.stringify({ config: ["app:name", "db:host", "features:beta_features"] });
  const substitute = (text: string) =>
    text.replaceAll("abc123def", initialConfig.slice(0, 9)).replaceAll("def456abc", productionSettings.slice(0, 9));

  beforeAll(() => {
    sb = Sandbox.create();
    app = buildMonorepo(sb);
    const bySubject = (s: string) => sb.git(app, "log", "-1", "--format=%H", "--fixed-strings", `--grep=${s}`, "main");
    initialConfig = bySubject("Initial app configuration");
    productionSettings = bySubject("Production settings");
    sb.git(app, "tag", "-a", "v1.2.3", "-m", "Release 1.2.3", productionSettings);
    sb.write("myapp/src/wip.rs", "// uncommitted work\n");
  }, 300_000);
  afterAll(() => sb?.dispose());

  it("1. Historical Data Testing: the app's tests read the data of a commit id, then of a tag", () => {
    const head = sb.git(app, "rev-parse", "HEAD");
    sb.takeAppTestLog();
    runSeedBlock(
      sb,
      substitute(seedBlock("Advanced Debugging Techniques", "1. Historical Data Testing")),
      app,
      {},
      { E2E_READ: READ },
    );
    const records = sb.takeAppTestLog();
    expect(records.map((x) => x.datasets["config"])).toEqual([
      { "app:name": "MyApp", "db:host": null, "features:beta_features": null },
      { "app:name": "MyApp", "db:host": "prod-db.example.com", "features:beta_features": "false" },
    ]);
    expect(records.map((x) => x.codeBranch)).toEqual(["main", "main"]);
    expect(records.every((x) => x.src["wip.rs"] === "// uncommitted work\n")).toBe(true);
    expect(sb.git(app, "rev-parse", "HEAD")).toBe(head);
    expect(sb.prollyOk(["current-branch"], { cwd: `${app}/config` })).toContain("v1.2.3");
  });

  it("following a tag is read-only: set fails with a hint to checkout -b, nothing written", () => {
    const config = `${app}/config`;
    const before = sb.git(app, "status", "--porcelain");
    const refs = sb.git(app, "for-each-ref");
    const r = sb.prolly(["set", "db:host", "hacked"], { cwd: config });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^error: .*v1\.2\.3|^error: .*(read-only|tag)/m);
    expect(r.stderr).toMatch(/^hint: .*checkout -b/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(sb.git(app, "status", "--porcelain")).toBe(before);
    expect(sb.git(app, "for-each-ref")).toBe(refs);
    // checkout -b from there makes a writable branch at the tag's data.
    sb.prollyOk(["checkout", "-b", "hotfix/from-1.2.3"], { cwd: config });
    sb.prollyOk(["set", "db:host", "fixed-db.example.com"], { cwd: config });
    sb.prollyOk(["commit", "-m", "Fix the host of 1.2.3"], { cwd: config });
    expect(sb.git(app, "rev-parse", "hotfix/from-1.2.3~1")).toBe(productionSettings);
    expect(sb.prollyOk(["get", "db:host", "--ref", "hotfix/from-1.2.3"], { cwd: config }).trim()).toBe(
      "fixed-db.example.com",
    );
    sb.prollyOk(["checkout", "main"], { cwd: config });
    expect(sb.prollyOk(["current-branch"], { cwd: config }).trim()).toBe("main");
    expect(listEntries(sb, config)).toEqual(MONOREPO_CONFIG.main);
    expect(sb.git(app, "status", "--porcelain")).toBe("?? src/wip.rs");
  });

  it("2. Data Diff Analysis: between branches and commits, human and JSON output", () => {
    const config = `${app}/config`;
    const out = runSeedBlock(
      sb,
      substitute(seedBlock("Advanced Debugging Techniques", "2. Data Diff Analysis")),
      config,
    );
    // Human output names each changed key with its values.
    expect(out).toMatch(/db:host/);
    expect(out).toMatch(/staging-db\.example\.com/);
    const doc = JSON.parse(readFileSync(join(config, "data_diff.json"), "utf8")) as DiffDocument;
    expect(doc.from).toBe("production");
    expect(doc.to).toBe("staging");
    expect(doc.changes).toEqual([
      { key: "db:host", change: "modified", before: "prod-db.example.com", after: "staging-db.example.com" },
      { key: "features:beta_features", change: "modified", before: "false", after: "true" },
    ]);
  });

  it("diff --format=json between commits, and with --prefix, sorted by key", () => {
    const config = `${app}/config`;
    const between = JSON.parse(
      sb.prollyOk(["diff", initialConfig.slice(0, 9), productionSettings.slice(0, 9), "--format=json"], {
        cwd: config,
      }),
    ) as DiffDocument;
    expect(between.changes).toEqual([
      { key: "db:host", change: "added", before: null, after: "prod-db.example.com" },
      { key: "features:beta_features", change: "added", before: null, after: "false" },
    ]);
    const sample = JSON.parse(
      sb.prollyOk(["diff", "production", "production-sample", "--format=json"], { cwd: config }),
    ) as DiffDocument;
    expect(sample.changes.map((c) => c.key)).toEqual(["db:host", "db:timeout", "features:beta_features"]);
    expect(sample.changes.map((c) => c.change)).toEqual(["modified", "modified", "deleted"]);
    const prefixed = JSON.parse(
      sb.prollyOk(["diff", "production", "production-sample", "--format=json", "--prefix", "db:"], { cwd: config }),
    ) as DiffDocument;
    expect(prefixed.changes.map((c) => c.key)).toEqual(["db:host", "db:timeout"]);
    // --json prints the same document.
    const viaJson = JSON.parse(
      sb.prollyOk(["diff", "production", "production-sample", "--json"], { cwd: config }),
    ) as DiffDocument;
    expect(viaJson).toEqual(sample);
  });

  it("diff --format=json keeps keys and values with quotes, newlines and non-ASCII", () => {
    const config = `${app}/config`;
    sb.prollyOk(["checkout", "-b", "odd-values"], { cwd: config });
    const odd = { 'say:"hi"': 'line one\nline "two"', "city:zürich": "Zürich — 東京 🚀" };
    for (const [k, v] of Object.entries(odd)) sb.prollyOk(["set", k, v], { cwd: config });
    sb.prollyOk(["commit", "-m", "Odd values"], { cwd: config });
    const doc = JSON.parse(
      sb.prollyOk(["diff", "main", "odd-values", "--format=json"], { cwd: config }),
    ) as DiffDocument;
    expect(doc.changes).toEqual(
      Object.entries(odd)
        .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
        .map(([key, after]) => ({ key, change: "added", before: null, after })),
    );
    for (const [k, v] of Object.entries(odd)) expect(sb.prollyOk(["get", k], { cwd: config })).toBe(`${v}\n`);
    sb.prollyOk(["checkout", "main"], { cwd: config });
  });
});
