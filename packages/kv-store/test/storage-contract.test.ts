/**
 * The storage contract of DESIGN.md §3, checked with plain git on real repositories:
 * R1 reachable, R3 scoped, R5 deployable (R2, R4, R6 are in their own files).
 */
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { childName, decodeIndex, decodeLeaf, fromUtf8, INDEX_ENTRY_NAME } from "@git-prolly/prolly-core";
import { VersionedKvStore } from "../src/index.js";
import { dump, git, monorepo, removeDir, tempDir, writeFile } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("contract");
});
afterEach(() => removeDir(dir));

/** Reads a dataset from plain files, the way a deployed application (the reader) would. */
function readFromFiles(datasetDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string): void => {
    if (statSync(path).isFile()) {
      const leaf = decodeLeaf(readFileSync(path));
      for (let i = 0; i < leaf.count; i++) out[fromUtf8(leaf.key(i))] = fromUtf8(leaf.value(i));
      return;
    }
    const index = decodeIndex(readFileSync(join(path, INDEX_ENTRY_NAME)));
    for (const key of index.keys) walk(join(path, childName(key)));
  };
  walk(join(datasetDir, "root"));
  return out;
}

function expected(n: number, tag: string): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i < n; i++) o[`key:${String(i).padStart(5, "0")}`] = `${tag}-${i}-${"x".repeat(i % 50)}`;
  return o;
}

describe("R1: every version is reachable through Git's own object graph", () => {
  it("survives git clone, git gc --prune=now --aggressive and git fsck --strict on every branch", async () => {
    monorepo(dir);
    const store = await VersionedKvStore.init(join(dir, "config"));
    const data: Record<string, Record<string, string>> = {};
    await store.import(Object.entries(expected(3000, "main")), { sorted: true });
    await store.commit("main data");
    data.main = await dump(store);
    await store.checkout("feature", { create: true });
    await store.apply(
      Array.from({ length: 200 }, (_, i) => ({ key: `key:${String(i * 7).padStart(5, "0")}`, value: `feature-${i}` })),
    );
    await store.set("feature:flag", "on");
    await store.commit("feature data");
    data.feature = await dump(store);
    await store.checkout("main");
    await store.checkout("staging", { create: true });
    await store.delete("key:00001");
    await store.set("db:host", "staging-db.example.com");
    await store.commit("staging data");
    data.staging = await dump(store);
    await store.checkout("main");
    await store.set("main:late", "1");
    await store.commit("more main data");
    data.main = await dump(store);
    await store.close();

    const clone = join(dir, "..", `${dir.split("/").pop()}-clone`);
    try {
      git(join(dir, ".."), "clone", "-q", "--no-local", dir, clone);
      for (const repo of [dir, clone]) {
        git(repo, "gc", "--prune=now", "--aggressive", "-q");
        git(repo, "fsck", "--strict", "--full", "--no-dangling");
      }
      git(clone, "checkout", "-q", "-b", "feature", "origin/feature");
      git(clone, "checkout", "-q", "-b", "staging", "origin/staging");
      git(clone, "checkout", "-q", "main");
      for (const repo of [dir, clone]) {
        const s = await VersionedKvStore.open(join(repo, "config"));
        for (const branch of ["main", "feature", "staging"]) {
          expect(await dump(s, branch), `${repo} ${branch}`).toEqual(data[branch]);
          await s.checkout(branch);
          expect(await dump(s)).toEqual(data[branch]);
        }
        await s.close();
      }
    } finally {
      removeDir(clone);
    }
  }, 120_000);
});

