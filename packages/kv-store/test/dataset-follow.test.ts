/**
 * A dataset in a monorepo checks out alone (issue 8): the data switches, HEAD and the code stay,
 * commits and merges go onto the followed branch, tags and commits are read-only, plain Git
 * stays the truth, worktrees keep their own follow, a root dataset checks out the repository.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VersionedKvStore } from "../src/index.js";
import { dump, expectKvError, git, monorepo, removeDir, tempDir, writeFile } from "./helpers.js";

const DATA: Record<string, Record<string, string>> = {
  production: { "db:host": "prod-db.example.com", "db:timeout": "5000" },
  staging: { "db:host": "staging-db.example.com", "db:timeout": "3000" },
  "production-sample": { "db:host": "prod-sample-db.example.com", "db:timeout": "5000", "sample:rows": "1000" },
};

let dir: string;
let config: VersionedKvStore;
let users: VersionedKvStore;

/** Ok when `git diff --quiet <args>` finds no difference. */
function same(...args: string[]): boolean {
  try {
    git(dir, "diff", "--quiet", ...args);
    return true;
  } catch {
    return false;
  }
}

const followFile = (gitDir: string): string => join(gitDir, "prolly/datasets/by-path/config/follow");
const statusOutside = (): string => git(dir, "status", "--porcelain", "--", ".", ":(exclude)config");

/**
 * The seed's monorepo: config/ and user-data/ beside src/ on main, environment branches with
 * their own config data (made through the dataset's own checkout and commits), production with
 * a deployment note in config/ too, then a hotfix branch with committed and uncommitted code.
 */
async function seed(): Promise<void> {
  dir = monorepo(tempDir("follow"));
  config = await VersionedKvStore.init(join(dir, "config"));
  await config.apply([
    { key: "db:host", value: "dev-db" },
    { key: "db:timeout", value: "100" },
  ]);
  await config.commit("Base configuration");
  users = await VersionedKvStore.init(join(dir, "user-data"));
  await users.set("schema:version", "1");
  await users.commit("User schema");
  for (const [branch, data] of Object.entries(DATA)) {
    await config.checkout("main");
    await config.checkout(branch, { create: true }); // at main: the dataset is back on HEAD
    await config.apply(Object.entries(data).map(([key, value]) => ({ key, value })));
    await config.commit(`${branch} settings`);
  }
  await config.checkout("main");
  expect((await config.following()).kind).toBe("head");
  // A file beside the data, on production only (plain Git, in a worktree of production).
  git(dir, "worktree", "add", "-q", join(dir, "..", `${dir.split("/").pop()}-prod`), "production");
  const prod = join(dir, "..", `${dir.split("/").pop()}-prod`);
  writeFile(join(prod, "config/DEPLOY.md"), "deploy with care\n");
  git(prod, "add", "config/DEPLOY.md");
  git(prod, "commit", "-q", "-m", "Deployment notes");
  git(dir, "worktree", "remove", prod);
  git(dir, "checkout", "-q", "-b", "hotfix/x");
  writeFile(join(dir, "src/memory.rs"), "fn fixed() {}\n");
  git(dir, "add", "src/memory.rs");
  git(dir, "commit", "-q", "-m", "Fix the leak");
  writeFile(join(dir, "src/main.rs"), "fn main() { /* uncommitted */ }\n");
  writeFile(join(dir, "src/staged.rs"), "// staged\n");
  git(dir, "add", "src/staged.rs");
  writeFile(join(dir, "notes.txt"), "untracked\n");
}

beforeEach(seed, 60_000);
afterEach(async () => {
  await config.close();
  await users.close();
  removeDir(dir);
  removeDir(`${dir}-prod`);
});

