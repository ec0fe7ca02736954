// Plain Git with git-prolly data: `git diff`, `git log -p` and `git show` print data changes as
// `key = value` lines after `git-prolly init` (and `git-prolly setup-git` in a fresh clone); a
// fresh `git clone` of a monorepo pushed to a bare origin reads every value on every branch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Entries, listEntries, runSeedBlock } from "./support/monorepo.js";
import { Sandbox } from "./support/sandbox.js";

describe("plain git sees data as key = value lines; clones carry everything", { timeout: 300_000 }, () => {
  let sb: Sandbox;
  let app: string;
  beforeAll(() => {
    sb = Sandbox.create();
    app = sb.path("myapp");
    sb.bareRepository("github/myapp.git");
    const users = Array.from({ length: 3000 }, (_, n) =>
      JSON.stringify({ key: `user:${1000 + n}`, value: JSON.stringify({ id: 1000 + n }) }),
    );
    sb.write("users.ndjson", `${users.join("\n")}\n`);
    runSeedBlock(
      sb,
      `set -e
mkdir myapp && cd myapp && git init -q
git remote add origin ../github/myapp.git
mkdir config && cd config
git-prolly init
git-prolly set app:name "MyApp"
git-prolly set db:host "prod-db.example.com"
git-prolly commit -m "Initial configuration"
cd ..
mkdir user-data && cd user-data
git-prolly init
git-prolly import ../../users.ndjson
git-prolly commit -m "Import users"
cd ..
git add . && git commit -q -m "Project"
git checkout -q -b staging
(cd config && git-prolly set db:host "staging-db.example.com" && git-prolly commit -m "Staging host")
(cd user-data && git-prolly set user:2500 '{"id":2500,"plan":"pro"}' && git-prolly commit -m "Upgrade user 2500")
git checkout -q main
git push -q origin main staging
`,
      sb.root,
    );
  }, 300_000);
  afterAll(() => sb?.dispose());

  it("git diff / git log -p / git show print key = value lines (diff driver from init)", () => {
    const show = sb.git(app, "show", "staging~1");
    expect(show).toMatch(/^-db:host = prod-db\.example\.com$/m);
    expect(show).toMatch(/^\+db:host = staging-db\.example\.com$/m);
    expect(show).not.toMatch(/Binary files/);
    const diff = sb.git(app, "diff", "main", "staging", "--", "user-data");
    expect(diff).toMatch(/^-user:2500 = \{"id":2500\}$/m);
    expect(diff).toMatch(/^\+user:2500 = \{"id":2500,"plan":"pro"\}$/m);
    // One changed key: no other key's line is added or removed.
    const changed = diff.split("\n").filter((l) => /^[+-][^+-]/.test(l));
    expect(changed.map((l) => l.slice(1).split(" = ")[0])).toEqual(["user:2500", "user:2500"]);
    const log = sb.git(app, "log", "-p", "-1", "--format=%s", "main", "--", "config");
    expect(log).toMatch(/^\+app:name = MyApp$/m);
    // Uncommitted changes too.
    sb.prollyOk(["set", "app:name", "MyApp 2"], { cwd: `${app}/config` });
    expect(sb.git(app, "diff", "--cached")).toMatch(/^\+app:name = MyApp 2$/m);
    sb.prollyOk(["set", "app:name", "MyApp"], { cwd: `${app}/config` });
    expect(sb.git(app, "status", "--porcelain")).toBe("");
  });

  it("a fresh git clone reads every value on every branch, and git-prolly setup-git gives it the diff driver", () => {
    const expected: Record<string, { config: Entries; users: Entries }> = {};
    for (const branch of ["main", "staging"]) {
      expected[branch] = {
        config: listEntries(sb, `${app}/config`, branch),
        users: listEntries(sb, `${app}/user-data`, branch),
      };
    }
    expect(Object.keys(expected["main"]!.users)).toHaveLength(3000);
    const fresh = sb.path("fresh");
    sb.ok("git", ["clone", "-q", sb.path("github/myapp.git"), fresh]);
    sb.git(fresh, "gc", "-q", "--prune=now");
    sb.git(fresh, "fsck", "--strict", "--no-dangling");
    for (const branch of ["main", "staging"]) {
      sb.git(fresh, "checkout", "-q", branch);
      expect(listEntries(sb, `${fresh}/config`), branch).toEqual(expected[branch]!.config);
      expect(listEntries(sb, `${fresh}/user-data`), branch).toEqual(expected[branch]!.users);
      expect(listEntries(sb, `${fresh}/user-data`, `origin/${branch}`), branch).toEqual(expected[branch]!.users);
      expect(sb.prollyOk(["get", "user:2500"], { cwd: `${fresh}/user-data` }).trim()).toBe(
        expected[branch]!.users["user:2500"],
      );
    }
    // A clone has .gitattributes (committed) but not the driver's command (.git/config is local).
    expect(sb.git(fresh, "show", "staging~1")).not.toMatch(/^\+db:host = /m);
    sb.prollyOk(["setup-git"], { cwd: fresh });
    expect(sb.git(fresh, "show", "staging~1")).toMatch(/^\+db:host = staging-db\.example\.com$/m);
    expect(sb.git(fresh, "status", "--porcelain")).toBe("");
  });
});
