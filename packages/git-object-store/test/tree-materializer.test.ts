/** Writing trees as directories while they are built, and recording their stat data in the index. */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type GitRepository,
  type ObjectId,
  type PathChange,
  type TreeEntry,
  createMemoryRepository,
  encodeTreeObject,
} from "../src/index.js";
import { bytes, git, closeRepository, committedRepository } from "./helpers.js";

let dir: string;
let repo: GitRepository;
beforeEach(async () => {
  ({ dir, repo } = await committedRepository("materialize", { README: "code\n" }));
});
afterEach(() => closeRepository({ dir, repo }));

/** Writes a two-level tree bottom-up (blobs, then each tree after its children); returns the root id. */
async function writeSampleTree(files = 40): Promise<ObjectId> {
  const subtrees: TreeEntry[] = [];
  for (let d = 0; d < 3; d++) {
    const entries: TreeEntry[] = [];
    for (let f = 0; f < files; f++) {
      const [id] = await repo.objects.write([{ type: "blob", content: bytes(`dir ${d} file ${f}\n`.repeat(f + 1)) }]);
      entries.push({ mode: f === 0 ? "100755" : "100644", name: `f${String(f).padStart(3, "0")}`, id: id! });
    }
    const [id] = await repo.objects.write([{ type: "tree", content: encodeTreeObject(entries) }]);
    subtrees.push({ mode: "40000", name: `d${d}`, id: id! });
  }
  const [index] = await repo.objects.write([{ type: "blob", content: bytes("top-level file\n") }]);
  const [root] = await repo.objects.write([
    { type: "tree", content: encodeTreeObject([...subtrees, { mode: "100644", name: ".node", id: index! }]) },
  ]);
  return root!;
}

/** Every file under a directory: relative path → [bytes, executable]. */
function filesUnder(root: string, prefix = ""): Map<string, [string, boolean]> {
  const out = new Map<string, [string, boolean]>();
  for (const name of readdirSync(join(root, prefix))) {
    const rel = prefix === "" ? name : `${prefix}/${name}`;
    const st = lstatSync(join(root, rel));
    if (st.isDirectory()) for (const [k, v] of filesUnder(root, rel)) out.set(k, v);
    else out.set(rel, [readFileSync(join(root, rel), "utf8"), (st.mode & 0o100) !== 0]);
  }
  return out;
}

/** The changes that put tree `root` at `path` (replacing nothing). */
async function additions(root: ObjectId, path: string): Promise<PathChange[]> {
  const changes: PathChange[] = [];
  for await (const c of repo.diffTreePaths(undefined, { mode: "40000", id: root }, path)) changes.push(c);
  return changes;
}

/** `git ls-files --debug` of the entries under `path`: path → ctime/mtime/ino/size as Git recorded them. */
function recordedStats(path: string): Map<string, { ctime: string; mtime: string; ino: number; size: number }> {
  const out = new Map<string, { ctime: string; mtime: string; ino: number; size: number }>();
  const text = git(dir, "ls-files", "--debug", "--", path);
  for (const m of text.matchAll(
    /^(\S.*)\n\s+ctime: (\d+:\d+)\n\s+mtime: (\d+:\d+)\n\s+dev: \d+\s+ino: (\d+)\n\s+uid: \d+\s+gid: \d+\n\s+size: (\d+)/gm,
  )) {
    out.set(m[1]!, { ctime: m[2]!, mtime: m[3]!, ino: Number(m[4]), size: Number(m[5]) });
  }
  return out;
}

/** Tracked files whose working-tree copy differs from the index (`git status` compares contents). */
function worktreeChanges(): string[] {
  return git(dir, "status", "--porcelain", "--untracked-files=no")
    .split("\n")
    .filter((l) => l !== "" && l[1] !== " ");
}

