/**
 * Bad input: every failure is a ReaderError with a stable code, a message and a hint; never a
 * wrong value, a hang or an untyped exception. Each case damages a fresh copy of a dataset.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, readFileSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VersionedKvStore } from "@git-prolly/kv-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open } from "../src/index.js";
import { expectReaderError, git, monorepo, removeTempDirs, tempDir, writeFile } from "./helpers.js";

afterAll(removeTempDirs);

let repo: string;
let small: string;

beforeAll(async () => {
  repo = monorepo(join(tempDir("bad"), "app"));
  const store = await VersionedKvStore.init(join(repo, "config"));
  await store.import(
    Array.from({ length: 20_000 }, (_, i) => [`key:${String(i).padStart(6, "0")}`, `value ${i}`] as const),
    { sorted: true },
  );
  await store.commit("data");
  await store.close();
  const one = await VersionedKvStore.init(join(repo, "small"));
  await one.set("a", "1");
  await one.commit("small");
  await one.close();
  small = join(repo, "small");
});

/** A copy of the big dataset's files, to damage. */
function copy(): string {
  const dir = join(tempDir("damaged"), "config");
  cpSync(join(repo, "config"), dir, { recursive: true });
  return dir;
}

/** A leaf file of a copy: down the second child of each inner node to a file. */
function leafOf(dir: string): string {
  let at = join(dir, "root");
  while (isDir(at))
    at = join(
      at,
      readdirSync(at)
        .filter((n) => n !== ".node")
        .sort()[1]!,
    );
  return at;
}

function isDir(p: string): boolean {
  try {
    readdirSync(p);
    return true;
  } catch {
    return false;
  }
}

/** A clone of the repository whose objects are all loose. */
function looseClone(): string {
  const clone = join(tempDir("clone"), "app");
  git(repo, "clone", "-q", "--no-local", repo, clone);
  const packDir = join(clone, ".git/objects/pack");
  const pack = readdirSync(packDir).find((f) => f.endsWith(".pack"))!;
  const bytes = readFileSync(join(packDir, pack));
  for (const f of readdirSync(packDir)) rmSync(join(packDir, f));
  execFileSync("git", ["unpack-objects", "-q"], { cwd: clone, input: bytes });
  return clone;
}

function looseFile(clone: string, id: string): string {
  const path = join(clone, ".git/objects", id.slice(0, 2), id.slice(2));
  chmodSync(path, 0o644);
  return path;
}

/** Reads every key of the copy (loading every node). */
const readAll = (dir: string) => () => {
  const r = open(dir);
  for (let i = 0; i < 20_000; i++) r.get(`key:${String(i).padStart(6, "0")}`);
};

/** Opens `clone`'s dataset at main and reads every key, expecting `code`. */
function readAllAt(clone: string, code: string): void {
  expectReaderError(() => {
    const r = open(join(clone, "config"), { ref: "main" });
    for (let i = 0; i < 20_000; i++) r.get(`key:${String(i).padStart(6, "0")}`);
  }, code);
}

