/**
 * `{ ref }` in bare repositories (seed 000's separate data repository: `git clone --bare …;
 * cd kv-data; git-prolly init`), written by kv-store: the repository directory itself, or a
 * dataset sub-path of its tree; loose objects, packed refs, and packs with deltas after `git gc`;
 * linked worktrees of a bare repository; and typed errors for what is not there.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VersionedKvStore } from "@git-prolly/kv-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open } from "../src/index.js";
import { expectReaderError, git, monorepo, removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

const key = (i: number): string => `user:${String(i).padStart(6, "0")}`;
const value = (i: number, v: number): string => `{"id":${i},"plan":"${(i + v) % 4 === 0 ? "pro" : "free"}","v":${v}}`;

/** Every entry the store holds at `ref`, as text. */
async function storeAt(store: VersionedKvStore, ref: string): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for await (const e of store.list({ ref })) m.set(Buffer.from(e.key).toString(), Buffer.from(e.value).toString());
  return m;
}

/** Every entry the reader returns at `ref`, by listing and by `get` of each key (and of absent ones). */
function readerAt(path: string, ref: string): Map<string, string> {
  const r = open(path, { ref });
  const m = new Map([...r.list()].map((e) => [Buffer.from(e.key).toString(), Buffer.from(e.value).toString()]));
  for (const [k, v] of m) expect(r.getString(k)).toBe(v);
  for (let i = 0; i < 4_400; i += 97) expect(r.getString(key(i))).toBe(m.get(key(i)));
  r.close();
  return m;
}

describe("a bare data repository (git clone --bare …; cd kv-data; git-prolly init)", () => {
  let root: string;
  let kvData: string;
  let store: VersionedKvStore;
  const refs = ["main", "HEAD", "HEAD~1", "production", "staging", "staging^", "v1", "v1-light"];

  beforeAll(async () => {
    root = tempDir("bare");
    const origin = join(root, "kv-data-origin.git");
    git(root, "init", "-q", "--bare", "-b", "main", origin);
    git(root, "clone", "-q", "--bare", origin, join(root, "kv-data"));
    kvData = join(root, "kv-data");
    store = await VersionedKvStore.init(kvData);
    await store.import(
      Array.from({ length: 4_000 }, (_, i) => [key(i), value(i, 0)] as const),
      { sorted: true },
    );
    await store.set("config:app:name", "MyApp");
    await store.commit("Initial configuration");
    for (const [branch, v] of [
      ["production", 1],
      ["staging", 2],
      ["staging", 3],
    ] as const) {
      if (v !== 3) await store.checkout(branch, { create: true });
      await store.apply(
        Array.from({ length: 50 }, (_, j) => ({ key: key(j * 80 + v), value: j % 7 === 0 ? null : value(j, v) })),
      );
      await store.set("db:host", `${branch}-db.example.com`);
      await store.commit(`${branch} ${v}`);
    }
    await store.checkout("main");
    git(kvData, "tag", "v1-light", "production");
    git(kvData, "tag", "-a", "v1", "-m", "release 1", "production");
  });

  afterAll(async () => {
    await store.close();
  });

  it("reads the repository directory at every kind of ref, as VersionedKvStore does", async () => {
    expect(existsSync(join(kvData, "HEAD")) && !existsSync(join(kvData, ".git"))).toBe(true);
    expect(open(kvData, { ref: "production" }).getString("db:host")).toBe("production-db.example.com");
    expect(open(kvData, { ref: "staging" }).getString("db:host")).toBe("staging-db.example.com");
    expect(open(kvData, { ref: "HEAD" }).getString("config:app:name")).toBe("MyApp");
    expect(open(kvData, { ref: "HEAD" }).has("db:host")).toBe(false);
    const prod = git(kvData, "rev-parse", "production");
    expect(open(`${kvData}/`, { ref: prod.slice(0, 8) }).commit).toBe(prod);
    expect(open(kvData, { ref: "v1" }).commit).toBe(prod);
    expect(open(kvData, { ref: "staging~2" }).commit).toBe(prod);
    for (const ref of refs) expect(readerAt(kvData, ref), ref).toEqual(await storeAt(store, ref));
  }, 120_000);

  it("reads packed refs and packed objects (with deltas) after git gc", async () => {
    git(kvData, "gc", "-q", "--prune=now");
    expect(git(kvData, "count-objects", "-v")).toMatch(/^count: 0$/m);
    expect(readdirSync(join(kvData, "refs/heads"))).toEqual([]);
    expect(
      git(
        kvData,
        "verify-pack",
        "-v",
        join(
          kvData,
          "objects/pack",
          readdirSync(join(kvData, "objects/pack")).find((f) => f.endsWith(".idx"))!,
        ),
      ),
    ).toMatch(/^chain length = 1: /m);
    for (const ref of refs) expect(readerAt(kvData, ref), ref).toEqual(await storeAt(store, ref));
  }, 120_000);

  it("gives typed errors: no ref, unknown ref, a sub-path that is not a dataset", () => {
    expect(expectReaderError(() => open(kvData), "READER_NOT_A_DATASET").hint).toMatch(/bare/);
    expectReaderError(() => open(kvData, { ref: "no-such-branch" }), "READER_UNKNOWN_REF");
    expectReaderError(() => open(kvData, { ref: "main~9" }), "READER_UNKNOWN_REF");
    expectReaderError(() => open(join(kvData, "config"), { ref: "main" }), "READER_NOT_A_DATASET");
    expectReaderError(() => open(join(kvData, "refs"), { ref: "main" }), "READER_NOT_A_DATASET");
    expectReaderError(() => open(join(kvData, "config"), { ref: "nope" }), "READER_UNKNOWN_REF");
  });

  it("reads through a linked worktree of the bare repository", () => {
    const wt = join(root, "kv-data-staging");
    git(kvData, "worktree", "add", "-q", wt, "staging");
    expect(open(wt, { ref: "HEAD" }).getString("db:host")).toBe("staging-db.example.com");
    expect(open(wt, { ref: "production" }).getString("db:host")).toBe("production-db.example.com");
    expect(open(wt).getString("db:host")).toBe("staging-db.example.com");
  });
});