describe("observeWrites", () => {
  it("tells observers of each new object once, and write waits for the promises they return", async () => {
    for (const objects of [repo.objects, createMemoryRepository().objects]) {
      const seen: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const stop = objects.observeWrites((id, type) => {
        seen.push(`${type} ${id}`);
        return gate;
      });
      let done = false;
      const writing = objects
        .write([
          { type: "blob", content: bytes("one\n") },
          { type: "blob", content: bytes("one\n") },
        ])
        .then(() => {
          done = true;
        });
      await new Promise((r) => setTimeout(r, 20));
      expect(done).toBe(false);
      release();
      await writing;
      expect(seen).toEqual(["blob 5626abf0f72e58d7a153368ba57db4c673c0e171"]);
      stop();
      await objects.write([{ type: "blob", content: bytes("two\n") }]);
      expect(seen).toHaveLength(1);
    }
  });
});

describe("TreeMaterializer", () => {
  it("writes a tree built bottom-up as one directory of files, with each file's stat data", async () => {
    const materializer = (await repo.worktree!.materializer())!;
    expect(materializer).toBeDefined();
    expect(materializer.tempDir.startsWith(join(dir, ".git", "prolly", "tmp"))).toBe(true);
    const root = await writeSampleTree();
    const tree = (await materializer.finish(root))!;
    expect(tree).toBeDefined();
    const files = filesUnder(tree.dir);
    expect(files.size).toBe(3 * 40 + 1);
    // It lists the same files as a walk over the written trees.
    const walked = (await additions(root, "x")).map((c) => ({
      path: c.path.slice(2),
      mode: c.after!.mode,
      id: c.after!.id,
    }));
    const listed = tree.files.map(({ path, mode, id }) => ({ path, mode, id }));
    expect(listed.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      walked.sort((a, b) => a.path.localeCompare(b.path)),
    );
    expect(files.get("d1/f002")).toEqual(["dir 1 file 2\n".repeat(3), false]);
    expect(files.get("d2/f000")).toEqual(["dir 2 file 0\n", true]);
    expect(files.get(".node")).toEqual(["top-level file\n", false]);
    // The recorded stat data is the files' own (ctime/mtime in seconds and nanoseconds, inode, size).
    for (const file of tree.files) {
      const st = statSync(join(tree.dir, file.path), { bigint: true });
      const rec = file.stat;
      expect([rec[0], rec[1], rec[2], rec[3], rec[5], rec[8]]).toEqual([
        Number(st.ctimeNs / 1_000_000_000n),
        Number(st.ctimeNs % 1_000_000_000n),
        Number(st.mtimeNs / 1_000_000_000n),
        Number(st.mtimeNs % 1_000_000_000n),
        Number(st.ino & 0xffffffffn),
        Number(st.size),
      ]);
    }
    await materializer.close();
    expect(existsSync(materializer.tempDir)).toBe(false);
  });

  it("answers undefined for a tree naming objects it did not see written, a symlink or an unsafe name", async () => {
    const [early] = await repo.objects.write([
      { type: "blob", content: bytes("written before the materializer started\n") },
    ]);
    const materializer = (await repo.worktree!.materializer())!;
    const [fresh] = await repo.objects.write([{ type: "blob", content: bytes("fresh\n") }]);
    const [unseen] = await repo.objects.write([
      {
        type: "tree",
        content: encodeTreeObject([
          { mode: "100644", name: "a", id: early! },
          { mode: "100644", name: "b", id: fresh! },
        ]),
      },
    ]);
    const [parent] = await repo.objects.write([
      { type: "tree", content: encodeTreeObject([{ mode: "40000", name: "sub", id: unseen! }]) },
    ]);
    const [link] = await repo.objects.write([{ type: "blob", content: bytes("target") }]);
    const [symlink] = await repo.objects.write([
      { type: "tree", content: encodeTreeObject([{ mode: "120000", name: "l", id: link! }]) },
    ]);
    const [dots] = await repo.objects.write([{ type: "blob", content: bytes("escape\n") }]);
    const [unsafe] = await repo.objects.write([
      { type: "tree", content: encodeTreeObject([{ mode: "100644", name: "..", id: dots! }]) },
    ]);
    const [dotGit] = await repo.objects.write([{ type: "blob", content: bytes("gitdir: elsewhere\n") }]);
    const [nested] = await repo.objects.write([
      { type: "tree", content: encodeTreeObject([{ mode: "100644", name: ".GIT", id: dotGit! }]) },
    ]);
    const [ok] = await repo.objects.write([{ type: "blob", content: bytes("ok\n") }]);
    const [valid] = await repo.objects.write([
      { type: "tree", content: encodeTreeObject([{ mode: "100644", name: "ok", id: ok! }]) },
    ]);
    for (const id of [unseen!, parent!, symlink!, unsafe!, nested!])
      expect(await materializer.finish(id)).toBeUndefined();
    // Refused up front, not by a failed write: the other trees of the session are unaffected.
    const done = (await materializer.finish(valid!))!;
    expect(readdirSync(done.dir)).toEqual(["ok"]);
    expect(readdirSync(materializer.tempDir).sort()).toEqual([valid!]);
    await materializer.close();
  });

  it("removes the folders of dead or long idle materializers of this host, never a live one", async () => {
    const tmp = join(dir, ".git", "prolly", "tmp");
    const mine = (await repo.worktree!.materializer())!;
    const host = mine.tempDir.split("/").pop()!.split("-")[2]!;
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    }).stdout;
    const folders = {
      dead: `materialize-${dead}-${host}-abc123`,
      samePidFresh: `materialize-${process.pid}-${host}-def456`, // another thread, or a container's pid 1
      samePidIdle: `materialize-${process.pid}-${host}-ghi789`, // a dead predecessor that had our pid
      runningFresh: `materialize-${process.ppid}-${host}-jkl012`,
      runningIdle: `materialize-${process.ppid}-${host}-mno345`, // a reused pid
      otherHost: `materialize-${dead}-00000000-pqr678`,
    };
    for (const f of Object.values(folders)) mkdirSync(join(tmp, f, "tree"), { recursive: true });
    const twoHoursAgo = Date.now() / 1000 - 2 * 3600;
    for (const f of [folders.samePidIdle, folders.runningIdle]) utimesSync(join(tmp, f), twoHoursAgo, twoHoursAgo);
    utimesSync(mine.tempDir, twoHoursAgo, twoHoursAgo); // even idle, a folder of this process is never touched
    const next = (await repo.worktree!.materializer())!;
    expect(readdirSync(tmp)).toContain(folders.dead); // nothing is deleted before an import
    await next.close();
    const left = new Set(readdirSync(tmp));
    expect(left.has(folders.dead)).toBe(false);
    expect(left.has(folders.samePidIdle)).toBe(false);
    expect(left.has(folders.runningIdle)).toBe(false);
    expect(left.has(folders.samePidFresh)).toBe(true);
    expect(left.has(folders.runningFresh)).toBe(true);
    expect(left.has(folders.otherHost)).toBe(true);
    expect(existsSync(mine.tempDir)).toBe(true);
    await mine.close();
  });
});