describe("checkout of a dataset alone", () => {
  it("switches config to production, staging, production-sample and back while the hotfix code stays", async () => {
    const head = git(dir, "rev-parse", "HEAD");
    const outside = statusOutside();
    const original = await config.currentBranch();
    expect(original).toBe("hotfix/x");
    for (const branch of Object.keys(DATA)) {
      const r = await config.checkout(branch);
      expect(r).toMatchObject({ branch, scope: "dataset", commit: git(dir, "rev-parse", branch) });
      expect(r.following).toMatchObject({
        dataset: "config",
        kind: "branch",
        ref: branch,
        repositoryBranch: "hotfix/x",
        readOnly: false,
      });
      expect(await config.currentBranch()).toBe(branch);
      expect(await dump(config)).toEqual(DATA[branch]);
      // Another process sees the same.
      const other = await VersionedKvStore.open(join(dir, "config", "root"));
      expect(await dump(other)).toEqual(DATA[branch]);
      expect((await other.following()).ref).toBe(branch);
      await other.close();
      // The directory is exactly the branch's (files absent there removed), index and files.
      expect(same("--cached", branch, "--", "config")).toBe(true);
      expect(same(branch, "--", "config")).toBe(true);
      expect(existsSync(join(dir, "config/DEPLOY.md"))).toBe(branch === "production");
      expect(await config.status()).toEqual([]);
      expect(await config.isClean()).toBe(true);
      // HEAD, the code (committed, staged, unstaged, untracked) and the other dataset stay.
      expect(git(dir, "rev-parse", "HEAD")).toBe(head);
      expect(git(dir, "symbolic-ref", "--short", "HEAD")).toBe("hotfix/x");
      expect(statusOutside()).toBe(outside);
      expect(readFileSync(join(dir, "src/main.rs"), "utf8")).toBe("fn main() { /* uncommitted */ }\n");
      expect(await users.getString("schema:version")).toBe("1");
    }
    const back = await config.checkout(original!);
    expect(back.following).toMatchObject({ kind: "head", ref: "hotfix/x", commit: head });
    expect(await dump(config)).toEqual({ "db:host": "dev-db", "db:timeout": "100" });
    expect(git(dir, "status", "--porcelain")).toBe(outside);
    expect(existsSync(followFile(join(dir, ".git")))).toBe(false);
  }, 60_000);

  it("follows tags and commits read-only; checkout -b makes a branch there and follows it", async () => {
    git(dir, "tag", "v1.2.3", "production");
    const r = await config.checkout("v1.2.3");
    expect(r.following).toMatchObject({
      kind: "tag",
      ref: "v1.2.3",
      readOnly: true,
      commit: git(dir, "rev-parse", "production"),
    });
    expect(await config.currentBranch()).toBeUndefined();
    expect(await config.getString("db:host")).toBe("prod-db.example.com");
    const e = await expectKvError(config.set("db:host", "x"), "KV_READ_ONLY");
    expect(e.hint).toContain("git-prolly checkout -b");
    expect(e.data).toMatchObject({ kind: "tag", ref: "v1.2.3" });
    await expectKvError(config.commit("nope", { allowEmpty: true }), "KV_READ_ONLY");
    await expectKvError(config.merge("staging"), "KV_READ_ONLY");
    expect(await config.getString("db:host")).toBe("prod-db.example.com");
    const stagingTip = git(dir, "rev-parse", "staging~1");
    const c = await config.checkout(stagingTip);
    expect(c.following).toMatchObject({ kind: "commit", ref: stagingTip, readOnly: true });
    expect(await dump(config)).toEqual({ "db:host": "dev-db", "db:timeout": "100" });
    await expectKvError(config.apply([{ key: "k", value: "v" }]), "KV_READ_ONLY");
    // `HEAD` in revisions is the dataset's head.
    expect(await config.getString("db:host", { ref: "HEAD" })).toBe("dev-db");
    await config.checkout("v1.2.3");
    expect(await config.getString("db:host", { ref: "HEAD~1" })).toBe("prod-db.example.com"); // before the deployment notes
    expect(await config.getString("db:host", { ref: "HEAD~2" })).toBe("dev-db");
    const b = await config.checkout("fix/from-v1", { create: true });
    expect(b.following).toMatchObject({ kind: "branch", ref: "fix/from-v1", readOnly: false });
    await config.set("db:timeout", "9000");
    const info = (await config.commit("Longer timeout"))!;
    expect(info.parents).toEqual([git(dir, "rev-parse", "v1.2.3^{commit}")]);
    expect(git(dir, "rev-parse", "fix/from-v1")).toBe(info.id);
    expect(git(dir, "symbolic-ref", "--short", "HEAD")).toBe("hotfix/x");
  }, 60_000);

  it("commits onto the followed branch: its tree with the dataset replaced, HEAD untouched", async () => {
    const head = git(dir, "rev-parse", "HEAD");
    const tip = git(dir, "rev-parse", "production");
    await config.checkout("production");
    await config.set("db:pool", "20");
    expect((await config.status()).map((s) => [Buffer.from(s.key).toString(), s.change])).toEqual([
      ["db:pool", "added"],
    ]);
    const info = (await config.commit("Pool size"))!;
    expect(info.parents).toEqual([tip]);
    expect(git(dir, "rev-parse", "production")).toBe(info.id);
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
    expect(git(dir, "log", "-1", "--format=%s", "production")).toBe("Pool size");
    // Only the dataset changed on production: its code and deployment note are production's own.
    expect(git(dir, "diff", "--name-only", tip, "production")).toMatch(/^config\/root/);
    expect(git(dir, "ls-tree", "--name-only", "production", "src/")).toBe("src/main.rs");
    expect(git(dir, "show", "production:config/DEPLOY.md")).toBe("deploy with care");
    // The index and files hold the committed data: nothing for Git to stage or restore.
    expect(same("--cached", "production", "--", "config")).toBe(true);
    expect(same("--", "config")).toBe(true);
    expect(
      git(dir, "status", "--porcelain", "--untracked-files=all", "--", "config")
        .split("\n")
        .filter((l) => l !== "" && l[1] !== " "),
    ).toEqual([]);
    expect(await config.status()).toEqual([]);
    const log: string[] = [];
    for await (const c of config.log({ limit: 2 })) log.push(c.subject);
    expect(log).toEqual(["Pool size", "Deployment notes"]);
    expect((await config.show()).commit.id).toBe(info.id);
    expect((await config.following()).commit).toBe(info.id);
    expect(await config.getString("db:pool", { ref: "production" })).toBe("20");
    // Branch listing marks the followed branch; it cannot be deleted while followed.
    expect((await config.branches()).filter((b) => b.current).map((b) => b.name)).toEqual(["production"]);
    await expectKvError(config.deleteBranch("production", { force: true }), "KV_CURRENT_BRANCH");
    await expectKvError(config.deleteBranch("hotfix/x", { force: true }), "KV_CURRENT_BRANCH");
    // Revert commits onto the followed branch too.
    const r = await config.revert(info.id);
    expect(r.status).toBe("reverted");
    if (r.status !== "reverted") throw new Error("unreachable");
    expect(git(dir, "rev-parse", "production")).toBe(r.commit);
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
    expect(await config.getString("db:pool")).toBeUndefined();
    expect(await config.diff("HEAD~2")).toEqual([]);
    expect((await config.diff("HEAD~1")).map((c) => Buffer.from(c.key).toString())).toEqual(["db:pool"]);
  }, 60_000);

  it("merges into the followed branch, which alone moves", async () => {
    const head = git(dir, "rev-parse", "HEAD");
    await config.checkout("staging");
    await config.set("features:beta", "true");
    await config.commit("Beta on staging");
    await config.checkout("production");
    await config.set("db:replicas", "3");
    await config.commit("Replicas on production");
    const ours = git(dir, "rev-parse", "production");
    const r = await config.merge("staging", { resolve: "theirs" });
    expect(r.status).toBe("merged");
    if (r.status !== "merged") throw new Error("unreachable");
    expect(git(dir, "rev-parse", "production")).toBe(r.commit);
    expect(git(dir, "log", "-1", "--format=%P", "production")).toBe(`${ours} ${git(dir, "rev-parse", "staging")}`);
    expect(git(dir, "log", "-1", "--format=%s", "production")).toBe("Merge branch 'staging' into production");
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
    expect(await dump(config)).toEqual({
      "db:host": "staging-db.example.com",
      "db:timeout": "3000",
      "db:replicas": "3",
      "features:beta": "true",
    });
    expect(same("--cached", "production", "--", "config")).toBe(true);
    expect(same("production", "--", "config")).toBe(true);
    expect(existsSync(join(dir, "config/DEPLOY.md"))).toBe(true);
    expect(await config.status()).toEqual([]);
    // A fast-forward moves the followed branch too.
    await config.checkout("staging");
    expect((await config.merge("production")).status).toBe("fast-forward");
    expect(git(dir, "rev-parse", "staging")).toBe(r.commit);
    expect(existsSync(join(dir, "config/DEPLOY.md"))).toBe(true);
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
  }, 60_000);

  it("refuses to replace uncommitted dataset changes unless forced", async () => {
    await config.set("db:host", "local");
    await expectKvError(config.checkout("production"), "KV_UNCOMMITTED_CHANGES");
    expect((await config.following()).kind).toBe("head");
    expect(await config.getString("db:host")).toBe("local");
    await config.checkout("production", { force: true });
    expect(await config.getString("db:host")).toBe("prod-db.example.com");
    writeFile(join(dir, "config/DEPLOY.md"), "edited\n");
    const e = await expectKvError(config.checkout("staging"), "KV_UNCOMMITTED_CHANGES");
    expect(e.data.unstaged).toEqual(["config/DEPLOY.md"]);
    expect(readFileSync(join(dir, "config/DEPLOY.md"), "utf8")).toBe("edited\n");
    await config.checkout("staging", { force: true });
    expect(existsSync(join(dir, "config/DEPLOY.md"))).toBe(false);
  }, 60_000);
});

