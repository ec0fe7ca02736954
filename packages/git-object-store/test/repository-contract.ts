/**
 * The contract every Repository implementation keeps, run against the in-memory repository and
 * against real Git repositories on disk.
 */
import { beforeEach, afterEach, describe, expect, it } from "vitest";
import { applyEdits, buildTree, getValue, utf8, fromUtf8, type NodeId } from "@git-prolly/prolly-core";
import { EMPTY_TREE_ID, type ObjectId, type Repository, isGitStoreError, mergeTreesByPath } from "../src/index.js";
import { hashObject } from "../src/objects/object-id.js";
import { bytes, sig, text } from "./helpers.js";

export interface RepoFixture {
  readonly repo: Repository;
  readonly cleanup: () => Promise<void>;
}

async function commitOn(repo: Repository, parents: ObjectId[], t: number, file = `f${t}`): Promise<ObjectId> {
  const blob = await repo.writeBlob(bytes(`content ${t}\n`));
  const tree = await repo.editTree(undefined, [{ path: file, entry: { mode: "100644", id: blob } }]);
  const id = await repo.writeCommit({ tree, parents, author: sig(t), committer: sig(t), message: `commit ${t}\n` });
  await repo.objects.flush();
  return id;
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isGitStoreError(e), `expected ${code}, got ${String(e)}`).toBe(true);
  expect((e as { code: string }).code).toBe(code);
}

