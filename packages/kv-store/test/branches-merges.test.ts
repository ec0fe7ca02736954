/** Branches, checkout, merge, revert and key history, in a working tree and in memory. */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryRepository } from "@git-prolly/git-object-store";
import { fromUtf8, utf8 } from "@git-prolly/prolly-core";
import type { Signature } from "@git-prolly/git-object-store";
import { VersionedKvStore } from "../src/index.js";
import {
  closeAndRemove,
  commitEntries,
  dump,
  expectKvError,
  git,
  monorepo,
  removeDir,
  tempDir,
  text,
  writeFile,
} from "./helpers.js";

for (const kind of ["working tree", "memory"] as const) {
  describe(`branches and merges (${kind})`, () => {
    let dir: string;
    let store: VersionedKvStore;
    beforeEach(async () => {
      dir = tempDir("branches");
      if (kind === "memory") store = await VersionedKvStore.fromRepository(createMemoryRepository(), "config");
      else store = await VersionedKvStore.init(join(monorepo(dir), "config"));
      await commitEntries(store, { a: "1", b: "2", c: "3" }, "base");
    });
    afterEach(() => closeAndRemove(store, dir));

    it("creates, lists and deletes branches; refuses bad and duplicate names", async () => {
      await store.branch("feature/x");
      await expectKvError(store.branch("feature/x"), "KV_BRANCH_EXISTS");
      await expectKvError(store.branch("bad..name"), "KV_INVALID_REF_NAME");
      expect((await store.branches()).map((b) => `${b.name}${b.current ? "*" : ""}`)).toEqual(["feature/x", "main*"]);
      await expectKvError(store.deleteBranch("main"), "KV_CURRENT_BRANCH");
      await expectKvError(store.deleteBranch("nope"), "KV_BRANCH_NOT_FOUND");
      await store.checkout("feature/x");
      await store.set("x", "1");
      await store.commit("x");
      await store.checkout("main");
      await expectKvError(store.deleteBranch("feature/x"), "KV_BRANCH_NOT_MERGED");
      await store.deleteBranch("feature/x", { force: true });
      expect((await store.branches()).map((b) => b.name)).toEqual(["main"]);
    });

    it("checks out branches, tags and commits, and refuses to discard uncommitted data", async () => {
      const base = (await store.currentCommit())!;
      await store.checkout("dev", { create: true });
      expect(await store.currentBranch()).toBe("dev");
      await store.set("a", "dev");
      await expectKvError(store.checkout("main"), "KV_UNCOMMITTED_CHANGES");
      expect(await store.getString("a")).toBe("dev");
      await store.commit("dev change");
      await store.checkout("main");
      expect(await store.getString("a")).toBe("1");
      await store.set("b", "uncommitted");
      const forced = await store.checkout("dev", { force: true });
      expect(forced.branch).toBe("dev");
      expect(await store.getString("b")).toBe("2");
      expect(await store.status()).toEqual([]);
      await store.repository.refs.update("refs/tags/v1", base);
      const detached = await store.checkout("v1");
      expect(detached).toMatchObject({
        branch: undefined,
        commit: base,
        scope: kind === "memory" ? "repository" : "dataset",
      });
      expect(await store.currentBranch()).toBeUndefined();
      expect(await store.getString("a")).toBe("1");
      if (kind === "memory") {
        // The whole repository checks out: HEAD is detached and commits go there.
        await store.set("d", "on a detached head");
        const c = await store.commit("detached commit");
        expect(await store.currentCommit()).toBe(c!.id);
      } else {
        // The dataset alone follows the tag, read-only (dataset-follow.test.ts has the details).
        await expectKvError(store.set("d", "on a tag"), "KV_READ_ONLY");
        expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
      }
      await expectKvError(store.checkout("no-such-ref"), "KV_UNKNOWN_REF");
    });

    it("fast-forwards, merges with two parents, and reports key conflicts without writing", async () => {
      await store.checkout("feature", { create: true });
      await store.set("f", "feature");
      await store.commit("feature adds f");
      await store.checkout("main");
      const ff = await store.merge("feature");
      expect(ff.status).toBe("fast-forward");
      expect(await store.getString("f")).toBe("feature");
      expect((await store.merge("feature")).status).toBe("up-to-date");
      // Diverge: main changes a and b, feature changes a and c and deletes... b is modified on main.
      await store.checkout("feature");
      await store.apply([
        { key: "a", value: "theirs" },
        { key: "c", value: "feature-c" },
        { key: "b", value: null },
        { key: "g", value: "new" },
      ]);
      await store.commit("feature edits");
      await store.checkout("main");
      await store.apply([
        { key: "a", value: "ours" },
        { key: "b", value: "main-b" },
        { key: "h", value: "main-only" },
      ]);
      await store.commit("main edits");
      const head = await store.currentCommit();
      const conflicted = await store.merge("feature");
      expect(conflicted.status).toBe("conflicts");
      if (conflicted.status !== "conflicts") throw new Error("unreachable");
      expect(
        conflicted.conflicts.map((c) => [
          fromUtf8(c.key),
          c.kind,
          c.base && fromUtf8(c.base),
          c.ours && fromUtf8(c.ours),
          c.theirs && fromUtf8(c.theirs),
        ]),
      ).toEqual([
        ["a", "modify/modify", "1", "ours", "theirs"],
        ["b", "modify/delete", "2", "main-b", null],
      ]);
      expect(await store.currentCommit()).toBe(head);
      expect(await store.status()).toEqual([]);
      expect(await store.getString("g")).toBeUndefined();
      const merged = await store.merge("feature", {
        resolve: (c) => (fromUtf8(c.key) === "a" ? utf8("resolved") : c.ours),
      });
      expect(merged.status).toBe("merged");
      if (merged.status !== "merged") throw new Error("unreachable");
      expect(merged.resolved).toHaveLength(2);
      const info = await store.show("HEAD");
      expect(info.commit.parents).toHaveLength(2);
      expect(info.commit.subject).toBe("Merge branch 'feature' into main");
      expect(await dump(store)).toEqual({
        a: "resolved",
        b: "main-b",
        c: "feature-c",
        f: "feature",
        g: "new",
        h: "main-only",
      });
      expect(await store.status()).toEqual([]);
      if (kind === "working tree") expect(git(dir, "status", "--porcelain")).toBe("");
    });

    it("resolves with ours or theirs wholesale", async () => {
      await store.checkout("t", { create: true });
      await store.set("a", "T");
      await store.commit("t");
      await store.checkout("main");
      await store.set("a", "M");
      await store.commit("m");
      const r = await store.merge("t", { resolve: "theirs" });
      expect(r.status).toBe("merged");
      expect(await store.getString("a")).toBe("T");
    });

    it("reverts a commit's dataset changes and tracks one key's history", async () => {
      await store.set("a", "2");
      await store.commit("a=2");
      await store.apply([
        { key: "a", value: "3" },
        { key: "z", value: "zz" },
      ]);
      const bad = await store.commit("a=3 and z");
      await store.set("b", "22");
      await store.commit("b=22");
      const r = await store.revert(bad!.id);
      expect(r.status).toBe("reverted");
      expect(await dump(store)).toEqual({ a: "2", b: "22", c: "3" });
      expect((await store.show()).commit.subject).toBe('Revert "a=3 and z"');
      expect((await store.revert("HEAD~1")).status).toBe("reverted");
      expect(await store.getString("b")).toBe("2");
      const history: string[] = [];
      for await (const h of store.history("a"))
        history.push(`${h.commit.subject}=${h.value === null ? "∅" : text(h.value)}`);
      expect(history).toEqual(['Revert "a=3 and z"=2', "a=3 and z=3", "a=2=2", "base=1"]);
      const zh: string[] = [];
      for await (const h of store.history("z"))
        zh.push(`${h.commit.subject}=${h.value === null ? "∅" : text(h.value)}`);
      expect(zh).toEqual(['Revert "a=3 and z"=∅', "a=3 and z=zz"]);
    });
  });
}

