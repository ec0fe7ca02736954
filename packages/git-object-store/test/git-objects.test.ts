/** Objects on disk, checked with the real git CLI and with isomorphic-git. */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync, chmodSync, rmSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync, deflateSync } from "node:zlib";
import * as isogit from "isomorphic-git";
import * as fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GitObjectDatabase,
  type GitRepository,
  encodeTreeObject,
  isGitStoreError,
  openGitRepository,
} from "../src/index.js";
import { hashObject } from "../src/objects/object-id.js";
import { bytes, git, gitInput, sig, text, closeRepository, newRepository } from "./helpers.js";

let dir: string;
let repo: GitRepository;
beforeEach(async () => {
  ({ dir, repo } = await newRepository("objects"));
});
afterEach(() => closeRepository({ dir, repo }));

function blobText(i: number): string {
  return `line ${i}\n${"common text that compresses and deltifies well\n".repeat(40)}tail ${i * 7}\n`;
}

async function commitBlobs(count: number, options: { pack: boolean }): Promise<{ ids: string[]; commit: string }> {
  const blobs = Array.from({ length: count }, (_, i) => ({ type: "blob" as const, content: bytes(blobText(i)) }));
  const ids = options.pack ? await repo.objects.writePack(blobs) : await repo.objects.write(blobs);
  const tree = encodeTreeObject(
    ids.map((id, i) => ({ mode: "100644" as const, name: `f${String(i).padStart(5, "0")}`, id })),
  );
  const [treeId] = await repo.objects.write([{ type: "tree", content: tree }]);
  const commit = await repo.writeCommit({
    tree: treeId!,
    parents: [],
    author: sig(1),
    committer: sig(1),
    message: "blobs",
  });
  await repo.objects.flush();
  await repo.refs.update("refs/heads/main", commit);
  return { ids, commit };
}

describe("packs written in process", () => {
  it("pass git verify-pack and git fsck, and read back through git, this package and isomorphic-git", async () => {
    const { ids, commit } = await commitBlobs(1500, { pack: true });
    const packs = readdirSync(join(dir, ".git/objects/pack")).filter((n) => n.endsWith(".idx"));
    expect(packs).toHaveLength(1);
    const verify = git(dir, "verify-pack", "-v", join(dir, ".git/objects/pack", packs[0]!));
    expect(verify).toContain(ids[0]);
    git(dir, "fsck", "--strict", "--full");
    expect(git(dir, "cat-file", "-p", `${commit}:f00042`)).toBe(blobText(42).trim());
    const fresh = await openGitRepository(dir);
    expect(text(await fresh.readBlob(ids[1234]!))).toBe(blobText(1234));
    await fresh.close();
    const cache = {};
    const viaIso = await isogit.readObject({ fs, gitdir: join(dir, ".git"), oid: ids[99]!, cache, format: "content" });
    expect(Buffer.from(viaIso.object as Uint8Array).toString("utf8")).toBe(blobText(99));
    // The commit and tree went in as loose objects; isomorphic-git reads those too.
    const looseCommit = await isogit.readCommit({ fs, gitdir: join(dir, ".git"), oid: commit, cache });
    expect(looseCommit.commit.message).toBe("blobs\n");
  });

  it("stream into a pack when many bytes are pending and stay readable before the flush", async () => {
    const db = new GitObjectDatabase(join(dir, ".git/objects"), { spillBytes: 64 * 1024, packThreshold: 10_000 });
    const ids = await db.write(
      Array.from({ length: 400 }, (_, i) => ({ type: "blob" as const, content: bytes(blobText(i)) })),
    );
    expect(db.pendingCount).toBe(400);
    // Readable while being compressed in the background, and once placed in the pack.
    expect(text((await db.read(ids[3]!))!.content)).toBe(blobText(3));
    await db.write(
      Array.from({ length: 400 }, (_, i) => ({ type: "blob" as const, content: bytes(`second ${blobText(i)}`) })),
    );
    expect(text((await db.read(ids[5]!))!.content)).toBe(blobText(5));
    expect(readdirSync(join(dir, ".git/objects/pack")).filter((n) => n.startsWith("tmp_pack_"))).toHaveLength(1);
    await db.flush();
    const names = readdirSync(join(dir, ".git/objects/pack"));
    expect(names.filter((n) => n.startsWith("tmp_"))).toEqual([]);
    expect(names.filter((n) => n.endsWith(".pack"))).toHaveLength(1);
    git(
      dir,
      "verify-pack",
      join(
        dir,
        ".git/objects/pack",
        names.find((n) => n.endsWith(".idx"))!,
      ),
    );
    expect(text((await db.read(ids[399]!))!.content)).toBe(blobText(399));
    expect(git(dir, "count-objects", "-v")).toMatch(/in-pack: 800/);
    await db.close();
  });

  it("small batches land as loose objects that git reads", async () => {
    const [id] = await repo.objects.write([{ type: "blob", content: bytes("loose\n") }]);
    await repo.objects.flush();
    expect(git(dir, "cat-file", "-t", id!)).toBe("blob");
    expect(git(dir, "count-objects", "-v")).toContain("count: 1");
  });
});

