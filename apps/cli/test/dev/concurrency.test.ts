/**
 * Team safety through the built CLI on the real server: two `patch add` started at the same moment
 * from two clones end with exactly one success and one clear lock error (the lock is a ref on
 * origin created with a lease); patch numbers are reserved on origin; a diverged ho-prod is
 * "Repository not synced with origin".
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, cliEnv, developPatch, git, ok, read, scratch, TEST_COMMAND, uniqueDb, write } from "./support/dev-cli.js";

const env = cliEnv("server");
const box = scratch();
const a = join(box.dir, "team");
const b = join(box.dir, "team-b");
afterAll(() => box.dispose());

describe("two developers at once", { timeout: 400_000 }, () => {
  it("two patch add at the same moment: exactly one succeeds, the other gets a lock error", async () => {
    await ok(
      box.dir,
      [
        "dev",
        "init",
        "team",
        "--database",
        uniqueDb("team_a"),
        "--git-origin",
        box.origin,
        "--test-command",
        TEST_COMMAND,
      ],
      env,
    );
    await ok(a, ["dev", "release", "new", "minor"], env);
    await developPatch(a, env, "1-alpha", { "01.sql": "CREATE TABLE alpha (id INT);\n" });
    await developPatch(a, env, "2-beta", { "01.sql": "CREATE TABLE beta (id INT);\n" });
    git(a, ["push", "--quiet", "origin", "ho-patch/1-alpha", "ho-patch/2-beta"]);
    await ok(box.dir, ["dev", "clone", box.origin, "team-b", "--database", uniqueDb("team_b")], env);
    const [ra, rb] = await Promise.all([
      cli(a, ["dev", "patch", "add", "1-alpha", "--json"], env),
      cli(b, ["dev", "patch", "add", "2-beta", "--json"], env),
    ]);
    const codes = [ra.code, rb.code].sort();
    expect(codes, `${ra.stderr}\n${rb.stderr}`).toEqual([0, 6]);
    const loser = ra.code === 6 ? ra : rb;
    expect(loser.json.error.code).toBe("RELEASE_LOCKED");
    expect(loser.json.error.message).toMatch(
      /^Branch ho-prod is locked by .+ \(pid \d+, "patch add (1-alpha|2-beta)", since /,
    );
    expect(loser.json.error.hint).toMatch(/^Wait for .+ to finish and run the command again/);
    expect(git(box.origin, ["for-each-ref", "refs/git-prolly/lock/"])).toBe(""); // released
    const winnerDir = ra.code === 0 ? a : b;
    const winnerId = ra.code === 0 ? "1-alpha" : "2-beta";
    expect(git(box.origin, ["show", "ho-prod:releases/0.1.0-stage.txt"])).toBe(winnerId);
    expect(read(winnerDir, "releases/0.1.0-stage.txt")).toBe(`${winnerId}\n`);
    // the loser retries and pulls the winner's commit first
    const loserDir = winnerDir === a ? b : a;
    const loserId = winnerId === "1-alpha" ? "2-beta" : "1-alpha";
    const retry = await ok(loserDir, ["dev", "patch", "add", loserId], env);
    expect(retry.stdout).toContain("pulled ho-prod from origin (fast-forward)");
    expect(read(loserDir, "releases/0.1.0-stage.txt")).toBe(`${winnerId}\n${loserId}\n`);
  });

  it("patch numbers are reserved on origin; a diverged ho-prod is not synced", async () => {
    git(b, ["checkout", "--quiet", "ho-prod"]);
    git(a, ["checkout", "--quiet", "ho-prod"]);
    await ok(a, ["dev", "patch", "new", "3-gamma"], env);
    git(b, ["fetch", "--quiet", "origin"]);
    git(b, ["merge", "--quiet", "--ff-only", "origin/ho-prod"]);
    const dup = await cli(b, ["dev", "patch", "new", "3-delta"], env);
    expect(dup.code).toBe(4);
    expect(dup.stderr).toContain("Patch number 3 already reserved by patch 3-gamma");
    git(a, ["checkout", "--quiet", "ho-prod"]);
    write(a, "README.md", "local edit\n");
    git(a, ["commit", "--quiet", "-am", "local only"], env);
    write(b, "notes.md", "b\n");
    git(b, ["add", "."]);
    git(b, ["commit", "--quiet", "-m", "b pushes"], env);
    git(b, ["push", "--quiet", "origin", "ho-prod"]);
    const r = await cli(a, ["dev", "release", "new", "patch"], env);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("Repository not synced with origin: ho-prod has diverged from origin/ho-prod");
    expect(r.stderr).toContain("hint: git pull origin ho-prod, resolve the conflicts");
  });
});
