/** `merge` reports its phases (the CLI's progress line on large merges). */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MergePhase, VersionedKvStore } from "../src/index.js";
import { closeAndRemove, committedStore } from "./helpers.js";

describe("merge progress", () => {
  let dir: string;
  let store: VersionedKvStore;
  beforeEach(async () => {
    ({ dir, store } = await committedStore("merge-progress", { a: "1" }, "base"));
    await store.branch("feature");
  });
  afterEach(() => closeAndRemove(store, dir));

  it("a three-way merge goes through every phase in order", async () => {
    await store.checkout("feature");
    await store.set("b", "2");
    await store.commit("b");
    await store.checkout("main");
    await store.set("c", "3");
    await store.commit("c");
    const phases: MergePhase[] = [];
    const outcome = await store.merge("feature", { onProgress: (p) => phases.push(p) });
    expect(outcome.status).toBe("merged");
    expect(phases).toEqual(["finding base", "merging keys", "writing", "updating files"]);
  });

  it("a fast-forward only finds the base and updates the files; a conflict stops before writing", async () => {
    await store.checkout("feature");
    await store.set("a", "feature");
    await store.commit("a on feature");
    await store.checkout("main");
    const ff: MergePhase[] = [];
    await store.merge("feature", { onProgress: (p) => ff.push(p) });
    expect(ff).toEqual(["finding base", "updating files"]);

    await store.set("a", "main");
    await store.commit("a on main");
    await store.checkout("feature");
    await store.set("a", "other");
    await store.commit("a again");
    await store.checkout("main");
    const conflict: MergePhase[] = [];
    const outcome = await store.merge("feature", { onProgress: (p) => conflict.push(p) });
    expect(outcome.status).toBe("conflicts");
    expect(conflict).toEqual(["finding base", "merging keys"]);
  });
});