describe("opening", () => {
  it("a missing directory is READER_NOT_FOUND", () => {
    expectReaderError(() => open(join(repo, "nope")), "READER_NOT_FOUND");
  });

  it("a directory without prolly.json, or a file, is READER_NOT_A_DATASET", () => {
    expectReaderError(() => open(join(repo, "src")), "READER_NOT_A_DATASET");
    expectReaderError(() => open(join(repo, "src", "main.rs")), "READER_NOT_A_DATASET");
  });

  it("a prolly.json that is not JSON, or another tool's, is READER_NOT_A_DATASET", () => {
    const dir = copy();
    writeFileSync(join(dir, "prolly.json"), "{ not json");
    expectReaderError(() => open(dir), "READER_NOT_A_DATASET");
    writeFileSync(join(dir, "prolly.json"), '{"format":"something-else","version":1}');
    expectReaderError(() => open(dir), "READER_NOT_A_DATASET");
  });

  it("an unknown format version in prolly.json is READER_FORMAT_UNSUPPORTED", () => {
    const dir = copy();
    const m = JSON.parse(readFileSync(join(dir, "prolly.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "prolly.json"), JSON.stringify({ ...m, version: 2 }));
    expect(expectReaderError(() => open(dir), "READER_FORMAT_UNSUPPORTED").data).toMatchObject({ version: 2 });
    writeFileSync(join(dir, "prolly.json"), JSON.stringify({ ...m, nodeFormat: 7 }));
    expectReaderError(() => open(dir), "READER_FORMAT_UNSUPPORTED");
  });

  it("a node of a newer format version is READER_FORMAT_UNSUPPORTED", () => {
    const dir = copy();
    const index = join(dir, "root", ".node");
    const bytes = readFileSync(index);
    bytes[2] = 9;
    writeFileSync(index, bytes);
    expectReaderError(() => open(dir), "READER_FORMAT_UNSUPPORTED");
  });

  it("a missing root is READER_NODE_MISSING", () => {
    const dir = copy();
    rmSync(join(dir, "root"), { recursive: true });
    expectReaderError(() => open(dir), "READER_NODE_MISSING");
    writeFile(join(dir, "root", "stray"), "x");
    expectReaderError(() => open(dir), "READER_NODE_MISSING");
  });
});

describe("damaged node files", () => {
  it("a truncated or corrupted one-leaf root is READER_NODE_CORRUPT", () => {
    const dir = join(tempDir("small"), "small");
    cpSync(small, dir, { recursive: true });
    const bytes = readFileSync(join(dir, "root"));
    writeFileSync(join(dir, "root"), bytes.subarray(0, bytes.length - 1));
    expectReaderError(() => open(dir), "READER_NODE_CORRUPT");
    writeFileSync(join(dir, "root"), Buffer.from("garbage!"));
    expectReaderError(() => open(dir), "READER_NODE_CORRUPT");
  });

  it("a truncated index (.node) is READER_NODE_CORRUPT", () => {
    const dir = copy();
    const index = join(dir, "root", ".node");
    const bytes = readFileSync(index);
    writeFileSync(index, bytes.subarray(0, bytes.length - 3));
    expectReaderError(() => open(dir), "READER_NODE_CORRUPT");
  });

  it("a truncated leaf is READER_NODE_CORRUPT when read", () => {
    const dir = copy();
    const leaf = leafOf(dir);
    writeFileSync(leaf, readFileSync(leaf).subarray(0, 100));
    expectReaderError(readAll(dir), "READER_NODE_CORRUPT");
  });

  it("a leaf with changed bytes is READER_NODE_CORRUPT, never a wrong value", () => {
    for (const at of [4, 5, 6, 7]) {
      const dir = copy();
      const leaf = leafOf(dir);
      const bytes = readFileSync(leaf);
      bytes[at] = bytes[at]! ^ 0x5a;
      writeFileSync(leaf, bytes);
      expectReaderError(readAll(dir), "READER_NODE_CORRUPT");
    }
  });

  it("leaves swapped or copied between places are READER_NODE_CORRUPT", () => {
    const dir = copy();
    const leaf = leafOf(dir);
    const parent = join(leaf, "..");
    const sibling = join(
      parent,
      readdirSync(parent)
        .filter((n) => n !== ".node")
        .sort()[2]!,
    );
    writeFileSync(leaf, readFileSync(sibling));
    expectReaderError(readAll(dir), "READER_NODE_CORRUPT");
  });

  it("a deleted leaf is READER_NODE_MISSING", () => {
    const dir = copy();
    unlinkSync(leafOf(dir));
    expectReaderError(readAll(dir), "READER_NODE_MISSING");
  });

  it("an unreadable file is READER_IO_ERROR", () => {
    const dir = copy();
    const leaf = leafOf(dir);
    unlinkSync(leaf);
    symlinkSync(leaf, leaf); // reading a symlink to itself fails with ELOOP
    expect(expectReaderError(readAll(dir), "READER_IO_ERROR").data).toMatchObject({ errno: "ELOOP" });
  });
});

describe("refs and objects", () => {
  it("an unknown ref, a bad ref name, a tree id or a missing parent is READER_UNKNOWN_REF", () => {
    const dir = join(repo, "config");
    for (const ref of [
      "nope",
      "../../HEAD",
      "main~5",
      "main^2",
      "refs/heads/",
      "0000000000000000000000000000000000000000",
      git(repo, "rev-parse", "HEAD^{tree}"),
    ]) {
      expectReaderError(() => open(dir, { ref }), "READER_UNKNOWN_REF");
    }
  });

  it("a .git file naming a directory that is gone (a submodule or worktree copied alone) is READER_REPOSITORY_NOT_FOUND", () => {
    const dir = copy();
    writeFile(join(dir, "..", ".git"), "gitdir: ../../app/.git/modules/data\n");
    const e = expectReaderError(() => open(dir, { ref: "HEAD" }), "READER_REPOSITORY_NOT_FOUND");
    expect(e.message).toMatch(/modules\/data, which is not a Git directory/);
    expect(open(dir).has("key:000001")).toBe(true);
  });

  it("a ref where the dataset does not exist yet is READER_NOT_A_DATASET", () => {
    expectReaderError(
      () => open(join(repo, "config"), { ref: git(repo, "rev-list", "--max-parents=0", "HEAD") }),
      "READER_NOT_A_DATASET",
    );
  });

  it("a short id shared by several objects is READER_AMBIGUOUS_REF", () => {
    const clone = looseClone();
    const blobs = tempDir("blobs");
    for (let i = 0; i < 1500; i++) writeFileSync(join(blobs, `b${i}`), `blob ${i}\n`);
    const written = git(clone, "hash-object", "-w", ...readdirSync(blobs).map((f) => join(blobs, f))).split("\n");
    const ids = git(clone, "rev-list", "--objects", "--all")
      .split("\n")
      .map((l) => l.slice(0, 40))
      .concat(written);
    const byPrefix = new Map<string, number>();
    for (const id of ids) byPrefix.set(id.slice(0, 4), (byPrefix.get(id.slice(0, 4)) ?? 0) + 1);
    const commits = new Set(
      git(clone, "rev-list", "--all")
        .split("\n")
        .map((id) => id.slice(0, 4)),
    );
    const prefix = [...byPrefix].find(([p, n]) => n > 1 && !commits.has(p))![0];
    expect(
      expectReaderError(() => open(join(clone, "config"), { ref: prefix }), "READER_AMBIGUOUS_REF").data.candidates,
    ).toHaveLength(byPrefix.get(prefix)!);
  });

  it("a corrupted loose object, or one that does not match its id, is READER_OBJECT_CORRUPT", () => {
    const clone = looseClone();
    const leafPath = git(clone, "ls-tree", "-r", "--name-only", "HEAD", "config/root")
      .split("\n")
      .find((p) => !p.endsWith(".node"))!;
    const leaf = git(clone, "rev-parse", `HEAD:${leafPath}`);
    const other = git(clone, "rev-parse", "HEAD:config/prolly.json");
    writeFileSync(looseFile(clone, leaf), readFileSync(looseFile(clone, other)));
    readAllAt(clone, "READER_OBJECT_CORRUPT");
    writeFileSync(looseFile(clone, git(clone, "rev-parse", "HEAD")), Buffer.from("not zlib at all"));
    expectReaderError(() => open(join(clone, "config"), { ref: "main" }), "READER_OBJECT_CORRUPT");
  });

  it("a missing node object is READER_NODE_MISSING", () => {
    const clone = looseClone();
    const leafPath = git(clone, "ls-tree", "-r", "--name-only", "HEAD", "config/root")
      .split("\n")
      .find((p) => !p.endsWith(".node"))!;
    unlinkSync(looseFile(clone, git(clone, "rev-parse", `HEAD:${leafPath}`)));
    readAllAt(clone, "READER_NODE_MISSING");
  });

  it("a damaged or truncated pack is READER_OBJECT_CORRUPT", () => {
    const clone = join(tempDir("clone"), "app");
    git(repo, "clone", "-q", "--no-local", repo, clone);
    const packDir = join(clone, ".git/objects/pack");
    const pack = join(
      packDir,
      readdirSync(packDir).find((f) => f.endsWith(".pack"))!,
    );
    const bytes = readFileSync(pack);
    chmodSync(pack, 0o644);
    for (let i = 1000; i < bytes.length - 100; i += 997) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(pack, bytes);
    readAllAt(clone, "READER_OBJECT_CORRUPT");
    writeFileSync(pack, bytes.subarray(0, 5000));
    readAllAt(clone, "READER_OBJECT_CORRUPT");
  });
});

describe("calls", () => {
  it("a bad key is READER_INVALID_KEY; an absent one READER_KEY_NOT_FOUND; a failing decoder READER_DECODE_FAILED", () => {
    const r = open(join(repo, "config"));
    expectReaderError(() => r.get(""), "READER_INVALID_KEY");
    expectReaderError(() => r.get(42 as unknown as string), "READER_INVALID_KEY");
    expectReaderError(() => r.has(new Uint8Array(70_000)), "READER_INVALID_KEY");
    expectReaderError(() => [...r.list({ prefix: "" })], "READER_INVALID_KEY");
    expect(expectReaderError(() => r.getOrThrow("key:nope"), "READER_KEY_NOT_FOUND").data).toMatchObject({
      key: "key:nope",
    });
    const e = expectReaderError(
      () =>
        r.get("key:000001", () => {
          throw new Error("not a number");
        }),
      "READER_DECODE_FAILED",
    );
    expect((e.cause as Error).message).toBe("not a number");
    expectReaderError(
      () => r.get("key:000001", (v) => JSON.parse(Buffer.from(v).toString()) as unknown),
      "READER_DECODE_FAILED",
    );
  });
});