describe("plain Git stays the truth", () => {
  it("a whole-repository git checkout ends the follow; commits go to the new HEAD branch", async () => {
    git(dir, "stash", "-u", "-q"); // the hotfix's uncommitted code out of the way
    git(dir, "branch", "other");
    await config.checkout("production");
    const prodTip = git(dir, "rev-parse", "production");
    git(dir, "checkout", "-q", "other"); // Git carries the staged config data over
    const f = await config.following();
    expect(f).toMatchObject({ kind: "head", ref: "other", repositoryBranch: "other" });
    expect(existsSync(followFile(join(dir, ".git")))).toBe(false);
    expect(await config.getString("db:host")).toBe("prod-db.example.com"); // what Git's index holds
    expect((await config.status()).length).toBeGreaterThan(0);
    await config.set("k", "v");
    const c = (await config.commit("on other"))!;
    expect(git(dir, "rev-parse", "other")).toBe(c.id);
    expect(git(dir, "rev-parse", "production")).toBe(prodTip);
    // Back on hotfix/x the follow stays gone.
    git(dir, "checkout", "-q", "hotfix/x");
    expect((await config.following()).kind).toBe("head");
  }, 60_000);

  it("git reset --hard puts HEAD's data back and ends the follow", async () => {
    await config.checkout("production");
    await config.set("db:host", "edited");
    await config.flush(); // staged, so Git's reset takes it away (unflushed edits would land on top)
    git(dir, "reset", "-q", "--hard");
    expect(await config.following()).toMatchObject({ kind: "head", ref: "hotfix/x" });
    expect(await dump(config)).toEqual({ "db:host": "dev-db", "db:timeout": "100" });
    expect(existsSync(join(dir, "config/DEPLOY.md"))).toBe(false);
    const prodTip = git(dir, "rev-parse", "production");
    await config.set("db:host", "hotfix-db");
    const c = (await config.commit("on hotfix"))!;
    expect(git(dir, "rev-parse", "hotfix/x")).toBe(c.id);
    expect(git(dir, "rev-parse", "production")).toBe(prodTip);
  }, 60_000);

  it("git stash ends the follow for good: neither stash pop nor new edits bring it back", async () => {
    await config.checkout("production");
    const prodTip = git(dir, "rev-parse", "production");
    git(dir, "stash", "-q");
    // The first write after the stash sees HEAD's data in the index and drops the record.
    await config.set("db:host", "after-stash");
    expect(existsSync(followFile(join(dir, ".git")))).toBe(false);
    expect((await config.following()).kind).toBe("head");
    const c = (await config.commit("after stash"))!;
    expect(git(dir, "rev-parse", "hotfix/x")).toBe(c.id);
    expect(git(dir, "rev-parse", "production")).toBe(prodTip);
    git(dir, "checkout", "-q", "HEAD~1", "--", "config");
    git(dir, "stash", "pop", "-q");
    expect((await config.following()).kind).toBe("head");
    expect(git(dir, "rev-parse", "production")).toBe(prodTip);
  }, 60_000);

  it("git checkout -- <dir> of HEAD's data ends the follow", async () => {
    await config.checkout("staging");
    git(dir, "checkout", "HEAD", "--", "config");
    expect((await config.following()).kind).toBe("head");
    expect(await config.getString("db:host")).toBe("dev-db");
  }, 60_000);

  it("a record whose switch was interrupted is void", async () => {
    await config.checkout("staging");
    const file = followFile(join(dir, ".git"));
    const record = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    // As if a checkout to production had written its pending record and died before the switch.
    writeFile(
      file,
      `${JSON.stringify({ ...record, ref: "refs/heads/production", commit: git(dir, "rev-parse", "production"), pending: true })}\n`,
    );
    expect((await config.following()).kind).toBe("head");
    expect(existsSync(file)).toBe(false);
    writeFile(file, "{not json");
    expect((await config.following()).kind).toBe("head");
  }, 60_000);
});