describe("R3: a data commit is scoped to the dataset", () => {
  it("includes none of the other staged or unstaged changes, loses none, and leaves the dataset clean", async () => {
    monorepo(dir);
    const config = await VersionedKvStore.init(join(dir, "config"));
    const users = await VersionedKvStore.init(join(dir, "user-data"));
    await users.set("schema:version", "1");
    await users.commit("user data");
    // Unrelated work: a staged new file, a staged edit, an unstaged edit, an untracked file,
    // and a staged-but-uncommitted change in the other dataset.
    writeFile(join(dir, "src/new.rs"), "pub fn new() {}\n");
    git(dir, "add", "src/new.rs");
    writeFile(join(dir, "Cargo.toml"), '[package]\nname = "myapp"\nversion = "2"\n');
    git(dir, "add", "Cargo.toml");
    writeFile(join(dir, "src/main.rs"), "fn main() { /* unstaged */ }\n");
    writeFile(join(dir, "notes.txt"), "untracked\n");
    await users.set("schema:user_profile", "name,email");
    await users.flush(); // Git sees buffered sets once flushed
    const before = git(dir, "status", "--porcelain");

    await config.set("app:name", "MyApp");
    await config.set("app:version", "1.0.0");
    const commit = await config.commit("Initial app configuration");
    const changed = git(dir, "show", "--name-only", "--format=", commit!.id).split("\n");
    expect(changed.every((p) => p.startsWith("config/"))).toBe(true);
    expect(git(dir, "status", "--porcelain")).toBe(before);
    expect(git(dir, "status", "--porcelain", "--", "config")).toBe("");
    expect(readFileSync(join(dir, "src/main.rs"), "utf8")).toContain("unstaged");
    expect(git(dir, "diff", "--cached", "--name-only").split("\n").sort()).toEqual([
      "Cargo.toml",
      "src/new.rs",
      "user-data/root",
    ]);
    // The other dataset still has its staged change, and commits it on its own.
    expect((await users.status()).map((s) => fromUtf8(s.key))).toEqual(["schema:user_profile"]);
    await users.commit("profile schema");
    expect(
      git(dir, "show", "--name-only", "--format=", "HEAD")
        .split("\n")
        .every((p) => p.startsWith("user-data/")),
    ).toBe(true);
    expect(git(dir, "diff", "--cached", "--name-only").split("\n").sort()).toEqual(["Cargo.toml", "src/new.rs"]);
    await config.close();
    await users.close();
  });

  it("commits a dataset at the repository root without touching README or other files", async () => {
    git(dir, "init", "-q", "-b", "main");
    writeFile(join(dir, "README.md"), "kv data\n");
    git(dir, "add", "README.md");
    git(dir, "commit", "-q", "-m", "readme");
    const store = await VersionedKvStore.init(dir);
    writeFile(join(dir, "README.md"), "edited, not committed\n");
    await store.set("config:app:name", "MyApp");
    const c = await store.commit("data");
    expect(git(dir, "show", "--name-only", "--format=", c!.id)).toBe("root");
    expect(git(dir, "status", "--porcelain")).toBe("M README.md");
    await store.close();
  });
});

describe("R5: the checked-out files hold the whole tree", () => {
  it("a copy of the working tree without .git still has every value", async () => {
    monorepo(dir);
    const store = await VersionedKvStore.init(join(dir, "config"));
    const data = expected(5000, "v");
    await store.import(Object.entries(data), { sorted: true });
    await store.set("app:name", "MyApp");
    data["app:name"] = "MyApp";
    await store.commit("data");
    expect((await store.stats()).depth).toBeGreaterThan(1);
    await store.close();
    const copy = join(dir, "deployed");
    cpSync(join(dir, "config"), copy, { recursive: true });
    expect(existsSync(join(copy, ".git"))).toBe(false);
    expect(readFromFiles(copy)).toEqual(data);
    expect(readdirSync(copy).sort()).toEqual(["prolly.json", "root"]);
    // A fresh clone's checkout has the same files.
    const clone = `${dir}-clone`;
    try {
      git(join(dir, ".."), "clone", "-q", dir, clone);
      expect(readFromFiles(join(clone, "config"))).toEqual(data);
    } finally {
      removeDir(clone);
    }
  });
});
