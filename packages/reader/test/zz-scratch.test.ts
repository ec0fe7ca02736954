import { rmSync, writeFileSync, cpSync } from "node:fs";
import { join } from "node:path";
import { VersionedKvStore } from "@git-prolly/kv-store";
import { it } from "vitest";
import { open } from "../src/index.js";
import { git, monorepo, tempDir } from "./helpers.js";

const tryIt = (label: string, f: () => unknown): void => {
  try { console.log(label, "=>", f()); } catch (e) { console.log(label, "THROWS", (e as any).code ?? e, (e as Error).message); }
};

it("scratch", async () => {
  const root = tempDir("scr");
  const repo = monorepo(join(root, "data"));
  const store = await VersionedKvStore.init(join(repo, "config"));
  await store.set("a", "1"); await store.commit("c1");
  await store.set("a", "2"); await store.commit("c2");
  await store.close();
  git(repo, "gc", "-q");
  const app = monorepo(join(root, "app"));
  git(app, "-c", "protocol.file.allow=always", "submodule", "add", "-q", repo, "libs/data");
  const sub = join(app, "libs/data/config");
  tryIt("nested submodule HEAD", () => open(sub, { ref: "HEAD" }).getString("a"));
  tryIt("nested submodule HEAD~1", () => open(sub, { ref: "HEAD~1" }).getString("a"));
  tryIt("nested submodule origin/main", () => open(sub, { ref: "origin/main" }).getString("a"));
  const mirror = join(root, "mirror.git");
  git(root, "clone", "-q", "--mirror", repo, mirror);
  tryIt("mirror", () => open(join(mirror, "config"), { ref: "main~1" }).getString("a"));
  const shared = join(root, "shared");
  git(root, "clone", "-q", "--shared", repo, shared);
  tryIt("shared clone (alternates)", () => open(join(shared, "config"), { ref: "HEAD" }).getString("a"));
  const sharedBare = join(root, "shared.git");
  git(root, "clone", "-q", "--bare", "--shared", repo, sharedBare);
  tryIt("shared bare clone (alternates)", () => open(join(sharedBare, "config"), { ref: "HEAD" }).getString("a"));
  // detached HEAD in bare
  const bare = join(root, "b.git");
  git(root, "clone", "-q", "--bare", repo, bare);
  writeFileSync(join(bare, "HEAD"), git(bare, "rev-parse", "main~1") + "\n");
  tryIt("bare detached HEAD", () => open(join(bare, "config"), { ref: "HEAD" }).getString("a"));
  tryIt("bare objects subpath", () => open(join(bare, "objects"), { ref: "main" }).getString("a"));
  // deployed copy of a submodule without the superproject .git
  const deployed = join(root, "deployed");
  cpSync(join(app, "libs/data"), deployed, { recursive: true });
  tryIt("copied submodule (dangling .git file)", () => open(join(deployed, "config"), { ref: "HEAD" }).getString("a"));
  tryIt("copied submodule files", () => open(join(deployed, "config")).getString("a"));
  // worktree of submodule
  const subwt = join(root, "subwt");
  git(join(app, "libs/data"), "worktree", "add", "-q", "--detach", subwt, "HEAD~1");
  tryIt("worktree of submodule HEAD", () => open(join(subwt, "config"), { ref: "HEAD" }).getString("a"));
  tryIt("worktree of submodule main", () => open(join(subwt, "config"), { ref: "main" }).getString("a"));
  // worktree whose main repo is gone
  const wt = join(root, "wt");
  git(repo, "worktree", "add", "-q", wt, "-b", "x");
  rmSync(join(repo, ".git", "worktrees"), { recursive: true });
  tryIt("orphaned worktree", () => open(join(wt, "config"), { ref: "HEAD" }).getString("a"));
  // .git/ as a path
  tryIt(".git dir directly", () => open(join(repo, ".git"), { ref: "HEAD" }).getString("a"));
  tryIt("merge parent ^2 of non-merge", () => open(join(repo, "config"), { ref: "HEAD^2" }).getString("a"));
  tryIt("HEAD@{1}", () => open(join(repo, "config"), { ref: "HEAD@{1}" }).getString("a"));
  tryIt("main^{commit}", () => open(join(repo, "config"), { ref: "main^{commit}" }).getString("a"));
  tryIt("empty ref", () => open(join(repo, "config"), { ref: "" }).getString("a"));
  tryIt("refs/heads/main", () => open(join(repo, "config"), { ref: "refs/heads/main" }).getString("a"));
}, 60_000);