describe("merges in a monorepo", () => {
  let dir: string;
  afterEach(() => removeDir(dir));

  it("merge other code paths by path and refuse file conflicts outside the dataset", async () => {
    dir = monorepo(tempDir("mono-merge"));
    const store = await VersionedKvStore.init(join(dir, "config"));
    // The repository switches branches with plain Git (a dataset's own checkout leaves the code).
    git(dir, "checkout", "-q", "-b", "feature");
    writeFile(join(dir, "src/lib.rs"), "fn create_user_profile() {}\n");
    git(dir, "add", "src/lib.rs");
    git(dir, "commit", "-q", "-m", "code on feature");
    await store.set("features:user_profiles", "true");
    await store.commit("data on feature");
    git(dir, "checkout", "-q", "main");
    await store.set("ui:theme", "dark");
    await store.commit("data on main");
    const r = await store.merge("feature");
    expect(r.status).toBe("merged");
    expect(git(dir, "show", "HEAD:src/lib.rs")).toBe("fn create_user_profile() {}");
    expect(await dump(store)).toEqual({ "features:user_profiles": "true", "ui:theme": "dark" });
    expect(git(dir, "status", "--porcelain")).toBe("");
    // Now a real code conflict: both sides edit Cargo.toml.
    git(dir, "checkout", "-q", "-b", "c2");
    writeFile(join(dir, "Cargo.toml"), "theirs\n");
    git(dir, "commit", "-q", "-am", "theirs");
    git(dir, "checkout", "-q", "main");
    writeFile(join(dir, "Cargo.toml"), "ours\n");
    git(dir, "commit", "-q", "-am", "ours");
    const head = await store.currentCommit();
    const e = await expectKvError(store.merge("c2"), "KV_MERGE_CONFLICT");
    expect(e.data.paths).toEqual(["Cargo.toml"]);
    expect(await store.currentCommit()).toBe(head);
    expect(git(dir, "status", "--porcelain")).toBe("");
    await store.close();
  });
});

it("merges a criss-cross history against a virtual base, without spurious conflicts", async () => {
  const repo = createMemoryRepository();
  const s = await VersionedKvStore.fromRepository(repo, "config");
  let t = 1_700_000_000;
  const at = (): { author: Signature; committer: Signature } => {
    t += 10;
    const sig = { name: "T", email: "t@example.com", timestamp: t, timezoneOffset: 0 };
    return { author: sig, committer: sig };
  };
  await s.set("k", "1");
  await s.commit("O", at());
  await s.branch("b");
  await s.set("k", "2");
  const a1 = (await s.commit("A1", at()))!.id;
  await s.checkout("b");
  await s.set("other", "x");
  const b1 = (await s.commit("B1", at()))!.id;
  expect((await s.merge(a1, at())).status).toBe("merged"); // B2
  await s.checkout("main");
  expect((await s.merge(b1, at())).status).toBe("merged"); // A2
  await s.set("k", "3");
  const a3 = (await s.commit("A3", at()))!.id;
  await s.checkout("b");
  await s.set("other", "y");
  const b3 = (await s.commit("B3", at()))!.id;
  expect((await repo.mergeBases(a3, b3)).sort()).toEqual([a1, b1].sort());
  await s.checkout("main");
  const r = await s.merge("b", at());
  expect(r.status).toBe("merged");
  expect(await dump(s)).toEqual({ k: "3", other: "y" });
});
