#!/usr/bin/env node
// Benchmarks of git-object-store's object database against git and isomorphic-git (figures only).
//   node bench/git-object-store.bench.mjs      # 16,000 distinct 4 KB blobs (BENCH_BLOBS to change)
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitObjectDatabase, encodeTreeObject, initGitRepository } from "../packages/git-object-store/dist/index.js";

const require = createRequire(new URL("../packages/git-object-store/package.json", import.meta.url));
const isogit = await import(require.resolve("isomorphic-git"));
const COUNT = Number(process.env.BENCH_BLOBS ?? 16_000);
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "b@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "b@example.com",
};
const root = fs.mkdtempSync(join(tmpdir(), "gos-bench-"));
const git = (cwd, ...args) => execFileSync("git", args, { cwd, env: ENV, encoding: "utf8", maxBuffer: 1 << 30 }).trim();
const now = () => performance.now();
const ms = (t) => `${t.toFixed(0)} ms`;
const rate = (n, t) => `${Math.round((n / t) * 1000).toLocaleString("en")}/s`;
const row = (what, ours, other, note = "") =>
  console.log(`${what.padEnd(44)} ${String(ours).padStart(14)} ${String(other).padStart(16)}  ${note}`);

console.log(
  `git-object-store benchmark: ${COUNT.toLocaleString("en")} distinct 4 KB blobs, node ${process.version}, ${git(root, "--version")}`,
);
console.log(`${"".padEnd(44)} ${"git-object-store".padStart(14)} ${"reference".padStart(16)}`);
const blobs = Array.from({ length: COUNT }, () => ({
  type: "blob",
  content: Buffer.from(randomBytes(2048).toString("hex")),
}));

// ---- writes ------------------------------------------------------------------------------------
const ours = join(root, "ours");
const repo = await initGitRepository(ours, { initialBranch: "main" });
let t = now();
const ids = await repo.objects.writePack(blobs);
const tree = encodeTreeObject(ids.map((id, i) => ({ mode: "100644", name: `f${i}`, id })));
const [treeId] = await repo.objects.write([{ type: "tree", content: tree }]);
const sig = { name: "Bench", email: "b@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 };
const commit = await repo.writeCommit({ tree: treeId, parents: [], author: sig, committer: sig, message: "blobs" });
await repo.objects.flush();
await repo.refs.update("refs/heads/main", commit);
const packMs = now() - t;
const idx = fs.readdirSync(join(ours, ".git/objects/pack")).find((n) => n.endsWith(".idx"));
t = now();
git(ours, "verify-pack", join(ours, ".git/objects/pack", idx));
const verifyMs = now() - t;
git(ours, "fsck", "--strict", "--full");

const streamPath = join(root, "stream");
const fd = fs.openSync(streamPath, "w");
blobs.forEach((b, i) => {
  fs.writeSync(fd, `blob\nmark :${i + 1}\ndata ${b.content.length}\n`);
  fs.writeSync(fd, b.content);
  fs.writeSync(fd, "\n");
});
fs.writeSync(fd, "commit refs/heads/main\ncommitter Bench <b@example.com> 1700000000 +0000\ndata 5\nblobs\n");
blobs.forEach((_, i) => fs.writeSync(fd, `M 100644 :${i + 1} f${i}\n`));
fs.closeSync(fd);
const fi = join(root, "fast-import");
git(root, "init", "-q", "--bare", "-b", "main", fi);
t = now();
const r = spawnSync("git", ["fast-import", "--quiet"], {
  cwd: fi,
  env: ENV,
  stdio: [fs.openSync(streamPath, "r"), "inherit", "inherit"],
});
if (r.status !== 0) throw new Error("fast-import failed");
const fastImportMs = now() - t;
row(
  `write ${COUNT} blobs + tree + commit as a pack`,
  ms(packMs),
  ms(fastImportMs),
  `git fast-import of the same objects; same commit tree: ${git(fi, "rev-parse", "main^{tree}") === treeId}`,
);
row("  git verify-pack of our pack", "", ms(verifyMs), "and git fsck --strict --full passes");

const sample = blobs.slice(0, 2000);
const looseDir = join(root, "loose");
git(root, "init", "-q", "-b", "main", looseDir);
const looseDb = new GitObjectDatabase(join(looseDir, ".git/objects"), { packThreshold: Infinity });
t = now();
await looseDb.write(sample);
await looseDb.flush();
const looseMs = now() - t;
const isoDir = join(root, "iso");
git(root, "init", "-q", "-b", "main", isoDir);
t = now();
for (let i = 0; i < sample.length; i += 16)
  await Promise.all(sample.slice(i, i + 16).map((b) => isogit.writeBlob({ fs, dir: isoDir, blob: b.content })));
const isoWriteMs = now() - t;
row(
  "loose writes (2,000 blobs)",
  rate(sample.length, looseMs),
  rate(sample.length, isoWriteMs),
  "isomorphic-git writeBlob, 16 in flight",
);
row("pack writes", rate(COUNT, packMs), rate(COUNT, fastImportMs), "git fast-import");

// ---- reads -------------------------------------------------------------------------------------
const order = Array.from({ length: 5000 }, (_, i) => ids[(i * 7919) % ids.length]);
const fresh = new GitObjectDatabase(join(ours, ".git/objects"));
t = now();
await fresh.read(order[0]);
const firstOurs = now() - t;
t = now();
for (const id of order) await fresh.read(id);
const oursReadMs = now() - t;
const cache = {};
t = now();
await isogit.readObject({ fs, gitdir: join(ours, ".git"), oid: order[0], cache, format: "content" });
const firstIso = now() - t;
t = now();
const isoSample = order.slice(0, 500);
for (const id of isoSample)
  await isogit.readObject({ fs, gitdir: join(ours, ".git"), oid: id, cache, format: "content" });
const isoReadMs = now() - t;
t = now();
execFileSync("git", ["cat-file", "--batch"], { cwd: ours, input: `${order.join("\n")}\n`, maxBuffer: 1 << 30 });
const catFileMs = now() - t;
row(
  "first packed read in a new process",
  ms(firstOurs),
  ms(firstIso),
  "isomorphic-git with a shared cache (loads and checksums the whole pack)",
);
row(
  "packed reads (random, hash-checked)",
  rate(order.length, oursReadMs),
  rate(isoSample.length, isoReadMs),
  `isomorphic-git, shared cache; git cat-file --batch: ${rate(order.length, catFileMs)}`,
);
await fresh.close();
await looseDb.close();
await repo.close();
console.log(`\nreproduce: BENCH_BLOBS=${COUNT} node bench/git-object-store.bench.mjs`);
fs.rmSync(root, { recursive: true, force: true });
