/** The index reader and the worktree port, compared with git's own view. */
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitRepository, type PathChange, discardPrepared } from "../src/index.js";
import { parseIndex } from "../src/worktree/git-index.js";
import { bytes, git, text, closeRepository, committedRepository, removeDir } from "./helpers.js";

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

  it("writes many files through the writer thread: in place, reusing removed files, never through a link", async () => {
    // 200 files in 4 directories, committed; `outside` is a file the changes must never touch.
    const path = (d: number, i: number): string => `big/d${d}/f${String(i).padStart(3, "0")}`;
    for (let d = 0; d < 4; d++) {
      mkdirSync(join(dir, `big/d${d}`), { recursive: true });
      for (let i = 0; i < 50; i++) writeFileSync(join(dir, path(d, i)), `old ${d}/${i}\n`);
    }
    mkdirSync(join(dir, "big/gone/deep"), { recursive: true });
    writeFileSync(join(dir, "big/gone/deep/x"), "becomes a file's place\n");
    writeFileSync(join(dir, "big/leaf"), "becomes a directory\n");
    writeFileSync(join(dir, "outside"), "outside\n");
    git(dir, "add", ".");
    git(dir, "commit", "-q", "-m", "big");
    linkSync(join(dir, path(0, 1)), join(dir, "hardlink-of-f001")); // a second link: no write in place
    symlinkSync(join(dir, "outside"), join(dir, "symlink-target"));
    const linked = path(0, 2);
    removeDir(join(dir, linked));
    symlinkSync(join(dir, "outside"), join(dir, linked)); // a symlink where a file is replaced
    const inodes = new Map([0, 1, 2, 3].map((d) => [path(d, 10), statSync(join(dir, path(d, 10))).ino]));
    const removedInodes = new Set(Array.from({ length: 25 }, (_, k) => statSync(join(dir, path(3, 25 + k))).ino));
    const blob = async (s: string): Promise<string> => repo.writeBlob(bytes(s));
    const ref = (id: string) => ({ mode: "100644" as const, id });
    const staged = (p: string): string => git(dir, "rev-parse", `:${p}`);
    const changes: PathChange[] = [];
    const expected = new Map<string, string>();
    for (let d = 0; d < 4; d++) {
      for (let i = 0; i < 50; i++) {
        const p = path(d, i);
        if (d === 3 && i >= 25)
          changes.push({ path: p, before: ref(staged(p)) }); // removed: reused below
        else {
          const content = `new ${d}/${i} ${"x".repeat(i)}\n`; // shorter and longer than before
          changes.push({ path: p, before: ref(staged(p)), after: ref(await blob(content)) });
          expected.set(p, content);
        }
      }
    }
    for (let i = 0; i < 40; i++) {
      const p = `big/moved/g${String(i).padStart(3, "0")}`;
      const content = `added ${i}\n`;
      changes.push({ path: p, after: ref(await blob(content)) });
      expected.set(p, content);
    }
    changes.push({ path: "big/gone/deep/x", before: ref(staged("big/gone/deep/x")) });
    changes.push({ path: "big/gone", after: ref(await blob("was a directory\n")) });
    expected.set("big/gone", "was a directory\n");
    changes.push({ path: "big/leaf", before: ref(staged("big/leaf")) });
    changes.push({ path: "big/leaf/inner", after: ref(await blob("was a file\n")) });
    expected.set("big/leaf/inner", "was a file\n");
    await repo.objects.flush();
    await repo.worktree!.applyChanges(changes, (id) => repo.readBlob(id));

    for (const [p, content] of expected) expect(readFileSync(join(dir, p), "utf8"), p).toBe(content);
    expect(lstatSync(join(dir, linked)).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, "outside"), "utf8")).toBe("outside\n");
    expect(readFileSync(join(dir, "hardlink-of-f001"), "utf8")).toBe("old 0/1\n");
    // Replaced files kept their inode: rewritten in place.
    for (const [p, ino] of inodes) if (expected.has(p)) expect(statSync(join(dir, p)).ino, p).toBe(ino);
    for (let i = 25; i < 50; i++) expect(existsSync(join(dir, path(3, i)))).toBe(false);
    // The added files reused the removed ones (renamed, then rewritten).
    const reused = readdirSync(join(dir, "big/moved")).filter((n) =>
      removedInodes.has(statSync(join(dir, "big/moved", n)).ino),
    );
    expect(reused.length).toBeGreaterThanOrEqual(25);
    expect(readdirSync(join(dir, "big")).sort()).toEqual(["d0", "d1", "d2", "d3", "gone", "leaf", "moved"]);
    expect(readdirSync(join(dir, "big/d0")).filter((n) => n.includes(".tmp-"))).toEqual([]);
    // The index holds the new state and the stat data of every written file: git sees no change.
    expect(git(dir, "diff", "--stat")).toBe("");
    expect(git(dir, "status", "--porcelain", "--untracked-files=no")).toBe(
      git(dir, "diff", "--cached", "--name-status")
        .split("\n")
        .map((l) => `${l[0]}  ${l.slice(2).trim()}`)
        .join("\n"),
    );
    const index = parseIndex(readFileSync(join(dir, ".git/index")));
    expect(index.entries.length).toBeGreaterThan(200);
  });

  it("moves spare files made ahead, and files prepared while objects are written, to new paths", async () => {
    const wt = repo.worktree!;
    const spareRoot = join(dir, ".git/prolly/tmp");
    wt.reserveSpares(100); // in the background, on the writer thread
    const spareInodes = (): Set<number> => {
      const found = new Set<number>();
      for (const d of existsSync(spareRoot) ? readdirSync(spareRoot) : [])
        for (const f of readdirSync(join(spareRoot, d))) found.add(statSync(join(spareRoot, d, f)).ino);
      return found;
    };
    for (let k = 0; k < 200 && spareInodes().size < 64; k++) await new Promise((r) => setTimeout(r, 50));
    const spares = spareInodes();
    expect(spares.size).toBeGreaterThanOrEqual(64);
    const blob = async (s: string): Promise<string> => repo.writeBlob(bytes(s));
    const changes: PathChange[] = [];
    const expected = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      const p = `many/d${i % 7}/n${i}`;
      changes.push({ path: p, after: { mode: "100644", id: await blob(`n${i}\n`) } });
      expected.set(p, `n${i}\n`);
    }
    const prepared = wt.prepareChanges(changes);
    expect(prepared).toBeDefined();
    await repo.objects.flush();
    await wt.applyChanges(changes, (id) => repo.readBlob(id), undefined, prepared);
    for (const [p, content] of expected) expect(readFileSync(join(dir, p), "utf8"), p).toBe(content);
    const reused = [...expected.keys()].filter((p) => spares.has(statSync(join(dir, p)).ino));
    expect(reused.length).toBeGreaterThanOrEqual(64);
    expect(git(dir, "status", "--porcelain", "--untracked-files=all")).toBe(
      [...expected.keys()]
        .sort()
        .map((p) => `A  ${p}`)
        .join("\n"),
    );
    for (let d = 0; d < 7; d++)
      expect(readdirSync(join(dir, `many/d${d}`)).filter((n) => n.includes(".tmp-"))).toEqual([]);
    // Unused spares go with the repository; nothing is left in the Git directory's scratch folder.
    wt.reserveSpares(200);
    await wt.close();
    expect(existsSync(spareRoot) ? readdirSync(spareRoot) : []).toEqual([]);
  });

  it("removes prepared files when the changes are not applied", async () => {
    const wt = repo.worktree!;
    const changes: PathChange[] = [];
    for (let i = 0; i < 200; i++)
      changes.push({ path: `p/f${i}`, after: { mode: "100644", id: await repo.writeBlob(bytes(`${i}`)) } });
    const prepared = wt.prepareChanges(changes)!;
    expect(prepared.spares.length).toBe(200);
    await discardPrepared(prepared);
    expect(readdirSync(join(dir, "p"))).toEqual([]);
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
