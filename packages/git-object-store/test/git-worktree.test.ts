/** The index reader and the worktree port, compared with git's own view. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitRepository } from "../src/index.js";
import { parseIndex } from "../src/worktree/git-index.js";
import { bytes, git, text, closeRepository, committedRepository } from "./helpers.js";

let dir: string;
let repo: GitRepository;
beforeEach(async () => {
  const files = ["a.txt", "dir/b.txt", "dir/sub/c.txt", "z.sh"];
  ({ dir, repo } = await committedRepository("worktree", Object.fromEntries(files.map((f) => [f, `${f}\n`])), [
    "z.sh",
  ]));
});
afterEach(() => closeRepository({ dir, repo }));

function lsFiles(): string[] {
  return git(dir, "ls-files", "-s")
    .split("\n")
    .map((l) => l.replace(/\s+/g, " "));
}

describe("the index reader", () => {
  it("matches git ls-files for index versions 2, 3 and 4", async () => {
    writeFileSync(join(dir, "new-intent.txt"), "x\n");
    git(dir, "add", "-N", "new-intent.txt"); // an intent-to-add entry has extended flags (index version 3)
    for (const version of ["2", "3", "4"]) {
      if (version !== "3") git(dir, "update-index", "--index-version", version);
      const index = parseIndex(readFileSync(join(dir, ".git/index")));
      expect(index.entries.map((e) => `${e.mode.padStart(6, "0")} ${e.id} ${e.stage} ${e.path}`)).toEqual(lsFiles());
    }
  });

  it("reads directory trees from the cache-tree extension or computes them", async () => {
    git(dir, "write-tree"); // primes the cache tree
    const expected = git(dir, "rev-parse", "HEAD:dir");
    expect((await repo.worktree!.readIndex()).cacheTree.get("dir")?.id).toBe(expected);
    expect(await repo.worktree!.entryAt("dir")).toEqual({ mode: "40000", id: expected });
    writeFileSync(join(dir, "dir/sub/c.txt"), "changed\n");
    git(dir, "add", "dir/sub/c.txt"); // invalidates dir and dir/sub
    const computed = await repo.worktree!.entryAt("dir");
    await repo.objects.flush();
    expect(computed?.id).toBe(git(dir, "write-tree", "--prefix=dir/"));
    expect(await repo.worktree!.entryAt("z.sh")).toEqual({ mode: "100755", id: git(dir, "rev-parse", ":z.sh") });
    expect(await repo.worktree!.entryAt("missing")).toBeUndefined();
  });
});

describe("the worktree port", () => {
  it("applies file changes to index and files so that git status is clean", async () => {
    const v1 = await repo.writeBlob(bytes("new file\n"));
    const v2 = await repo.writeBlob(bytes("replaced b\n"));
    await repo.objects.flush();
    await repo.worktree!.applyChanges(
      [
        {
          path: "dir/b.txt",
          before: { mode: "100644", id: git(dir, "rev-parse", ":dir/b.txt") },
          after: { mode: "100644", id: v2 },
        },
        { path: "dir/sub/c.txt", before: { mode: "100644", id: git(dir, "rev-parse", ":dir/sub/c.txt") } },
        { path: "dir/new/deep.txt", after: { mode: "100644", id: v1 } },
      ],
      async (id) => repo.readBlob(id),
    );
    expect(git(dir, "status", "--porcelain")).toBe("M  dir/b.txt\nA  dir/new/deep.txt\nD  dir/sub/c.txt");
    expect(readFileSync(join(dir, "dir/new/deep.txt"), "utf8")).toBe("new file\n");
    expect(existsSync(join(dir, "dir/sub"))).toBe(false); // emptied directories are removed
    expect(await repo.worktree!.status(["dir"])).toEqual([
      { x: "M", y: " ", path: "dir/b.txt" },
      { x: "A", y: " ", path: "dir/new/deep.txt" },
      { x: "D", y: " ", path: "dir/sub/c.txt" },
    ]);
  });

  it("turns a file into a directory and back", async () => {
    const leaf = await repo.writeBlob(bytes("leaf\n"));
    await repo.objects.flush();
    const before = { mode: "100644" as const, id: git(dir, "rev-parse", ":a.txt") };
    await repo.worktree!.applyChanges(
      [
        { path: "a.txt", before },
        { path: "a.txt/inner", after: { mode: "100644", id: leaf } },
      ],
      (id) => repo.readBlob(id),
    );
    expect(readFileSync(join(dir, "a.txt/inner"), "utf8")).toBe("leaf\n");
    expect(git(dir, "status", "--porcelain", "a.txt")).toBe("D  a.txt\nA  a.txt/inner");
    await repo.worktree!.applyChanges(
      [
        { path: "a.txt/inner", before: { mode: "100644", id: leaf } },
        { path: "a.txt", after: before },
      ],
      (id) => repo.readBlob(id),
    );
    expect(git(dir, "status", "--porcelain")).toBe("");
    expect(text(readFileSync(join(dir, "a.txt")))).toBe("a.txt\n");
  });

  it("moves index and files between trees and refuses to overwrite local changes", async () => {
    const first = git(dir, "rev-parse", "HEAD^{tree}");
    writeFileSync(join(dir, "a.txt"), "second\n");
    git(dir, "commit", "-q", "-am", "second");
    const second = git(dir, "rev-parse", "HEAD^{tree}");
    await repo.worktree!.moveTree(second, first);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("a.txt\n");
    writeFileSync(join(dir, "a.txt"), "local edit\n");
    const e = await repo.worktree!.moveTree(first, second).catch((x: unknown) => x);
    expect((e as { code: string }).code).toBe("GIT_COMMAND_FAILED");
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("local edit\n");
  });
});

describe("history queries agree with git", () => {
  it("rev-parse, merge-base --all and rev-list on a criss-cross history made by git", async () => {
    let t = 1_700_000_000;
    const commit = (msg: string): void => {
      t += 10;
      git(dir, "-c", `user.name=T`, "commit", "-q", "--allow-empty", "-m", msg, `--date=${t} +0000`);
    };
    const env = (): void => {
      process.env.GIT_COMMITTER_DATE = `${t + 1} +0000`;
    };
    env();
    git(dir, "checkout", "-q", "-b", "a");
    commit("a1");
    git(dir, "checkout", "-q", "main");
    commit("m1");
    git(dir, "checkout", "-q", "-b", "b");
    env();
    git(dir, "merge", "-q", "--no-ff", "-m", "b merges a", "a");
    git(dir, "checkout", "-q", "a");
    t += 10;
    env();
    git(dir, "merge", "-q", "--no-ff", "-m", "a merges main", "main");
    delete process.env.GIT_COMMITTER_DATE;
    git(dir, "tag", "-a", "-m", "tagged", "v1", "main");
    const a = git(dir, "rev-parse", "a");
    const b = git(dir, "rev-parse", "b");
    expect((await repo.mergeBases(a, b)).sort()).toEqual(git(dir, "merge-base", "--all", "a", "b").split("\n").sort());
    for (const rev of [
      "HEAD",
      "a~1",
      "a^2",
      "b^1",
      "b^2~1",
      "v1",
      "v1^{commit}",
      "main",
      a.slice(0, 7),
      "HEAD^{tree}",
    ]) {
      expect(await repo.resolveRevision(rev, rev.endsWith("{tree}") ? "tree" : "commit"), rev).toBe(
        git(
          dir,
          "rev-parse",
          rev.endsWith("{tree}") || rev.startsWith("v1") ? rev.replace(/^v1$/, "v1^{commit}") : rev,
        ),
      );
    }
    const ours: string[] = [];
    for await (const c of repo.walkCommits([a, b])) ours.push(c.id);
    expect(ours).toEqual(git(dir, "rev-list", "a", "b").split("\n"));
  });
});