describe("races, worktrees and root datasets", () => {
  it("a followed branch moved by someone else: KV_BRANCH_MOVED, nothing lost, checkout -b rescues", async () => {
    await config.checkout("production");
    await config.set("db:host", "mine");
    // Another worktree commits data on production meanwhile.
    const wt = `${dir}-prod`;
    git(dir, "worktree", "add", "-q", wt, "production");
    const there = await VersionedKvStore.open(join(wt, "config"));
    await there.set("db:timeout", "7000");
    const theirs = (await there.commit("Theirs"))!;
    await there.close();
    const e = await expectKvError(config.commit("Mine"), "KV_BRANCH_MOVED");
    expect(e.data).toMatchObject({ branch: "production", tip: theirs.id });
    expect((await config.following()).branchTip).toBe(theirs.id);
    expect(git(dir, "rev-parse", "production")).toBe(theirs.id);
    expect(await config.getString("db:host")).toBe("mine");
    await config.checkout("rescue", { create: true });
    expect(await config.getString("db:host")).toBe("mine");
    await config.commit("Mine");
    await config.checkout("production");
    expect(await config.getString("db:timeout")).toBe("7000");
    expect((await config.merge("rescue")).status).toBe("merged");
    expect(await dump(config)).toMatchObject({ "db:host": "mine", "db:timeout": "7000" });
  }, 60_000);

  it("a followed branch that moved without touching the data is committed onto", async () => {
    await config.checkout("production");
    await config.set("db:host", "mine");
    const wt = `${dir}-prod`;
    git(dir, "worktree", "add", "-q", wt, "production");
    writeFile(join(wt, "src/ops.rs"), "// ops\n");
    git(wt, "add", "src/ops.rs");
    git(wt, "commit", "-q", "-m", "Code on production");
    const codeTip = git(wt, "rev-parse", "HEAD");
    const c = (await config.commit("Mine"))!;
    expect(c.parents).toEqual([codeTip]);
    expect(git(dir, "show", "production:src/ops.rs")).toBe("// ops");
  }, 60_000);

  it("each worktree follows on its own", async () => {
    await config.checkout("production");
    const wt = `${dir}-prod`;
    git(dir, "worktree", "add", "-q", wt, "staging");
    const there = await VersionedKvStore.open(join(wt, "config"));
    expect(await there.following()).toMatchObject({ kind: "head", ref: "staging" });
    expect(await dump(there)).toEqual(DATA.staging);
    await there.checkout("production-sample");
    expect(await dump(there)).toEqual(DATA["production-sample"]);
    expect(existsSync(followFile(git(wt, "rev-parse", "--absolute-git-dir")))).toBe(true);
    await there.checkout("staging");
    expect((await there.following()).kind).toBe("head");
    await there.close();
    expect(await config.following()).toMatchObject({ kind: "branch", ref: "production" });
    expect(await dump(config)).toEqual(DATA.production);
  }, 60_000);

  it("a dataset at the repository root checks out the whole repository, as before", async () => {
    const repo = tempDir("root-ds");
    try {
      const store = await VersionedKvStore.init(repo, { initialBranch: "main" });
      await store.set("k", "main");
      await store.commit("main");
      const r = await store.checkout("other", { create: true });
      expect(r).toMatchObject({ branch: "other", scope: "repository", following: { kind: "head", ref: "other" } });
      expect(git(repo, "symbolic-ref", "--short", "HEAD")).toBe("other");
      await store.set("k", "other");
      await store.commit("other");
      await store.checkout("main");
      expect(git(repo, "symbolic-ref", "--short", "HEAD")).toBe("main");
      expect(await store.getString("k")).toBe("main");
      await store.close();
    } finally {
      removeDir(repo);
    }
  }, 60_000);
});