export function repositoryContract(name: string, make: () => Promise<RepoFixture>): void {
  describe(`Repository contract: ${name}`, () => {
    let fx: RepoFixture;
    let repo: Repository;
    beforeEach(async () => {
      fx = await make();
      repo = fx.repo;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it("stores objects under Git's ids and reads them back before and after a flush", async () => {
      const [id] = await repo.objects.write([{ type: "blob", content: bytes("hello\n") }]);
      expect(id).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
      expect(text((await repo.readObject(id!, "blob")).content)).toBe("hello\n");
      await repo.objects.flush();
      expect(repo.objects.pendingCount).toBe(0);
      expect(await repo.objects.has(id!)).toBe(true);
      expect(text(await repo.readBlob(id!))).toBe("hello\n");
      expect(await repo.objects.read("0".repeat(40))).toBeUndefined();
      await expectCode(repo.readObject("1".repeat(40)), "GIT_OBJECT_NOT_FOUND");
      await expectCode(repo.readTree(id!), "GIT_WRONG_OBJECT_TYPE");
      expect(await repo.objects.has(EMPTY_TREE_ID)).toBe(true);
    });

    it("writes many objects as one batch and finds them by short id", async () => {
      const objects = Array.from({ length: 600 }, (_, i) => ({
        type: "blob" as const,
        content: bytes(`blob number ${i}\n`),
      }));
      const ids = await repo.objects.writePack(objects);
      for (let i = 0; i < ids.length; i += 37) expect(text(await repo.readBlob(ids[i]!))).toBe(`blob number ${i}\n`);
      expect(ids[5]).toBe(hashObject("blob", bytes("blob number 5\n")));
      expect(await repo.objects.findByPrefix(ids[7]!.slice(0, 12))).toEqual([ids[7]]);
    });

    it("edits trees in place along the edited paths only", async () => {
      const a = await repo.writeBlob(bytes("a"));
      const b = await repo.writeBlob(bytes("b"));
      const base = await repo.editTree(undefined, [
        { path: "src/main.ts", entry: { mode: "100644", id: a } },
        { path: "run.sh", entry: { mode: "100755", id: a } },
        { path: "config/prolly.json", entry: { mode: "100644", id: a } },
        { path: "config/root", entry: { mode: "100644", id: a } },
      ]);
      const next = await repo.editTree(base, [{ path: "config/root", entry: { mode: "100644", id: b } }]);
      const before = new Map((await repo.readTree(base)).map((e) => [e.name, e]));
      const after = new Map((await repo.readTree(next)).map((e) => [e.name, e]));
      expect(after.get("src")).toEqual(before.get("src"));
      expect(after.get("run.sh")).toEqual({ mode: "100755", name: "run.sh", id: a });
      expect(after.get("config")!.id).not.toBe(before.get("config")!.id);
      expect(await repo.readEntry(next, "config/root")).toEqual({ mode: "100644", name: "root", id: b });
      // Removing a directory's last entry removes the directory.
      const pruned = await repo.editTree(next, [{ path: "src/main.ts", entry: null }]);
      expect((await repo.readTree(pruned)).map((e) => e.name)).toEqual(["config", "run.sh"]);
      expect(
        await repo.editTree(pruned, [
          { path: "config", entry: null },
          { path: "run.sh", entry: null },
        ]),
      ).toBe(EMPTY_TREE_ID);
      await expectCode(repo.editTree(base, [{ path: "../x", entry: null }]), "GIT_INVALID_PATH");
      await expectCode(repo.editTree(base, [{ path: "a/.git/x", entry: null }]), "GIT_INVALID_PATH");
      await expectCode(
        repo.editTree(base, [
          { path: "config", entry: null },
          { path: "config/root", entry: null },
        ]),
        "GIT_INVALID_PATH",
      );
    });

    it("lists file changes between trees, walking only what differs", async () => {
      const blobs = await Promise.all(["1", "2", "3"].map((s) => repo.writeBlob(bytes(s))));
      const t1 = await repo.editTree(undefined, [
        { path: "d/a", entry: { mode: "100644", id: blobs[0]! } },
        { path: "d/b", entry: { mode: "100644", id: blobs[1]! } },
        { path: "d/sub/c", entry: { mode: "100644", id: blobs[2]! } },
      ]);
      const t2 = await repo.editTree(t1, [
        { path: "d/a", entry: { mode: "100644", id: blobs[1]! } },
        { path: "d/sub", entry: null },
        { path: "d/sub2/x", entry: { mode: "100644", id: blobs[0]! } },
      ]);
      const changes = [];
      for await (const c of repo.diffTreePaths({ mode: "40000", id: t1 }, { mode: "40000", id: t2 }, "top"))
        changes.push(c);
      expect(changes).toEqual([
        {
          path: "top/d/a",
          before: { mode: "100644", name: "a", id: blobs[0] },
          after: { mode: "100644", name: "a", id: blobs[1] },
        },
        { path: "top/d/sub/c", before: { mode: "100644", name: "c", id: blobs[2] } },
        { path: "top/d/sub2/x", after: { mode: "100644", name: "x", id: blobs[0] } },
      ]);
      // A file that becomes a directory: the file goes first, then the files below.
      const asFile = await repo.editTree(undefined, [{ path: "r", entry: { mode: "100644", id: blobs[0]! } }]);
      const asDir = await repo.editTree(undefined, [{ path: "r/x", entry: { mode: "100644", id: blobs[0]! } }]);
      const flips = [];
      for await (const c of repo.diffTreePaths({ mode: "40000", id: asFile }, { mode: "40000", id: asDir }, ""))
        flips.push(c.path + (c.after ? "+" : "-"));
      expect(flips).toEqual(["/r-", "/r/x+"]);
    });

    it("merges trees by path: one-sided changes taken, both-sided changes conflict, skipped paths left alone", async () => {
      const [v1, v2, v3, v4] = await Promise.all(["1", "2", "3", "4"].map((x) => repo.writeBlob(bytes(x))));
      const file = (id: string) => ({ mode: "100644" as const, id });
      const base = await repo.editTree(undefined, [
        { path: "src/a", entry: file(v1!) },
        { path: "src/b", entry: file(v1!) },
        { path: "data/root", entry: file(v1!) },
        { path: "README", entry: file(v1!) },
      ]);
      const ours = await repo.editTree(base, [
        { path: "src/a", entry: file(v2!) },
        { path: "data/root", entry: file(v2!) },
        { path: "ours-only", entry: file(v2!) },
      ]);
      const theirs = await repo.editTree(base, [
        { path: "src/b", entry: file(v3!) },
        { path: "data/root", entry: file(v3!) },
        { path: "README", entry: null },
      ]);
      const skip = (p: string): boolean => p === "data/root";
      const merged = await mergeTreesByPath(repo.objects, base, ours, theirs, { skip });
      expect(merged.ok).toBe(true);
      if (!merged.ok) throw new Error("unreachable");
      const at = async (p: string) => (await repo.readEntry(merged.tree, p))?.id;
      expect([
        await at("src/a"),
        await at("src/b"),
        await at("data/root"),
        await at("ours-only"),
        await at("README"),
      ]).toEqual([v2, v3, v2, v2, undefined]);
      const clash = await repo.editTree(theirs, [{ path: "src/a", entry: file(v4!) }]);
      expect(await mergeTreesByPath(repo.objects, base, ours, clash, { skip })).toEqual({
        ok: false,
        conflicts: ["src/a"],
      });
      expect(await mergeTreesByPath(repo.objects, base, ours, ours)).toEqual({ ok: true, tree: ours });
      expect(await mergeTreesByPath(repo.objects, base, base, theirs)).toEqual({ ok: true, tree: theirs });
    });

    it("round-trips commits and reads entries at paths", async () => {
      const blob = await repo.writeBlob(bytes("v"));
      const tree = await repo.editTree(undefined, [{ path: "a/b/c", entry: { mode: "100644", id: blob } }]);
      const id = await repo.writeCommit({
        tree,
        parents: [],
        author: sig(1000, "Ann"),
        committer: sig(2000, "Bob"),
        message: "subject\n\nbody",
      });
      const c = await repo.readCommit(id);
      expect(c).toEqual({
        id,
        tree,
        parents: [],
        author: sig(1000, "Ann"),
        committer: sig(2000, "Bob"),
        message: "subject\n\nbody\n",
      });
      expect((await repo.readEntry(tree, "a/b"))?.mode).toBe("40000");
      expect(await repo.readEntry(tree, "a/x")).toBeUndefined();
      expect(await repo.readEntry(tree, "a/b/c/d")).toBeUndefined();
    });

    it("updates refs with compare-and-swap and never loses an update", async () => {
      const c1 = await commitOn(repo, [], 100);
      const c2 = await commitOn(repo, [c1], 200);
      expect(await repo.readHead()).toEqual({
        kind: "branch",
        ref: expect.stringMatching(/^refs\/heads\//),
        id: undefined,
      });
      await repo.refs.update("refs/heads/topic", c1, { expected: null });
      await expectCode(repo.refs.update("refs/heads/topic", c2, { expected: null }), "GIT_REF_MOVED");
      await expectCode(repo.refs.update("refs/heads/topic", c2, { expected: c2 }), "GIT_REF_MOVED");
      expect(await repo.refs.resolve("refs/heads/topic")).toBe(c1);
      await repo.refs.update("refs/heads/topic", c2, { expected: c1 });
      expect(await repo.refs.resolve("refs/heads/topic")).toBe(c2);
      // Many concurrent swaps from the same value: exactly one wins.
      const results = await Promise.allSettled(
        [c1, c1, c1, c1].map(() => repo.refs.update("refs/heads/topic", c1, { expected: c2 })),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results)
        if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe("GIT_REF_MOVED");
      await repo.refs.setSymbolic("HEAD", "refs/heads/topic");
      expect(await repo.readHead()).toEqual({ kind: "branch", ref: "refs/heads/topic", id: c1 });
      await repo.refs.update("HEAD", c2);
      expect(await repo.readHead()).toEqual({ kind: "detached", id: c2 });
      expect(await repo.refs.resolve("refs/heads/topic")).toBe(c1);
      await repo.refs.update("refs/tags/v1", c1);
      await repo.refs.update("refs/heads/a/b", c2);
      expect((await repo.refs.list("refs/heads/")).map((r) => r.name)).toEqual(["refs/heads/a/b", "refs/heads/topic"]);
      await expectCode(repo.refs.update("refs/heads/a", c1), "GIT_INVALID_REF_NAME");
      await expectCode(repo.refs.update("refs/heads/a/b/c", c1), "GIT_INVALID_REF_NAME");
      await expectCode(repo.refs.update("refs/heads/bad..name", c1), "GIT_INVALID_REF_NAME");
      await expectCode(repo.refs.update("refs/heads/x.lock", c1), "GIT_INVALID_REF_NAME");
      await expectCode(repo.refs.delete("refs/heads/a/b", { expected: c1 }), "GIT_REF_MOVED");
      await repo.refs.delete("refs/heads/a/b", { expected: c2 });
      await expectCode(repo.refs.delete("refs/heads/a/b"), "GIT_REF_NOT_FOUND");
      expect(await repo.refs.resolve("refs/heads/a/b")).toBeUndefined();
    });

    it("resolves revisions: names, short ids, ancestry suffixes, tags and paths", async () => {
      const c1 = await commitOn(repo, [], 100);
      const c2 = await commitOn(repo, [c1], 200);
      const side = await commitOn(repo, [c1], 250);
      const merge = await commitOn(repo, [c2, side], 300);
      await repo.refs.update("refs/heads/main", merge);
      await repo.refs.setSymbolic("HEAD", "refs/heads/main");
      await repo.refs.update("refs/tags/v1", c1);
      expect(await repo.resolveRevision("HEAD")).toBe(merge);
      expect(await repo.resolveRevision("@")).toBe(merge);
      expect(await repo.resolveRevision("main")).toBe(merge);
      expect(await repo.resolveRevision("refs/heads/main")).toBe(merge);
      expect(await repo.resolveRevision("HEAD~1")).toBe(c2);
      expect(await repo.resolveRevision("HEAD~2")).toBe(c1);
      expect(await repo.resolveRevision("HEAD^2")).toBe(side);
      expect(await repo.resolveRevision("main^^")).toBe(c1);
      expect(await repo.resolveRevision("HEAD^0")).toBe(merge);
      expect(await repo.resolveRevision("v1")).toBe(c1);
      expect(await repo.resolveRevision(side.slice(0, 10))).toBe(side);
      expect(await repo.resolveRevision(side)).toBe(side);
      expect(await repo.resolveRevision("HEAD^{tree}", "tree")).toBe((await repo.readCommit(merge)).tree);
      expect(await repo.resolveRevision("HEAD:f300", "any")).toBe(await repo.writeBlob(bytes("content 300\n")));
      await expectCode(repo.resolveRevision("nope"), "GIT_UNKNOWN_REVISION");
      await expectCode(repo.resolveRevision("HEAD~9"), "GIT_UNKNOWN_REVISION");
      await expectCode(repo.resolveRevision("HEAD^3"), "GIT_UNKNOWN_REVISION");
      await expectCode(repo.resolveRevision("HEAD:missing", "any"), "GIT_UNKNOWN_REVISION");
    });

    it("finds true merge bases, including both bases of a criss-cross", async () => {
      const root = await commitOn(repo, [], 100);
      const a1 = await commitOn(repo, [root], 110);
      const b1 = await commitOn(repo, [root], 120);
      expect(await repo.mergeBases(a1, b1)).toEqual([root]);
      expect(await repo.isAncestor(root, a1)).toBe(true);
      expect(await repo.isAncestor(a1, b1)).toBe(false);
      expect(await repo.mergeBases(root, a1)).toEqual([root]);
      // Criss-cross: each side merges the other.
      const a2 = await commitOn(repo, [a1, b1], 130);
      const b2 = await commitOn(repo, [b1, a1], 140);
      expect((await repo.mergeBases(a2, b2)).sort()).toEqual([a1, b1].sort());
      const lone = await commitOn(repo, [], 150);
      expect(await repo.mergeBases(a2, lone)).toEqual([]);
    });

    it("walks the whole history newest first, with no cap", async () => {
      let id = await commitOn(repo, [], 1000);
      const ids = [id];
      for (let i = 1; i < 130; i++) ids.push((id = await commitOn(repo, [id], 1000 + i)));
      const seen: ObjectId[] = [];
      for await (const c of repo.walkCommits([id])) seen.push(c.id);
      expect(seen).toEqual([...ids].reverse());
      const side = await commitOn(repo, [ids[10]!], 5000);
      const merge = await commitOn(repo, [id, side], 6000);
      const first: ObjectId[] = [];
      for await (const c of repo.walkCommits([merge], { firstParent: true })) first.push(c.id);
      expect(first).not.toContain(side);
      expect(first).toHaveLength(131);
      const excluded: ObjectId[] = [];
      for await (const c of repo.walkCommits([merge], { exclude: [id] })) excluded.push(c.id);
      expect(excluded).toEqual([merge, side]);
    });

    it("serialises state updates", async () => {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          repo.state.update("counter/value", (cur) => bytes(String(Number(cur === undefined ? "0" : text(cur)) + 1))),
        ),
      );
      expect(text((await repo.state.read("counter/value"))!)).toBe("20");
      await repo.state.update("counter/value", () => null);
      expect(await repo.state.read("counter/value")).toBeUndefined();
    });

    it("lets a tree read back from storage be edited twice from the same root", async () => {
      const entries = Array.from(
        { length: 20_000 },
        (_, i) => [utf8(`k${String(i).padStart(6, "0")}`), utf8(`v${i}`)] as const,
      );
      const root = (await buildTree(repo.createNodeStore(), entries)) as NodeId;
      await repo.objects.flush();
      const store = repo.createNodeStore(); // nodes now come from storage (Buffers on disk)
      const a = await applyEdits(store, root, [{ key: utf8("k000100"), value: utf8("A") }]);
      const b = await applyEdits(store, root, [{ key: utf8("k019000"), value: utf8("B") }]);
      const c = await applyEdits(store, a, [{ key: utf8("k019001"), value: utf8("C") }]);
      await repo.objects.flush();
      const fresh = repo.createNodeStore();
      expect(fromUtf8((await getValue(fresh, b, utf8("k000100")))!)).toBe("v100");
      expect(fromUtf8((await getValue(fresh, a, utf8("k019001")))!)).toBe("v19001");
      expect(fromUtf8((await getValue(fresh, c, utf8("k000100")))!)).toBe("A");
      const expected = await buildTree(
        repo.createNodeStore(),
        entries.map(([k, v]) => [k, fromUtf8(k) === "k019000" ? utf8("B") : v] as const),
      );
      expect(b).toBe(expected);
    });

    it("stores prolly trees as Git objects readable by a fresh node store", async () => {
      const store = repo.createNodeStore();
      const entries = Array.from(
        { length: 3000 },
        (_, i) => [utf8(`key:${String(i).padStart(5, "0")}`), utf8(`value ${i}`)] as const,
      );
      const root = await buildTree(store, entries);
      await repo.objects.flush();
      const fresh = repo.createNodeStore();
      expect(fromUtf8((await getValue(fresh, root as NodeId, utf8("key:01234")))!)).toBe("value 1234");
      expect((await repo.readObject(root)).type).toBe("tree");
    });
  });
}
