import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, git, ok, repoWithDataset, scratch, useDataset } from "./support/cli.js";

describe("plain git shows data changes (setup-git, textconv)", () => {
  const ds = useDataset("all", async ({ data }) => {
    ok(await cli(data, ["set", "app:name", "MyApp"]));
    ok(await cli(data, ["set", "db:host", "prod-db.example.com"]));
    ok(await cli(data, ["commit", "-m", "Production settings"]));
    ok(await cli(data, ["set", "db:host", "staging-db.example.com"]));
    ok(await cli(data, ["set", "multi", "a\nb"]));
  });

  it("init installed the driver: textconv in .git/config and the attribute in .gitattributes", () => {
    expect(git(ds.repo, ["config", "diff.git-prolly.textconv"])).toMatch(/bin\/run\.js' textconv$/);
    expect(readFileSync(join(ds.repo, ".gitattributes"), "utf8")).toBe(
      "/config/root diff=git-prolly\n/config/root/** diff=git-prolly\n",
    );
    expect(git(ds.repo, ["check-attr", "diff", "config/root"])).toBe("config/root: diff: git-prolly");
  });

  it("git diff --cached prints key = value lines", () => {
    const diff = git(ds.repo, ["diff", "--cached", "--", "config"]);
    expect(diff).toContain("-db:host = prod-db.example.com\n+db:host = staging-db.example.com\n");
    expect(diff).toContain('+multi = "a\\nb"');
    expect(diff).not.toMatch(/Binary files/);
  });

  it("git log -p and git show print the committed changes as key = value lines", () => {
    expect(git(ds.repo, ["log", "-p", "-1", "--format=%s"])).toMatch(
      /^Production settings\n[\s\S]*\+app:name = MyApp\n\+db:host = prod-db.example.com$/,
    );
    expect(git(ds.repo, ["show", "HEAD", "--format="])).toContain("+db:host = prod-db.example.com");
  });

  it("setup-git is idempotent and repairs a fresh clone", async () => {
    expect(JSON.parse(ok(await cli(ds.data, ["setup-git", "--json"]))).added).toEqual([]);
    ok(await cli(ds.data, ["commit", "-m", "staged data"]));
    git(ds.repo, ["add", ".gitattributes"]);
    git(ds.repo, ["commit", "-q", "-m", "attributes"]);
    const clone = join(ds.dir, "clone");
    git(ds.dir, ["clone", "-q", ds.repo, clone]);
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
  it("init in a separate data repository says to commit .gitattributes, and stops saying it once committed", async () => {
    const box = scratch();
    try {
      git(box.dir, ["init", "-q", "-b", "main"]);
      const first = await cli(box.dir, ["init"]);
      expect(first.stdout).toMatch(
        /^Initialized git-prolly dataset \. in .*\nDiff driver attributes in .*\.gitattributes: commit that file too/,
      );
      expect(git(box.dir, ["status", "--porcelain"])).toBe("?? .gitattributes");
      git(box.dir, ["add", ".gitattributes"]);
      git(box.dir, ["commit", "-q", "-m", "attributes"]);
      const again = JSON.parse(ok(await cli(box.dir, ["init", "--json"])));
      expect(again).toMatchObject({ created: false, gitSetup: { added: [], uncommitted: false } });
    } finally {
      box.cleanup();
    }
  });
});
