/** Submodules (`.git` files) and linked worktrees (`commondir`), made with the real git CLI. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { findRepository, openGitRepository } from "../src/index.js";
import { bytes, git, removeDir, tempDir } from "./helpers.js";

let root: string;
beforeEach(() => {
  root = tempDir("layouts");
});
afterEach(() => removeDir(root));

function initWithCommit(dir: string): void {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  writeFileSync(join(dir, "README.md"), "readme\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "init");
}

it("opens a submodule through its .git file and writes commits git sees", async () => {
  initWithCommit(join(root, "kv-data"));
  initWithCommit(join(root, "app"));
  git(join(root, "app"), "-c", "protocol.file.allow=always", "submodule", "add", "-q", join(root, "kv-data"), "data");
  const sub = join(root, "app", "data");
  const layout = await findRepository(join(sub, "nested", "path"));
  expect(layout).toEqual({
    gitDir: join(root, "app/.git/modules/data"),
    commonDir: join(root, "app/.git/modules/data"),
    workTree: sub,
    bare: false,
  });
  const repo = await openGitRepository(sub);
  const head = await repo.readHead();
  expect(head.kind).toBe("branch");
  const parent = await repo.readCommit(head.id!);
  const blob = await repo.writeBlob(bytes("value\n"));
  const tree = await repo.editTree(parent.tree, [{ path: "config/key", entry: { mode: "100644", id: blob } }]);
  const id = await repo.writeCommit({
    tree,
    parents: [parent.id],
    ...(await repo.identity()),
    message: "from the submodule",
  });
  await repo.objects.flush();
  await repo.refs.update((head as { ref: string }).ref, id, { expected: parent.id });
  expect(git(sub, "log", "-1", "--format=%s")).toBe("from the submodule");
  expect(git(sub, "cat-file", "-p", "HEAD:config/key")).toBe("value");
  expect(existsSync(join(root, "app/.git/modules/data/objects", id.slice(0, 2), id.slice(2)))).toBe(true);
  await repo.close();
});

it("opens a linked worktree: HEAD is the worktree's own, objects and branches are shared", async () => {
  const main = join(root, "myapp");
  initWithCommit(main);
  git(main, "branch", "staging");
  git(main, "worktree", "add", "-q", join(root, "myapp-staging"), "staging");
  const wt = join(root, "myapp-staging");
  const layout = await findRepository(wt);
  expect(layout?.gitDir).toBe(join(main, ".git/worktrees/myapp-staging"));
  expect(layout?.commonDir).toBe(join(main, ".git"));
  const repo = await openGitRepository(wt);
  expect(await repo.readHead()).toEqual({
    kind: "branch",
    ref: "refs/heads/staging",
    id: git(main, "rev-parse", "staging"),
  });
  const parent = await repo.readCommit((await repo.refs.resolve("HEAD"))!);
  const blob = await repo.writeBlob(bytes("staging value\n"));
  const tree = await repo.editTree(parent.tree, [{ path: "config/db", entry: { mode: "100644", id: blob } }]);
  const id = await repo.writeCommit({
    tree,
    parents: [parent.id],
    ...(await repo.identity()),
    message: "staging data",
  });
  await repo.objects.flush();
  await repo.refs.update("refs/heads/staging", id, { expected: parent.id });
  expect(git(main, "log", "-1", "--format=%s", "staging")).toBe("staging data");
  expect(git(wt, "rev-parse", "HEAD")).toBe(id);
  expect(git(main, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
  git(main, "fsck", "--strict");
  // The worktree's index is its own.
  expect((await repo.worktree!.readIndex()).entries.map((e) => e.path)).toEqual(["README.md"]);
  await repo.close();
});

it("opens bare repositories and finds nothing outside a repository", async () => {
  const bare = join(root, "kv-data.git");
  git(root, "init", "-q", "--bare", "-b", "main", bare);
  const repo = await openGitRepository(bare);
  expect(repo.bare).toBe(true);
  expect(repo.worktree).toBeUndefined();
  expect(await repo.readHead()).toEqual({ kind: "branch", ref: "refs/heads/main", id: undefined });
  await repo.close();
  expect(await findRepository(join(root, "nowhere"))).toBeUndefined();
  const e = await openGitRepository(join(root, "nowhere")).catch((x: unknown) => x);
  expect((e as { code: string }).code).toBe("GIT_REPO_NOT_FOUND");
});
