/** Opening a dataset: what it reads of Git's index, and that it finds the same dataset either way. */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Worktree } from "@git-prolly/git-object-store";
import { VersionedKvStore } from "../src/index.js";
import { git, removeDir, tempDir, writeFile } from "./helpers.js";

let dir: string;
beforeEach(async () => {
  dir = tempDir("open-path");
  git(dir, "init", "-q", "-b", "main");
  writeFile(join(dir, "README.md"), "hi\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "code");
  const s = await VersionedKvStore.init(join(dir, "data/config"));
  await s.set("a", "1");
  await s.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  removeDir(dir);
});

describe("opening a dataset", () => {
  it("reads no whole index while the staging area's record matches it, and the index after Git changed it", async () => {
    const readIndex = vi.spyOn(Worktree.prototype, "readIndex");
    let s = await VersionedKvStore.open(join(dir, "data/config"));
    expect(await s.getString("a")).toBe("1");
    await s.close();
    expect(readIndex).not.toHaveBeenCalled();
    writeFile(join(dir, "README.md"), "changed\n");
    git(dir, "add", "README.md"); // the index changes: the record no longer vouches for it
    s = await VersionedKvStore.open(join(dir, "data/config/root"));
    expect(s.dataset).toBe("data/config");
    expect(await s.getString("a")).toBe("1");
    await s.close();
    expect(readIndex).toHaveBeenCalled();
  });

  it("still tells where datasets are when there is none at the path", async () => {
    await expect(VersionedKvStore.open(join(dir, "data"))).rejects.toMatchObject({
      code: "KV_NOT_A_DATASET",
      data: { datasets: ["data/config"] },
    });
  });
});
