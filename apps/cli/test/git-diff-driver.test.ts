import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, git, ok, repoWithDataset, scratch } from "./support/cli.js";

describe("plain git shows data changes (setup-git, textconv)", () => {
  const root = scratch();
  let data: string;
  let repo: string;
  beforeAll(async () => {
    ({ data, repo } = await repoWithDataset(root.dir));
    ok(await cli(data, ["set", "app:name", "MyApp"]));
    ok(await cli(data, ["set", "db:host", "prod-db.example.com"]));
    ok(await cli(data, ["commit", "-m", "Production settings"]));
    ok(await cli(data, ["set", "db:host", "staging-db.example.com"]));
    ok(await cli(data, ["set", "multi", "a\nb"]));
  });
  afterAll(() => root.cleanup());

  it("init installed the driver: textconv in .git/config and the attribute in .gitattributes", () => {
    expect(git(repo, ["config", "diff.git-prolly.textconv"])).toMatch(/bin\/run\.js' textconv$/);
    expect(readFileSync(join(repo, ".gitattributes"), "utf8")).toBe(
      "/config/root diff=git-prolly\n/config/root/** diff=git-prolly\n",
    );
    expect(git(repo, ["check-attr", "diff", "config/root"])).toBe("config/root: diff: git-prolly");
  });

  it("git diff --cached prints key = value lines", () => {
    const diff = git(repo, ["diff", "--cached", "--", "config"]);
    expect(diff).toContain("-db:host = prod-db.example.com\n+db:host = staging-db.example.com\n");
    expect(diff).toContain('+multi = "a\\nb"');
    expect(diff).not.toMatch(/Binary files/);
  });

  it("git log -p and git show print the committed changes as key = value lines", () => {
    expect(git(repo, ["log", "-p", "-1", "--format=%s"])).toMatch(
      /^Production settings\n[\s\S]*\+app:name = MyApp\n\+db:host = prod-db.example.com$/,
    );
    expect(git(repo, ["show", "HEAD", "--format="])).toContain("+db:host = prod-db.example.com");
  });

  it("setup-git is idempotent and repairs a fresh clone", async () => {
    expect(JSON.parse(ok(await cli(data, ["setup-git", "--json"]))).added).toEqual([]);
    ok(await cli(data, ["commit", "-m", "staged data"]));
    git(repo, ["add", ".gitattributes"]);
    git(repo, ["commit", "-q", "-m", "attributes"]);
    const clone = join(root.dir, "clone");
    git(root.dir, ["clone", "-q", repo, clone]);
    expect(git(clone, ["log", "-p", "-1", "--format=", "HEAD~1"])).not.toContain("db:host = staging");
    ok(await cli(join(clone, "config"), ["setup-git"]));
    expect(git(clone, ["log", "-p", "-1", "--format=", "HEAD~1"])).toContain("+db:host = staging-db.example.com");
  });

  it("a dataset with many leaves shows only the changed key, not node-file noise", async () => {
    const big = scratch();
    try {
      const { data: d2, repo: r2 } = await repoWithDataset(big.dir);
      const input = Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({ key: `k${String(i).padStart(5, "0")}`, value: `v${i}` }),
      ).join("\n");
      ok(await cli(d2, ["import", "-", "--format", "ndjson"], { input }));
      ok(await cli(d2, ["commit", "-m", "bulk"]));
      ok(await cli(d2, ["set", "k01500", "changed"]));
      ok(await cli(d2, ["commit", "-m", "one key"]));
      const patch = git(r2, ["log", "-p", "-1", "--format="]);
      const changed = patch.split("\n").filter((l) => /^[+-][^+-]/.test(l));
      expect(changed).toEqual(["-k01500 = v1500", "+k01500 = changed"]);
    } finally {
      big.cleanup();
    }
  });
});
