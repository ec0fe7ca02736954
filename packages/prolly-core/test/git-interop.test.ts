import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  MemoryObjectDatabase,
  ObjectNodeStore,
  buildTree,
  childName,
  compareTreeEntries,
  decodeTree,
  encodeTree,
  utf8,
} from "../src/index.js";
import { SMALL, key, nodeSha1, value } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "prolly-git-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (args: string[], input?: Uint8Array) =>
  execFileSync("git", args, {
    cwd: dir,
    input,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  })
    .toString()
    .trim();

describe("nodes are valid Git objects", () => {
  it("git computes the same ids, accepts every tree, and fsck --strict passes on a commit of the root", async () => {
    git(["init", "-q", "--bare", "."]);
    const db = new MemoryObjectDatabase();
    const store = new ObjectNodeStore(db, { hash: nodeSha1 });
    const entries = Array.from({ length: 400 }, (_, i) => [key(i), value(i)] as const);
    // A few long keys exercise hash-suffixed names.
    const long = Array.from({ length: 5 }, (_, i) => [utf8(`zz-long-key-${"x".repeat(60)}-${i}`), value(i)] as const);
    const root = await buildTree(store, [...entries, ...long], { config: SMALL });
    let trees = 0;
    for (const id of db.ids()) {
      const obj = (await db.read(id as never))!;
      const written = git(["hash-object", "-w", "-t", obj.type, "--stdin"], obj.content);
      expect(written).toBe(id);
      if (obj.type === "tree") trees++;
    }
    expect(trees).toBeGreaterThan(3);
    const commit = git(["commit-tree", root, "-m", "prolly"]);
    git(["update-ref", "refs/heads/main", commit]);
    git(["fsck", "--strict", "--no-dangling"]);
    const files = git(["ls-tree", "-r", "--name-only", "main"]).split("\n");
    // Every leaf is a file, every internal node a directory with its .node index.
    expect(files.filter((f) => f.endsWith(".node")).length).toBe(trees);
    expect(files.some((f) => f.includes("~"))).toBe(true);
  });

  it("sorts tree entries the way Git does, directories as if suffixed with /", () => {
    const id = "0".repeat(40) as never;
    const entries = [
      { mode: "100644" as const, name: "ab", id },
      { mode: "40000" as const, name: "a", id },
      { mode: "100644" as const, name: "a.b", id },
      { mode: "100644" as const, name: ".node", id },
    ];
    const names = decodeTree(encodeTree(entries)).map((e) => e.name);
    expect(names).toEqual([".node", "a.b", "a", "ab"]);
    expect(compareTreeEntries(entries[1]!, entries[2]!)).toBeGreaterThan(0);
    expect(childName(utf8("ab"))).toBe("6162");
    expect(childName(new Uint8Array(41).fill(0xff))).toMatch(/^f{64}~[0-9a-f]{16}$/);
  });
});