describe("packs written by git", () => {
  it("read deltified objects after git gc --aggressive", async () => {
    const { ids } = await commitBlobs(300, { pack: false });
    git(dir, "gc", "--aggressive", "--prune=now", "-q");
    const idx = readdirSync(join(dir, ".git/objects/pack")).find((n) => n.endsWith(".idx"))!;
    expect(git(dir, "verify-pack", "-v", join(dir, ".git/objects/pack", idx))).toMatch(/chain length = \d+/);
    const fresh = await openGitRepository(dir);
    for (let i = 0; i < ids.length; i++) expect(text(await fresh.readBlob(ids[i]!))).toBe(blobText(i));
    await fresh.close();
  });

  it("find packed objects when many reads start at once in a fresh process", async () => {
    const { ids } = await commitBlobs(64, { pack: false });
    git(dir, "repack", "-a", "-d", "-q");
    const fresh = await openGitRepository(dir);
    // Every read finds no pack known yet and refreshes the pack list; none may report a miss.
    const read = await Promise.all(ids.map((id) => fresh.readBlob(id)));
    expect(read.map((b) => text(b))).toEqual(ids.map((_, i) => blobText(i)));
    await fresh.close();
  });

  it("hold one file descriptor per open pack (hundreds of packs stay under the process's limit)", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const id = gitInput(dir, `pack ${i}\n`, "hash-object", "-w", "--stdin");
      gitInput(dir, `${id}\n`, "pack-objects", "-q", ".git/objects/pack/pack"); // a pack of its own
      ids.push(id);
    }
    git(dir, "prune-packed"); // the loose copies go: every read is from a pack
    expect(readdirSync(join(dir, ".git/objects/pack")).filter((n) => n.endsWith(".idx"))).toHaveLength(24);
    const open = () => readdirSync("/proc/self/fd").length;
    const before = open();
    const fresh = await openGitRepository(dir);
    for (const [i, id] of ids.entries()) expect(text(await fresh.readBlob(id))).toBe(`pack ${i}\n`);
    expect(open() - before).toBeLessThanOrEqual(24 + 2);
    await fresh.close();
    expect(open()).toBeLessThanOrEqual(before);
  });

  it("notice packs that appear and disappear under a running process", async () => {
    const { ids } = await commitBlobs(50, { pack: false });
    expect(text(await repo.readBlob(ids[0]!))).toBe(blobText(0));
    git(dir, "repack", "-a", "-d", "-q");
    git(dir, "prune-packed");
    expect(text(await repo.readBlob(ids[1]!))).toBe(blobText(1));
    git(dir, "gc", "--aggressive", "--prune=now", "-q");
    expect(text(await repo.readBlob(ids[2]!))).toBe(blobText(2));
  });
});

/** A zlib stream of `content` that starts with `padding` empty stored blocks (valid, but longer than zlib's bound). */
function paddedZlib(content: Buffer, padding: number): Buffer {
  let a = 1;
  let b = 0;
  for (const byte of content) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0);
  const empty = Buffer.from([0, 0, 0, 0xff, 0xff]);
  return Buffer.concat([
    Buffer.from([0x78, 0x01]),
    ...Array<Buffer>(padding).fill(empty),
    deflateRawSync(content),
    adler,
  ]);
}

/** A pack of blobs with the given zlib streams, indexed by `git index-pack`; returns nothing (it lands in `objects/pack`). */
function writePackByHand(blobs: readonly { content: Buffer; zlib: Buffer }[]): void {
  const parts: Buffer[] = [Buffer.from("PACK"), Buffer.from([0, 0, 0, 2]), Buffer.alloc(4)];
  parts[2]!.writeUInt32BE(blobs.length);
  for (const { content, zlib } of blobs) {
    const head: number[] = [];
    let size = content.length;
    let byte = (3 << 4) | (size & 15); // type 3: blob
    size = Math.floor(size / 16);
    while (size > 0) {
      head.push(byte | 0x80);
      byte = size & 0x7f;
      size = Math.floor(size / 128);
    }
    head.push(byte);
    parts.push(Buffer.from(head), zlib);
  }
  const body = Buffer.concat(parts);
  const pack = Buffer.concat([body, createHash("sha1").update(body).digest()]);
  const path = join(dir, ".git/objects/pack/pack-by-hand.pack");
  writeFileSync(path, pack);
  git(dir, "index-pack", path);
}

