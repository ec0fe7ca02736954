/** Refs on disk, side by side with git: packed refs, lock files, reflogs, other processes. */
import { spawn } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitRepository, isGitStoreError } from "../src/index.js";
import { GitRefStore } from "../src/refs/git-ref-store.js";
import { GIT_ENV, bytes, git, sig, closeRepository, newRepository } from "./helpers.js";

let dir: string;
let repo: GitRepository;
beforeEach(async () => {
  ({ dir, repo } = await newRepository("refs"));
});
afterEach(() => closeRepository({ dir, repo }));

async function commit(parents: string[], t: number): Promise<string> {
  const blob = await repo.writeBlob(bytes(`v${t}`));
  const tree = await repo.editTree(undefined, [{ path: "f", entry: { mode: "100644", id: blob } }]);
  const id = await repo.writeCommit({ tree, parents, author: sig(t), committer: sig(t), message: `c${t}` });
  await repo.objects.flush();
  return id;
}

describe("refs written in process", () => {
  it("are what git sees, with reflog lines, and git's updates are what we see", async () => {
    const c1 = await commit([], 10);
    await repo.refs.update("refs/heads/main", c1, { expected: null, message: "commit (initial): c10" });
    expect(git(dir, "rev-parse", "main")).toBe(c1);
    expect(git(dir, "reflog", "show", "--format=%H %gs", "main")).toBe(`${c1} commit (initial): c10`);
    expect(git(dir, "reflog", "show", "--format=%H", "HEAD")).toBe(c1);
    git(dir, "commit", "-q", "--allow-empty", "-m", "by git");
    const byGit = git(dir, "rev-parse", "HEAD");
    expect(await repo.refs.resolve("refs/heads/main")).toBe(byGit);
    expect(await repo.resolveRevision("HEAD~1")).toBe(c1);
  });

  it("work with packed refs: read, list, update and delete", async () => {
    const c1 = await commit([], 10);
    const c2 = await commit([c1], 20);
    git(dir, "update-ref", "refs/heads/main", c1);
    git(dir, "update-ref", "refs/heads/old", c1);
    git(dir, "tag", "-a", "-m", "annotated", "v1", c1);
    git(dir, "pack-refs", "--all");
    expect(git(dir, "show-ref")).toContain("refs/heads/old");
    expect(await repo.refs.resolve("refs/heads/old")).toBe(c1);
    expect((await repo.refs.list("refs/")).map((r) => r.name)).toEqual([
      "refs/heads/main",
      "refs/heads/old",
      "refs/tags/v1",
    ]);
    expect(await repo.resolveRevision("v1")).toBe(c1); // annotated tag peeled to its commit
    await repo.refs.update("refs/heads/old", c2, { expected: c1 });
    expect(git(dir, "rev-parse", "old")).toBe(c2);
    await repo.refs.delete("refs/heads/main", { expected: c1 });
    expect(git(dir, "show-ref")).not.toContain("refs/heads/main");
    expect(await repo.refs.resolve("refs/heads/main")).toBeUndefined();
    git(dir, "fsck", "--strict");
  });

  it("respect a lock held by another process", async () => {
    const c1 = await commit([], 10);
    mkdirSync(join(dir, ".git/refs/heads"), { recursive: true });
    writeFileSync(join(dir, ".git/refs/heads/main.lock"), "");
    const refs = new GitRefStore({ ...repo.refs.options, lockTimeoutMs: 50 });
    const e = await refs.update("refs/heads/main", c1).catch((x: unknown) => x);
    expect(isGitStoreError(e, "GIT_LOCKED")).toBe(true);
    expect((e as { hint: string }).hint).toContain("main.lock");
    expect(await repo.refs.resolve("refs/heads/main")).toBeUndefined();
  });

  it("never lose an update when processes race on one branch", async () => {
    const base = await commit([], 1);
    await repo.refs.update("refs/heads/main", base);
    const script = join(dir, "racer.mjs");
    const lib = new URL("../src/index.ts", import.meta.url).href;
    writeFileSync(
      script,
      `import { openGitRepository, isGitStoreError } from ${JSON.stringify(lib)};
const repo = await openGitRepository(process.argv[2]);
const me = process.argv[3];
let landed = 0, retries = 0;
while (landed < 15) {
  const head = await repo.refs.resolve("refs/heads/main");
  const parent = await repo.readCommit(head);
  const blob = await repo.writeBlob(Buffer.from(me + landed));
  const tree = await repo.editTree(parent.tree, [{ path: "w" + me, entry: { mode: "100644", id: blob } }]);
  const who = { name: "w" + me, email: "w@x", timestamp: 1000 + landed, timezoneOffset: 0 };
  const id = await repo.writeCommit({ tree, parents: [head], author: who, committer: who, message: "w" + me + " " + landed });
  await repo.objects.flush();
  try { await repo.refs.update("refs/heads/main", id, { expected: head }); landed++; }
  catch (e) { if (!isGitStoreError(e, "GIT_REF_MOVED") && !isGitStoreError(e, "GIT_LOCKED")) throw e; retries++; }
}
console.log(retries);
`,
    );
    const runs = [1, 2, 3, 4].map(
      (n) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ["--import", "tsx", script, dir, String(n)], {
            cwd: fileURLToPath(new URL("..", import.meta.url)),
            env: { ...process.env, ...GIT_ENV },
          });
          let out = "";
          let err = "";
          child.stdout.on("data", (d: Buffer) => (out += d.toString()));
          child.stderr.on("data", (d: Buffer) => (err += d.toString()));
          child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
        }),
    );
    await Promise.all(runs);
    // 4 writers × 15 commits, each on top of the previous: a chain of 60 + the base.
    expect(git(dir, "rev-list", "--count", "main")).toBe("61");
    expect(git(dir, "rev-list", "--merges", "--count", "main")).toBe("0");
    git(dir, "fsck", "--strict");
  }, 60_000);
});