describe("Worktree.applyChanges with a materialized tree", () => {
  async function importSample(path: string): Promise<ObjectId> {
    const materializer = (await repo.worktree!.materializer())!;
    const root = await writeSampleTree();
    const [tree] = await Promise.all([materializer.finish(root), repo.objects.flush()]);
    await repo.worktree!.applyChanges(await additions(root, path), (id) => repo.readBlob(id), { path, tree: tree! });
    await materializer.close();
    return root;
  }

  it("moves the directory into place and records stat data, so Git sees clean files without reading them", async () => {
    const root = await importSample("data/root");
    // Every entry carries the stat data of its file: none of the all-zero records of --index-info.
    // (Checked before anything runs `git status`, which would record them itself.)
    const stats = recordedStats("data/root");
    expect(stats.size).toBe(121);
    for (const [path, s] of stats) {
      const st = statSync(join(dir, path));
      expect(s.ino).toBe(st.ino);
      expect(s.size).toBe(st.size);
      expect(s.mtime).not.toBe("0:0");
    }
    git(dir, "diff-files", "--quiet");
    const status = git(dir, "status", "--porcelain").split("\n");
    expect(status).toHaveLength(121);
    for (const line of status) expect(line).toMatch(/^A {2}data\/root\//);
    expect(git(dir, "rev-parse", `${git(dir, "write-tree")}:data/root`)).toBe(root);
    expect(readdirSync(join(dir, ".git", "prolly", "tmp")).filter((n) => n.startsWith("materialize-"))).toEqual([]);
  });

  it("keeps Git's check of racy files: one changed in the second its index was written stays suspect", async () => {
    // Compare whole-second mtimes and sizes only, as a Git built without nanoseconds does.
    git(dir, "config", "core.checkStat", "minimal");
    git(dir, "config", "core.trustctime", "false");
    const foo = join(dir, "foo");
    const second = Math.floor(Date.now() / 1000) - 10;
    writeFileSync(foo, "version-1\n");
    utimesSync(foo, second, second);
    git(dir, "add", "foo");
    const ids = await repo.objects.write(
      Array.from({ length: 100 }, (_, i) => ({ type: "blob" as const, content: bytes(`n${i}\n`) })),
    );
    await repo.objects.flush();
    let first = true;
    await repo.worktree!.applyChanges(
      ids.map((id, i) => ({ path: `data/f${i}`, after: { mode: "100644", id } })),
      async (id) => {
        if (first) {
          // While the files are written, foo changes in the very second the index was last
          // written (moved back 10 s here so that the rewrite below lands in a later second).
          first = false;
          utimesSync(join(dir, ".git/index"), second, second);
          writeFileSync(foo, "version-2\n");
          utimesSync(foo, second, second);
        }
        return repo.readBlob(id);
      },
    );
    expect(recordedStats("data").size).toBe(100);
    for (const s of recordedStats("data").values()) expect(s.mtime).not.toBe("0:0");
    expect(git(dir, "ls-files", "--debug", "foo")).toMatch(/size: 0\b/); // smudged, as Git smudges racy entries
    expect(git(dir, "status", "--porcelain", "foo")).toBe("AM foo");
  });

  it("records the stat data in version-4 indexes too, and leaves split indexes to Git", async () => {
    git(dir, "update-index", "--index-version", "4");
    await importSample("v4/root");
    for (const s of recordedStats("v4/root").values()) expect(s.mtime).not.toBe("0:0");
    git(dir, "diff-files", "--quiet");
    expect(readFileSync(join(dir, ".git", "index")).readUInt32BE(4)).toBe(4);

    git(dir, "update-index", "--index-version", "2");
    git(dir, "update-index", "--split-index");
    await importSample("split/root");
    // Not recorded (Git re-reads the files), but the files and the index are still right.
    for (const s of recordedStats("split/root").values()) expect(s.mtime).toBe("0:0");
    expect(worktreeChanges()).toEqual([]);
    expect(
      git(dir, "diff", "--cached", "--name-only")
        .split("\n")
        .filter((p) => p.startsWith("split/root/")),
    ).toHaveLength(121);
  });

  it("writes the files one by one when something is in the way of the rename", async () => {
    mkdirSync(join(dir, "busy/root"), { recursive: true });
    writeFileSync(join(dir, "busy/root/untracked.txt"), "mine\n");
    const root = await importSample("busy/root");
    expect(readFileSync(join(dir, "busy/root/untracked.txt"), "utf8")).toBe("mine\n");
    expect(readFileSync(join(dir, "busy/root/d1/f002"), "utf8")).toBe("dir 1 file 2\n".repeat(3));
    expect(worktreeChanges()).toEqual([]);
    expect(git(dir, "status", "--porcelain")).toContain("?? busy/root/untracked.txt");
    expect(git(dir, "ls-files", "busy/root").split("\n")).toHaveLength(121);
    expect(git(dir, "rev-parse", `${git(dir, "write-tree")}:busy/root`)).toBe(root);
  });
});