describe("a dataset in a sub-directory of a bare repository's tree", () => {
  it("reads <bare>/<dataset> with { ref }; the repository directory itself is not that dataset", async () => {
    const bare = join(tempDir("bare-sub"), "data.git");
    git(tempDir(), "init", "-q", "--bare", "-b", "main", bare);
    const store = await VersionedKvStore.init(bare, { dataset: "config" });
    await store.set("app:name", "MyApp");
    await store.commit("config dataset");
    await store.close();
    expect(git(bare, "ls-tree", "--name-only", "HEAD")).toBe("config");
    expect(open(join(bare, "config"), { ref: "main" }).getString("app:name")).toBe("MyApp");
    expect(open(join(bare, "config/"), { ref: "HEAD" }).getString("app:name")).toBe("MyApp");
    expectReaderError(() => open(bare, { ref: "main" }), "READER_NOT_A_DATASET");
    expectReaderError(() => open(join(bare, "other"), { ref: "main" }), "READER_NOT_A_DATASET");
    expectReaderError(() => open(join(bare, "config")), "READER_NOT_A_DATASET"); // Git's config file
  });

  it("reads a bare clone (packed from the start) of a monorepo's config/", async () => {
    const repo = monorepo(join(tempDir("bare-clone"), "myapp"));
    const store = await VersionedKvStore.init(join(repo, "config"));
    await store.import(
      Array.from({ length: 3_000 }, (_, i) => [key(i), value(i, 0)] as const),
      { sorted: true },
    );
    await store.commit("import");
    await store.checkout("production", { create: true });
    await store.set("db:host", "prod-db.example.com");
    await store.commit("production");
    await store.close();
    const clone = join(tempDir("bare-clone"), "myapp.git");
    git(repo, "clone", "-q", "--bare", "--no-local", repo, clone);
    expect(git(clone, "count-objects", "-v")).toMatch(/^count: 0$/m);
    expect(existsSync(join(clone, "packed-refs"))).toBe(true);
    const r = open(join(clone, "config"), { ref: "production" });
    expect(r.getString("db:host")).toBe("prod-db.example.com");
    expect(r.getString(key(2_999))).toBe(value(2_999, 0));
    expect([...r.list({ prefix: "user:" })]).toHaveLength(3_000);
    expect(open(join(clone, "config"), { ref: "main" }).has("db:host")).toBe(false);
  });

  it("reads an empty bare repository as an unknown ref", () => {
    const bare = join(tempDir("bare-empty"), "empty.git");
    git(tempDir(), "init", "-q", "--bare", "-b", "main", bare);
    expectReaderError(() => open(bare, { ref: "HEAD" }), "READER_UNKNOWN_REF");
    expectReaderError(() => open(bare, { ref: "main" }), "READER_UNKNOWN_REF");
  });
});

describe("objects borrowed through info/alternates (git clone --shared, --reference)", () => {
  it("reads a shared clone and a bare clone with --reference, with absolute and relative alternates", async () => {
    const root = tempDir("alternates");
    const repo = monorepo(join(root, "data"));
    const store = await VersionedKvStore.init(join(repo, "config"));
    await store.import(
      Array.from({ length: 2_000 }, (_, i) => [key(i), value(i, 0)] as const),
      { sorted: true },
    );
    await store.commit("import");
    await store.set("db:host", "prod-db.example.com");
    await store.commit("production");
    await store.close();
    git(repo, "gc", "-q");
    const shared = join(root, "shared");
    git(root, "clone", "-q", "--shared", repo, shared);
    expect(git(shared, "count-objects", "-v")).toMatch(/^count: 0$[^]*^packs: 0$/m);
    const check = (dir: string): void => {
      const r = open(join(dir, "config"), { ref: "HEAD" });
      expect(r.getString("db:host")).toBe("prod-db.example.com");
      expect(r.getString(key(1_999))).toBe(value(1_999, 0));
      expect([...r.list()]).toHaveLength(2_001);
      expect(open(join(dir, "config"), { ref: "HEAD~1" }).has("db:host")).toBe(false);
      expect(open(join(dir, "config"), { ref: git(dir, "rev-parse", "--short", "HEAD") }).commit).toBe(
        git(dir, "rev-parse", "HEAD"),
      );
    };
    check(shared);
    // Relative to the objects directory that names it, as Git reads it.
    writeFileSync(join(shared, ".git/objects/info/alternates"), "# borrowed\n../../../data/.git/objects\n");
    check(shared);
    const bare = join(root, "reference.git");
    git(root, "clone", "-q", "--bare", "--reference", repo, `file://${repo}`, bare);
    check(bare);
    // Without the borrowed objects the commit is missing: a typed error, not a wrong value.
    writeFileSync(join(shared, ".git/objects/info/alternates"), "");
    expectReaderError(() => open(join(shared, "config"), { ref: "HEAD" }), "READER_UNKNOWN_REF");
  });
});
