/**
 * The reader returns exactly what VersionedKvStore returns, for 10,000 random keys at several
 * commits and branches: from the checked-out files of each branch, and with `{ ref }` from
 * loose objects, after `git gc` (packed, OFS_DELTA chains) and after a repack with REF_DELTA.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { VersionedKvStore } from "@git-prolly/kv-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open } from "../src/index.js";
import { git, monorepo, removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

const N = 40_000;
const key = (i: number): string => `user:${String(i).padStart(7, "0")}`;
const value = (i: number, version: number): string =>
  `{"id":${i},"name":"user number ${i}","plan":"${(i + version) % 5 === 0 ? "pro" : "free"}","v":${version}}`;

/** A deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many objects of each pack type code (6 OFS_DELTA, 7 REF_DELTA…) the repository's one pack holds. */
function packTypes(packDir: string): Map<number, number> {
  const idx = readdirSync(packDir).find((f) => f.endsWith(".idx"))!;
  const pack = readFileSync(join(packDir, idx.replace(/idx$/, "pack")));
  const counts = new Map<number, number>();
  for (const line of execFileSync("git", ["show-index"], {
    input: readFileSync(join(packDir, idx)),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  })
    .trim()
    .split("\n")) {
    const type = (pack[Number(line.split(" ")[0])]! >> 4) & 7;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

describe("reader = VersionedKvStore for 10,000 random keys", () => {
  let repo: string;
  let dir: string;
  let store: VersionedKvStore;
  const refs: string[] = [];
  const rand = random(9);
  const probes = Array.from({ length: 10_000 }, () => key(Math.floor(rand() * N * 1.1)));

  beforeAll(async () => {
    repo = monorepo(join(tempDir("equiv"), "app"));
    dir = join(repo, "config");
    store = await VersionedKvStore.init(dir);
    await store.import(
      Array.from({ length: N }, (_, i) => [key(i), value(i, 0)] as const),
      { sorted: true },
    );
    await store.commit("import");
    refs.push(git(repo, "rev-parse", "HEAD"));
    // Small changes on every commit (the same values with one field changed), so `git gc` stores
    // most leaves as deltas of their previous versions.
    for (const [branch, version] of [
      ["main", 1],
      ["feature", 2],
      ["main", 3],
      ["feature", 4],
    ] as const) {
      if (branch === "feature" && version === 2) await store.checkout("feature", { create: true });
      else await store.checkout(branch);
      const edits = [];
      for (let j = 0; j < 600; j++) {
        const i = Math.floor(rand() * N * 1.1);
        edits.push({ key: key(i), value: j % 10 === 0 ? null : value(i, version) });
      }
      await store.apply(edits);
      await store.commit(`edit ${version} on ${branch}`);
      // A sub-directory dataset's checkout follows the branch without moving HEAD.
      refs.push(git(repo, "rev-parse", branch));
    }
    refs.push("main", "feature", "main~1", "feature^");
  });

  afterAll(async () => {
    await store.close();
  });

  const expected = new Map<string, Map<string, string>>();
  /** What the store holds at `at`: all entries (one scan), checked against `get` on a sample. */
  async function storeAt(at: string): Promise<Map<string, string>> {
    let m = expected.get(at);
    if (m === undefined) {
      m = new Map();
      for await (const e of store.list({ ref: at }))
        m.set(Buffer.from(e.key).toString(), Buffer.from(e.value).toString());
      for (const k of probes.slice(0, 100)) expect(await store.getString(k, { ref: at })).toBe(m.get(k));
      expected.set(at, m);
    }
    return m;
  }

  async function expectSame(at: string, read: (k: string) => string | undefined): Promise<void> {
    const want = await storeAt(at);
    let present = 0;
    for (const k of probes) {
      const got = read(k);
      if (got !== undefined) present++;
      if (got !== want.get(k)) expect(got, `${k} at ${at}`).toBe(want.get(k));
    }
    expect(present).toBeGreaterThan(8_000);
  }

  it("from the checked-out files of each branch", async () => {
    for (const branch of ["main", "feature"]) {
      git(repo, "checkout", "-q", "-f", branch); // -f: the dataset may follow another branch
      const reader = open(dir);
      await expectSame(branch, (k) => reader.getString(k));
      const listed = [...reader.list({ prefix: "user:00012" })].map((e) => Buffer.from(e.key).toString());
      const want: string[] = [];
      for await (const e of store.list({ ref: branch, prefix: "user:00012" })) want.push(Buffer.from(e.key).toString());
      expect(listed).toEqual(want);
    }
  }, 120_000);

  it("with { ref } from loose objects, packs with OFS_DELTA, and REF_DELTA", async () => {
    const all = async (): Promise<void> => {
      for (const at of refs) {
        const reader = open(dir, { ref: at });
        await expectSame(at, (k) => reader.getString(k));
        reader.close();
      }
    };
    // As kv-store wrote them: packs and loose objects.
    expect(Number(/^count: (\d+)$/m.exec(git(repo, "count-objects", "-v"))![1])).toBeGreaterThan(0);
    await all();

    git(repo, "gc", "-q", "--prune=now");
    expect(git(repo, "count-objects", "-v")).toMatch(/^count: 0$/m);
    expect(packTypes(join(repo, ".git/objects/pack")).get(6)).toBeGreaterThan(500);
    const pack = readdirSync(join(repo, ".git/objects/pack")).find((f) => f.endsWith(".idx"))!;
    const verify = execFileSync("git", ["verify-pack", "-v", join(repo, ".git/objects/pack", pack)], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    const deltas = verify.split("\n").filter((l) => /^[0-9a-f]{40} blob +\d+ \d+ \d+ \d+ [0-9a-f]{40}$/.test(l)).length;
    expect(deltas).toBeGreaterThan(500);
    expect(verify).toMatch(/^chain length = [2-9]: /m);
    await all();

    git(repo, "-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f");
    expect(packTypes(join(repo, ".git/objects/pack")).get(7)).toBeGreaterThan(500);
    await all();
  }, 240_000);
});