describe("packed objects read without looking up where they end", () => {
  it("read big objects and zlib streams longer than zlib's own bound", async () => {
    const small = Buffer.from("small blob\n");
    const big = randomBytes(200_000); // incompressible: more than the first read of a packed object
    const padded = Buffer.from("padded blob\n");
    writePackByHand([
      { content: small, zlib: deflateSync(small) },
      { content: big, zlib: deflateSync(big) },
      { content: padded, zlib: paddedZlib(padded, 4000) }, // 20 kB of stream for 12 bytes
      { content: small.subarray(0, 5), zlib: deflateSync(small.subarray(0, 5)) }, // the last object
    ]);
    const ids = [small, big, padded, small.subarray(0, 5)].map((c) => hashObject("blob", c));
    for (const id of ids) expect(git(dir, "cat-file", "-t", id)).toBe("blob");
    const fresh = await openGitRepository(dir);
    expect(Buffer.from(await fresh.readBlob(ids[0]!)).equals(small)).toBe(true);
    expect(Buffer.from(await fresh.readBlob(ids[1]!)).equals(big)).toBe(true);
    expect(Buffer.from(await fresh.readBlob(ids[2]!)).equals(padded)).toBe(true);
    expect(text(await fresh.readBlob(ids[3]!))).toBe("small");
    await fresh.close();
  });
});

describe("objects read lately", () => {
  it("are kept in memory (an object never changes under its id), the big ones not", async () => {
    const db = new GitObjectDatabase(join(dir, ".git/objects"), { recentCacheBytes: 64 * 1024 });
    const [kept, big] = await db.write([
      { type: "blob", content: bytes("read twice\n") },
      { type: "blob", content: randomBytes(16 * 1024) }, // past an eighth of the bound
    ]);
    await db.flush();
    const fresh = new GitObjectDatabase(join(dir, ".git/objects"), { recentCacheBytes: 64 * 1024 });
    expect(text((await fresh.read(kept!))!.content)).toBe("read twice\n");
    expect((await fresh.read(big!))?.content.length).toBe(16 * 1024);
    for (const id of [kept!, big!]) rmSync(join(dir, ".git/objects", id.slice(0, 2), id.slice(2)), { force: true });
    expect(text((await fresh.read(kept!))!.content)).toBe("read twice\n"); // no second read from disk
    expect(await fresh.has(kept!)).toBe(false); // `has` tells what is stored (a writer relies on it)
    expect(await fresh.read(big!)).toBeUndefined();
    await db.close();
    await fresh.close();
  });
});

describe("corrupted objects", () => {
  it("are reported with GIT_OBJECT_CORRUPT, never returned", async () => {
    const [a, b] = await repo.objects.write([
      { type: "blob", content: bytes("first\n") },
      { type: "blob", content: bytes("second\n") },
    ]);
    await repo.objects.flush();
    const pathA = join(dir, ".git/objects", a!.slice(0, 2), a!.slice(2));
    const pathB = join(dir, ".git/objects", b!.slice(0, 2), b!.slice(2));
    chmodSync(pathA, 0o644);
    writeFileSync(pathA, Buffer.from("not zlib at all"));
    const fresh = await openGitRepository(dir);
    const e1 = await fresh.readBlob(a!).catch((e: unknown) => e);
    expect(isGitStoreError(e1, "GIT_OBJECT_CORRUPT")).toBe(true);
    // Valid zlib, valid header, wrong content for the id.
    chmodSync(pathB, 0o644);
    writeFileSync(pathB, deflateSync(Buffer.from("blob 6\0third\n")));
    const e2 = await fresh.readBlob(b!).catch((e: unknown) => e);
    expect(isGitStoreError(e2, "GIT_OBJECT_CORRUPT")).toBe(true);
    expect((e2 as Error).message).toContain("does not match");
    await fresh.close();
  });

  it("a truncated pack index is reported, by the lazy lookups and by the whole-index read", async () => {
    const { ids } = await commitBlobs(40, { pack: true });
    const idx = readdirSync(join(dir, ".git/objects/pack")).find((n) => n.endsWith(".idx"))!;
    const path = join(dir, ".git/objects/pack", idx);
    chmodSync(path, 0o644);
    writeFileSync(path, readFileSync(path).subarray(0, 8 + 1024 + 20 * 10)); // header, fan-out, 10 names
    const fresh = await openGitRepository(dir);
    const errors = await Promise.all(ids.map((id) => fresh.readBlob(id).catch((e: unknown) => e)));
    // Lookups past the first 32 read the index whole: every one of the 40 fails the same way.
    for (const e of errors) expect(isGitStoreError(e, "GIT_OBJECT_CORRUPT"), String(e)).toBe(true);
    expect((errors[39] as Error).message).toContain("truncated");
    await fresh.close();
  });
});

it("computes the same ids as git hash-object", () => {
  for (const s of ["", "x", "hello\n", "é\0binary"]) {
    expect(hashObject("blob", bytes(s))).toBe(gitInput(dir, s, "hash-object", "--stdin"));
  }
  expect(readFileSync(join(dir, ".git/HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
});
