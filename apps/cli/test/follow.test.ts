import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, git, ok, useDataset } from "./support/cli.js";

describe("monorepo: the data switches, the code stays (checkout in a sub-directory dataset)", () => {
  const ds = useDataset("all", async ({ data, repo }) => {
    ok(await cli(data, ["set", "db:host", "main-db"]));
    ok(await cli(data, ["commit", "-m", "main data"]));
    git(repo, ["add", "."]);
    git(repo, ["commit", "-q", "-m", "app"]);
    git(repo, ["branch", "production"]);
    git(repo, ["checkout", "-q", "production"]);
    ok(await cli(data, ["set", "db:host", "prod-db"]));
    ok(await cli(data, ["commit", "-m", "prod data"]));
    git(repo, ["checkout", "-q", "main"]);
    git(repo, ["checkout", "-q", "-b", "hotfix/x"]);
    writeFileSync(join(repo, "fix.rs"), "uncommitted code\n");
  });

  it("checkout switches only the dataset; status and current-branch say what it follows; commit goes onto that branch", async () => {
    const original = ok(await cli(ds.data, ["current-branch"])).trim();
    expect(original).toBe("hotfix/x");
    expect(ok(await cli(ds.data, ["checkout", "production"]))).toBe(
      "Switched to production: dataset config follows production; repository on hotfix/x\n",
    );
    expect(git(ds.repo, ["branch", "--show-current"])).toBe("hotfix/x");
    expect(readFileSync(join(ds.repo, "fix.rs"), "utf8")).toBe("uncommitted code\n");
    expect(ok(await cli(ds.data, ["get", "db:host"]))).toBe("prod-db\n");
    expect(ok(await cli(ds.data, ["status"]))).toBe(
      "dataset config follows production; repository on hotfix/x\nnothing to commit, dataset clean\n",
    );
    expect(ok(await cli(ds.data, ["current-branch"]))).toBe("production\n");
    const status = JSON.parse(ok(await cli(ds.data, ["status", "--json"])));
    expect(status.following).toMatchObject({
      kind: "branch",
      ref: "production",
      repositoryBranch: "hotfix/x",
      readOnly: false,
    });
    const hotfixHead = git(ds.repo, ["rev-parse", "HEAD"]);
    ok(await cli(ds.data, ["set", "cache:ttl", "3600"]));
    expect(ok(await cli(ds.data, ["commit", "-m", "prod ttl"]))).toMatch(/^\[production [0-9a-f]{7}\] prod ttl\n$/);
    expect(git(ds.repo, ["rev-parse", "HEAD"])).toBe(hotfixHead);
    expect(git(ds.repo, ["log", "-1", "--format=%s", "production"])).toBe("prod ttl");
    expect(ok(await cli(ds.data, ["checkout", original]))).toBe(
      "Switched to hotfix/x: dataset config on branch hotfix/x\n",
    );
    expect(ok(await cli(ds.data, ["get", "db:host"]))).toBe("main-db\n");
  });

  it("a tag is followed read-only: set exits 4 with a hint to checkout -b", async () => {
    git(ds.repo, ["tag", "v1.2.3", "production"]);
    expect(ok(await cli(ds.data, ["checkout", "v1.2.3"]))).toContain(
      "follows tag v1.2.3 (read-only); repository on hotfix/x",
    );
    const r = await cli(ds.data, ["set", "k", "v"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error: .*read-only\nhint: .*checkout -b/);
    expect(ok(await cli(ds.data, ["current-branch"]))).toBe("v1.2.3\n");
    ok(await cli(ds.data, ["checkout", "hotfix/x"]));
  });
});
