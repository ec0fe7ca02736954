/**
 * The reader on real repositories written by kv-store: the seed's usage (checked-out files, and
 * production and staging side by side with `{ ref }`), listings, deployment without `.git`,
 * submodules, linked worktrees and every kind of ref.
 */
import { cpSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { VersionedKvStore } from "@git-prolly/kv-store";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { type Reader, ReaderError, open } from "../src/index.js";
import { expectReaderError, git, monorepo, removeTempDirs, tempDir, text } from "./helpers.js";

afterAll(removeTempDirs);

/** 3,000 entries with keys of every shape: short, long (hashed child names), binary, 0xff runs. */
function entries(): [Uint8Array, Uint8Array][] {
  const out = new Map<string, [Uint8Array, Uint8Array]>();
  const add = (k: Uint8Array, v: string): void => void out.set(Buffer.from(k).toString("hex"), [k, Buffer.from(v)]);
  for (let i = 0; i < 2_500; i++)
    add(Buffer.from(`user:${String(i * 7).padStart(6, "0")}`), `{"id":${i},"plan":"${i % 3 ? "free" : "pro"}"}`);
  for (let i = 0; i < 300; i++) add(Buffer.from(`long:${"x".repeat(60)}:${i}`), `long ${i}`);
  for (let i = 0; i < 200; i++) add(Uint8Array.of(0xff, 0xff, i, 0, 1), `binary ${i}`);
  return [...out.values()].sort((a, b) => Buffer.compare(a[0], b[0]));
}

describe("the seed's monorepo: config/ read by the application", () => {
  let repo: string;
  let dir: string;
  let all: [Uint8Array, Uint8Array][];
  let prodCommit: string;

  beforeAll(async () => {
    repo = monorepo(join(tempDir(), "myapp"));
    dir = join(repo, "config");
    const store = await VersionedKvStore.init(dir);
    all = entries();
    await store.import(all, { sorted: true });
    await store.set("app:name", "MyApp");
    await store.set("app:version", "1.0.0");
    await store.commit("Initial app configuration");
    await store.checkout("production", { create: true });
    await store.set("db:host", "prod-db.example.com");
    await store.set("cache:ttl", "3600");
    await store.commit("Production configuration");
    prodCommit = git(repo, "rev-parse", "production");
    await store.checkout("main");
    await store.checkout("staging", { create: true });
    await store.set("db:host", "staging-db.example.com");
    await store.set("cache:ttl", "300");
    await store.commit("Staging configuration");
    await store.close();
    // git-prolly checkout switched only the dataset (HEAD stayed on main); the application
    // repository itself now moves to staging, as a deployment would.
    git(repo, "checkout", "-q", "staging");
  });

  it("reads the checked-out files (staging is checked out)", () => {
    expect(statSync(join(dir, "root")).isDirectory()).toBe(true);
    const config = open(dir);
    expect(config.getString("app:name")).toBe("MyApp");
    expect(config.getString("db:host")).toBe("staging-db.example.com");
    expect(config.get("cache:ttl", (v) => Number(text(v)))).toBe(300);
    expect(config.has("app:version")).toBe(true);
    expect(config.has("app:nope")).toBe(false);
    expect(config.get("app:nope")).toBeUndefined();
    expect(config.ref).toBeUndefined();
    for (const [k, v] of all) expect(Buffer.from(config.get(k)!).equals(Buffer.from(v))).toBe(true);
  });

  it("reads production and staging side by side with { ref }", () => {
    const production = open(dir, { ref: "production" });
    const staging = open(dir, { ref: "staging" });
    expect(production.getString("db:host")).toBe("prod-db.example.com");
    expect(staging.getString("db:host")).toBe("staging-db.example.com");
    expect(production.get("cache:ttl", (v) => Number(text(v)))).toBe(3600);
    expect(production.commit).toBe(prodCommit);
    expect(open(dir, { ref: "main" }).has("db:host")).toBe(false);
  });

  it("returns copies: changing a returned value changes nothing stored", () => {
    const config = open(dir);
    const v = config.get("app:name")!;
    v.fill(0);
    expect(config.getString("app:name")).toBe("MyApp");
  });

  it("offers a typed facade: get<T> with a decoder, getOrThrow", () => {
    const config = open(dir);
    const user = config.get("user:000007", (v) => JSON.parse(text(v)!) as { id: number; plan: string });
    expectTypeOf(user).toEqualTypeOf<{ id: number; plan: string } | undefined>();
    expect(user).toEqual({ id: 1, plan: "free" });
    const json = <T>(v: Uint8Array): T => JSON.parse(text(v)!) as T;
    expectTypeOf(config.get("user:000014", json<{ id: number }>)).toEqualTypeOf<{ id: number } | undefined>();
    expect(config.get("user:000014", json<{ id: number }>)?.id).toBe(2);
    expectTypeOf(config.getOrThrow("app:name")).toEqualTypeOf<Uint8Array>();
    expectTypeOf(config.getOrThrow("app:name", text)).toEqualTypeOf<string | undefined>();
    expect(config.getOrThrow("app:name", text)).toBe("MyApp");
    expectTypeOf(config.get("app:name")).toEqualTypeOf<Uint8Array | undefined>();
    expectTypeOf(open).returns.toEqualTypeOf<Reader>();
  });

  it("keys: non-ASCII and long strings, bytes, and decoders that read other keys", async () => {
    const store = await VersionedKvStore.open(dir);
    await store.set("café:crème", "brûlée");
    await store.set(`long:${"k".repeat(300)}`, "long string key");
    await store.close();
    const config = open(dir);
    expect(config.getString("café:crème")).toBe("brûlée");
    expect(config.getString(Buffer.from("café:crème"))).toBe("brûlée");
    expect(config.getString(`long:${"k".repeat(300)}`)).toBe("long string key");
    const seen: string[] = [];
    const nested = config.get("app:name", (v, k) => {
      const inner = config.getString("app:version"); // uses the key scratch buffer again
      seen.push(text(k)!);
      return `${text(v)} ${inner}`;
    });
    expect(nested).toBe("MyApp 1.0.0");
    expect(seen).toEqual(["app:name"]);
    git(repo, "reset", "-q");
    git(repo, "checkout", "--", "config");
  });

  it("lists in key order with prefix, start/end, reverse and limit", () => {
    const config = open(dir);
    const model = [
      ...all,
      [Buffer.from("app:name"), Buffer.from("MyApp")],
      [Buffer.from("app:version"), Buffer.from("1.0.0")],
      [Buffer.from("cache:ttl"), Buffer.from("300")],
      [Buffer.from("db:host"), Buffer.from("staging-db.example.com")],
    ].sort((a, b) => Buffer.compare(a[0]!, b[0]!));
    const hex = (xs: Iterable<{ key: Uint8Array }>): string[] =>
      Array.from(xs, (e) => Buffer.from(e.key).toString("hex"));
    const want = (xs: (Uint8Array | Buffer)[][]): string[] => xs.map((e) => Buffer.from(e[0]!).toString("hex"));
    const inRange = (lo?: Buffer, hi?: Buffer) =>
      model.filter(
        ([k]) => (lo === undefined || Buffer.compare(k!, lo) >= 0) && (hi === undefined || Buffer.compare(k!, hi) < 0),
      );
    expect(hex(config.list())).toEqual(want(model));
    expect(hex(config.list({ reverse: true }))).toEqual(want(model).reverse());
    expect(hex(config.list({ prefix: "app:" }))).toEqual(want(inRange(Buffer.from("app:"), Buffer.from("app;"))));
    expect(hex(config.list({ prefix: "long:" }))).toHaveLength(300);
    expect(hex(config.list({ prefix: Uint8Array.of(0xff, 0xff) }))).toEqual(want(inRange(Buffer.from([0xff, 0xff]))));
    expect(hex(config.list({ prefix: Uint8Array.of(0xff, 0xff), reverse: true, limit: 5 }))).toEqual(
      want(inRange(Buffer.from([0xff, 0xff])))
        .reverse()
        .slice(0, 5),
    );
    const lo = Buffer.from("user:001000");
    const hi = Buffer.from("user:002000");
    expect(hex(config.list({ start: lo, end: hi }))).toEqual(want(inRange(lo, hi)));
    expect(hex(config.list({ start: lo, end: hi, reverse: true }))).toEqual(want(inRange(lo, hi)).reverse());
    expect(hex(config.list({ start: "user:001001", limit: 3 }))).toEqual(
      want(inRange(Buffer.from("user:001001")).slice(0, 3)),
    );
    expect(hex(config.list({ start: hi, end: lo }))).toEqual([]);
    expect(hex(config.list({ prefix: "zzz" }))).toEqual([]);
    const first = config.list({ prefix: "app:" }).next().value!;
    expect([text(first.key), text(first.value)]).toEqual(["app:name", "MyApp"]);
  });

  it("sees staged changes in the files, and the committed version with { ref: 'HEAD' }", async () => {
    const store = await VersionedKvStore.open(dir);
    await store.set("feature:new", "on");
    await store.close();
    expect(open(dir).getString("feature:new")).toBe("on");
    expect(open(dir, { ref: "HEAD" }).has("feature:new")).toBe(false);
    git(repo, "reset", "-q");
    git(repo, "checkout", "--", "config");
    expect(open(dir).has("feature:new")).toBe(false);
  });

  it("reads a dataset directory deployed without .git", () => {
    const deployed = join(tempDir("deploy"), "app", "config");
    cpSync(dir, deployed, { recursive: true });
    const config = open(deployed);
    expect(config.getString("db:host")).toBe("staging-db.example.com");
    expect([...config.list()]).toHaveLength(all.length + 4);
    expectReaderError(() => open(deployed, { ref: "main" }), "READER_REPOSITORY_NOT_FOUND");
  });

  it("reads every kind of ref: full and short ids, tags (annotated too), ~n and ^n, HEAD, after git gc", () => {
    git(repo, "tag", "v1-light", "production");
    git(repo, "tag", "-a", "v1", "-m", "release 1", "production");
    const check = (): void => {
      expect(open(dir, { ref: prodCommit }).getString("db:host")).toBe("prod-db.example.com");
      expect(open(dir, { ref: prodCommit.slice(0, 7) }).getString("db:host")).toBe("prod-db.example.com");
      expect(open(dir, { ref: "v1" }).getString("db:host")).toBe("prod-db.example.com");
      expect(open(dir, { ref: "refs/tags/v1-light" }).commit).toBe(prodCommit);
      expect(open(dir, { ref: "heads/production" }).commit).toBe(prodCommit);
      expect(open(dir, { ref: "production~1" }).has("db:host")).toBe(false);
      expect(open(dir, { ref: "production^" }).commit).toBe(git(repo, "rev-parse", "production^"));
      expect(open(dir, { ref: "v1~0^0" }).commit).toBe(prodCommit);
      expect(open(dir, { ref: "HEAD" }).getString("db:host")).toBe("staging-db.example.com");
      expect(open(dir, { ref: "@" }).commit).toBe(git(repo, "rev-parse", "HEAD"));
    };
    check();
    git(repo, "gc", "-q", "--prune=now");
    expect(readdirSync(join(repo, ".git/refs/heads"))).toEqual([]);
    expect(git(repo, "count-objects", "-v")).toMatch(/^count: 0$/m);
    check();
    const packed = open(dir, { ref: "staging" });
    for (const [k, v] of all) expect(Buffer.from(packed.get(k)!).equals(Buffer.from(v))).toBe(true);
    packed.close();
    expect(packed.getString("app:name")).toBe("MyApp");
  });

  it("reads through a linked worktree: its own HEAD, the shared refs and objects", () => {
    const wt = join(tempDir("wt"), "linked");
    git(repo, "worktree", "add", "-q", "-b", "wt-branch", wt, "production");
    expect(open(join(wt, "config"), { ref: "HEAD" }).getString("db:host")).toBe("prod-db.example.com");
    expect(open(join(wt, "config"), { ref: "staging" }).getString("db:host")).toBe("staging-db.example.com");
    expect(open(join(wt, "config")).getString("db:host")).toBe("prod-db.example.com");
  });

  it("reads a dataset in a submodule (separate repository pattern)", () => {
    const app = monorepo(join(tempDir("app"), "myapp"));
    git(app, "-c", "protocol.file.allow=always", "submodule", "add", "-q", repo, "data");
    const data = join(app, "data", "config");
    expect(statSync(join(app, "data", ".git")).isFile()).toBe(true);
    expect(open(data, { ref: "origin/production" }).getString("db:host")).toBe("prod-db.example.com");
    expect(open(data, { ref: "HEAD" }).getString("app:name")).toBe("MyApp");
    expect(open(data).getString("app:name")).toBe("MyApp");
  });

  it("opens a path with a trailing slash, and errors are ReaderErrors", () => {
    expect(open(`${dir}/`).getString("app:name")).toBe("MyApp");
    const e = expectReaderError(() => open(dir, { ref: "no-such-branch" }), "READER_UNKNOWN_REF");
    expect(e).toBeInstanceOf(ReaderError);
    expect(e.data).toMatchObject({ ref: "no-such-branch" });
  });
});

describe("a one-leaf dataset", () => {
  it("reads root as a single file, from files and from the ref", async () => {
    const repo = monorepo(join(tempDir(), "small"));
    const store = await VersionedKvStore.init(join(repo, "config"));
    await store.set("app:name", "MyApp");
    await store.commit("one key");
    await store.close();
    expect(statSync(join(repo, "config", "root")).isFile()).toBe(true);
    expect(open(join(repo, "config")).getString("app:name")).toBe("MyApp");
    expect([...open(join(repo, "config"), { ref: "main" }).list()].map((e) => text(e.key))).toEqual(["app:name"]);
  });

  it("reads a dataset at the repository root", async () => {
    const repo = monorepo(join(tempDir(), "data-repo"));
    const store = await VersionedKvStore.init(repo);
    await store.set("config:app:name", "MyApp");
    await store.commit("root dataset");
    await store.close();
    expect(open(repo).getString("config:app:name")).toBe("MyApp");
    expect(open(repo, { ref: "main" }).getString("config:app:name")).toBe("MyApp");
  });
});
