import { describe, expect, it } from "vitest";
import { cli, git, ok, useDataset } from "./support/cli.js";

describe("branches, checkout, merge, revert, diff", () => {
  const ds = useDataset("each", async ({ data }) => {
    ok(await cli(data, ["set", "db:host", "base"]));
    ok(await cli(data, ["set", "cache:ttl", "60"]));
    ok(await cli(data, ["commit", "-m", "base"]));
  });

  it("branch lists, creates and deletes; checkout and current-branch follow", async () => {
    expect(ok(await cli(ds.data, ["branch", "migration/v2-schema"]))).toMatch(
      /^Created branch migration\/v2-schema at [0-9a-f]{7}\n$/,
    );
    expect(ok(await cli(ds.data, ["checkout", "migration/v2-schema"]))).toBe(
      "Switched to migration/v2-schema: dataset config follows migration/v2-schema; repository on main\n",
    );
    expect(ok(await cli(ds.data, ["current-branch"]))).toBe("migration/v2-schema\n");
    const list = JSON.parse(ok(await cli(ds.data, ["branch", "--json"])));
    expect(list.map((b: { name: string; current: boolean }) => [b.name, b.current])).toEqual([
      ["main", false],
      ["migration/v2-schema", true],
    ]);
    expect(ok(await cli(ds.data, ["checkout", "-b", "feature/x"]))).toBe(
      "Created and switched to feature/x: dataset config follows feature/x; repository on main\n",
    );
    ok(await cli(ds.data, ["checkout", "main"]));
    expect(ok(await cli(ds.data, ["branch", "-d", "feature/x"]))).toBe("Deleted branch feature/x\n");
    const exists = await cli(ds.data, ["branch", "migration/v2-schema"]);
    expect(exists.code).toBe(4);
    const current = await cli(ds.data, ["branch", "-d", "main"]);
    expect(current.code).toBe(4);
    const gone = await cli(ds.data, ["branch", "-d", "nope"]);
    expect(gone.code).toBe(3);
  });

  it("checkout of a tag or commit is read-only; current-branch prints it so the seed's restore works", async () => {
    const first = git(ds.repo, ["rev-parse", "HEAD"]);
    ok(await cli(ds.data, ["set", "db:host", "later"]));
    ok(await cli(ds.data, ["commit", "-m", "later"]));
    git(ds.repo, ["tag", "v1.2.3", first]);
    expect(ok(await cli(ds.data, ["checkout", "v1.2.3"]))).toBe(
      "Switched to v1.2.3: dataset config follows tag v1.2.3 (read-only); repository on main\n",
    );
    expect(ok(await cli(ds.data, ["get", "db:host"]))).toBe("base\n");
    expect(ok(await cli(ds.data, ["current-branch"]))).toBe("v1.2.3\n");
    ok(await cli(ds.data, ["checkout", first]));
    expect(ok(await cli(ds.data, ["current-branch"]))).toBe(`${first}\n`);
    expect(ok(await cli(ds.data, ["get", "db:host"]))).toBe("base\n");
    ok(await cli(ds.data, ["checkout", "main"]));
    expect(ok(await cli(ds.data, ["get", "db:host"]))).toBe("later\n");
  });

  it("checkout refuses uncommitted changes (exit 7) unless --force", async () => {
    ok(await cli(ds.data, ["branch", "other"]));
    ok(await cli(ds.data, ["set", "db:host", "dirty"]));
    const r = await cli(ds.data, ["checkout", "other"]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^error: cannot .*uncommitted changes\nhint: /);
    expect(ok(await cli(ds.data, ["current-branch"]))).toBe("main\n");
    ok(await cli(ds.data, ["checkout", "other", "--force"]));
    expect(ok(await cli(ds.data, ["get", "db:host"]))).toBe("base\n");
  });

  it("merge lists conflicts key by key with base/ours/theirs, writes nothing and exits 4; --strategy settles them", async () => {
    ok(await cli(ds.data, ["checkout", "-b", "staging"]));
    ok(await cli(ds.data, ["set", "db:host", "staging-db"]));
    ok(await cli(ds.data, ["set", "only:staging", "s"]));
    ok(await cli(ds.data, ["commit", "-m", "staging"]));
    ok(await cli(ds.data, ["checkout", "main"]));
    ok(await cli(ds.data, ["set", "db:host", "prod-db"]));
    ok(await cli(ds.data, ["commit", "-m", "prod"]));
    const head = git(ds.repo, ["rev-parse", "HEAD"]);
    const r = await cli(ds.data, ["merge", "staging"]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe(
      "CONFLICT (modify/modify): db:host\n  base:   base\n  ours:   prod-db\n  theirs: staging-db\n",
    );
    expect(r.stderr).toMatch(
      /^error: merge of staging stopped: 1 conflicting key; nothing was written\nhint: .*--strategy ours\|theirs/,
    );
    expect(git(ds.repo, ["rev-parse", "HEAD"])).toBe(head);
    expect(ok(await cli(ds.data, ["status", "--json"]))).toContain('"changes": []');
    const json = await cli(ds.data, ["merge", "staging", "--json"]);
    expect(JSON.parse(json.stdout).error.data.conflicts).toEqual([
      { key: "db:host", kind: "modify/modify", base: "base", ours: "prod-db", theirs: "staging-db" },
    ]);
    expect(ok(await cli(ds.data, ["merge", "staging", "--strategy", "ours"]))).toMatch(
      /^Merged staging: [0-9a-f]{7}\n1 conflicting key settled with --strategy ours\n$/,
    );
    expect(ok(await cli(ds.data, ["get", "db:host"]))).toBe("prod-db\n");
    expect(ok(await cli(ds.data, ["get", "only:staging"]))).toBe("s\n");
    expect(git(ds.repo, ["rev-list", "--parents", "-1", "HEAD"]).split(" ")).toHaveLength(3);
    expect(ok(await cli(ds.data, ["merge", "staging"]))).toBe("Already up to date.\n");
  });

  it("merge fast-forwards and --strategy theirs takes their side", async () => {
    ok(await cli(ds.data, ["checkout", "-b", "feature"]));
    ok(await cli(ds.data, ["set", "a", "1"]));
    ok(await cli(ds.data, ["commit", "-m", "a"]));
    ok(await cli(ds.data, ["checkout", "main"]));
    expect(ok(await cli(ds.data, ["merge", "feature"]))).toMatch(/^Fast-forward to [0-9a-f]{7}\n$/);
    ok(await cli(ds.data, ["checkout", "-b", "t"]));
    ok(await cli(ds.data, ["set", "cache:ttl", "300"]));
    ok(await cli(ds.data, ["commit", "-m", "t"]));
    ok(await cli(ds.data, ["checkout", "main"]));
    ok(await cli(ds.data, ["set", "cache:ttl", "3600"]));
    ok(await cli(ds.data, ["commit", "-m", "m"]));
    const merged = JSON.parse(ok(await cli(ds.data, ["merge", "t", "--strategy", "theirs", "--json"])));
    expect(merged.status).toBe("merged");
    expect(merged.resolved).toEqual([
      { key: "cache:ttl", kind: "modify/modify", base: "60", ours: "3600", theirs: "300" },
    ]);
    expect(ok(await cli(ds.data, ["get", "cache:ttl"]))).toBe("300\n");
  });

  it("diff prints compact, detailed and json (sorted by key), with --prefix", async () => {
    ok(await cli(ds.data, ["checkout", "-b", "staging"]));
    ok(await cli(ds.data, ["set", "db:host", "staging-db"]));
    ok(await cli(ds.data, ["set", "a:new", "x"]));
    ok(await cli(ds.data, ["delete", "cache:ttl"]));
    ok(await cli(ds.data, ["commit", "-m", "s"]));
    expect(ok(await cli(ds.data, ["diff", "main", "staging"]))).toBe(
      "+ a:new = x\n- cache:ttl = 60\n~ db:host = staging-db (was base)\n",
    );
    expect(ok(await cli(ds.data, ["diff", "main", "staging", "--format", "detailed"]))).toBe(
      "added a:new\n  + x\ndeleted cache:ttl\n  - 60\nmodified db:host\n  - base\n  + staging-db\n3 keys changed: 1 added, 1 modified, 1 deleted\n",
    );
    const json = JSON.parse(ok(await cli(ds.data, ["diff", "main", "staging", "--format=json"])));
    expect(json.changes.map((c: { key: string }) => c.key)).toEqual(["a:new", "cache:ttl", "db:host"]);
    expect(json.changes[2]).toEqual({ key: "db:host", change: "modified", before: "base", after: "staging-db" });
    expect(JSON.parse(ok(await cli(ds.data, ["diff", "main", "staging", "--json"])))).toEqual(json);
    expect(ok(await cli(ds.data, ["diff", "main", "staging", "--prefix", "db:"]))).toBe(
      "~ db:host = staging-db (was base)\n",
    );
    ok(await cli(ds.data, ["set", "z", "staged"]));
    expect(ok(await cli(ds.data, ["diff", "HEAD"]))).toBe("+ z = staged\n");
  });

  it("revert undoes a commit's dataset changes with a new commit", async () => {
    ok(await cli(ds.data, ["set", "db:host", "broken"]));
    ok(await cli(ds.data, ["commit", "-m", "break it"]));
    expect(ok(await cli(ds.data, ["revert", "HEAD"]))).toMatch(/^Reverted HEAD: [0-9a-f]{7}\n$/);
    expect(ok(await cli(ds.data, ["get", "db:host"]))).toBe("base\n");
    expect(git(ds.repo, ["log", "-1", "--format=%s"])).toBe('Revert "break it"');
  });
});
