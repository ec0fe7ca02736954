import { describe, expect, it } from "vitest";
import {
  buildReleaseSet,
  bumpVersion,
  describeStep,
  isReleaseError,
  planPatchAdd,
  planPatchNew,
  planPromoteProd,
  planPromoteRc,
  planReleaseNew,
  planUpgrade,
  type ReleaseErrorCode,
  type ReleaseSet,
  patchBranchesToNotify,
} from "../src/index.js";

function set(files: Record<string, string>): ReleaseSet {
  return buildReleaseSet(Object.entries(files).map(([name, text]) => ({ name, text })));
}

function code(fn: () => unknown): ReleaseErrorCode | "none" {
  try {
    fn();
    return "none";
  } catch (e) {
    if (isReleaseError(e)) return e.code;
    throw e;
  }
}

function error(fn: () => unknown): { code: string; message: string; hint: string } {
  try {
    fn();
  } catch (e) {
    if (isReleaseError(e)) return e;
  }
  throw new Error("expected a ReleaseError");
}

describe("semver", () => {
  it("bumps patch, minor and major and rejects non X.Y.Z input", () => {
    expect(bumpVersion("1.3.5", "patch")).toBe("1.3.6");
    expect(bumpVersion("1.3.5", "minor")).toBe("1.4.0");
    expect(bumpVersion("1.3.5", "major")).toBe("2.0.0");
    expect(code(() => bumpVersion("1.3", "patch"))).toBe("RELEASE_INVALID_VERSION");
    expect(code(() => bumpVersion("v1.3.5", "patch"))).toBe("RELEASE_INVALID_VERSION");
  });
});

describe("release new", () => {
  const prod = set({ "0.0.0.txt": "", "1.3.5.txt": "001-a\n" });

  it("computes the next version from production, as an empty stage committed and pushed", () => {
    const plan = planReleaseNew(prod, "minor");
    expect(plan).toMatchObject({ base: "1.3.5", version: "1.4.0", stageFile: "releases/1.4.0-stage.txt" });
    expect(plan.steps.map((s) => s.kind)).toEqual(["write-file", "commit", "push"]);
    expect(plan.steps[0]).toEqual({ kind: "write-file", path: "releases/1.4.0-stage.txt", content: "" });
    expect(planReleaseNew(prod, "patch", { push: false }).steps.map((s) => s.kind)).toEqual(["write-file", "commit"]);
  });

  it("prepares several stages in parallel but each version once", () => {
    const parallel = set({ "1.3.5.txt": "", "1.4.0-stage.txt": "" });
    expect(planReleaseNew(parallel, "patch").version).toBe("1.3.6");
    expect(planReleaseNew(parallel, "major").version).toBe("2.0.0");
    expect(code(() => planReleaseNew(parallel, "minor"))).toBe("RELEASE_STAGE_EXISTS");
    expect(code(() => planReleaseNew(parallel, "huge"))).toBe("RELEASE_INVALID_VERSION");
  });

  it("refuses a version below the active RC, which could never be promoted", () => {
    const withRc = set({ "0.0.0.txt": "", "0.1.0-rc1.txt": "001-a\n" });
    const e = error(() => planReleaseNew(withRc, "patch"));
    expect(e.code).toBe("RELEASE_ACTIVE_RC");
    expect(e.message).toContain("0.0.1 would come before it");
    expect(e.hint).toContain("git-prolly dev release promote prod");
    expect(e.hint).toContain("then run git-prolly dev release new patch again");
    expect(planReleaseNew(withRc, "major").version).toBe("1.0.0");
    // once the RC is in production, patch releases follow it
    expect(planReleaseNew(set({ "0.1.0-rc1.txt": "001-a\n", "0.1.0.txt": "" }), "patch").version).toBe("0.1.1");
  });
});

describe("patch new", () => {
  it("validates the id and plans ho-patch/<id> with Patches/<id>/README.md", () => {
    const plan = planPatchNew(set({}), "123-add-users", { description: "Users table" });
    expect(plan).toMatchObject({
      branch: "ho-patch/123-add-users",
      reservationRef: "refs/git-prolly/patch-id/123-add-users",
      directory: "Patches/123-add-users",
    });
    expect(plan.readme.content).toContain("Users table");
    expect(plan.steps.map(describeStep)).toEqual([
      "create branch ho-patch/123-add-users at ho-prod",
      "checkout ho-patch/123-add-users",
      "write Patches/123-add-users/README.md (3 line(s))",
      'commit "Add Patches/123-add-users - Users table"',
      "push origin ho-patch/123-add-users:refs/heads/ho-patch/123-add-users",
    ]);
    for (const bad of ["users", "123_users", "123-Users", "", "123-", "-1"])
      expect(code(() => planPatchNew(set({}), bad))).toBe("RELEASE_INVALID_PATCH_ID");
  });

  it("refuses an id that a release lists or whose branch exists", () => {
    expect(code(() => planPatchNew(set({ "1.0.0.txt": "001-a\n" }), "001-a"))).toBe("RELEASE_PATCH_ID_RESERVED");
    expect(code(() => planPatchNew(set({}), "002-b", { existingBranches: ["ho-patch/002-b"] }))).toBe(
      "RELEASE_PATCH_ID_RESERVED",
    );
  });
});

describe("patch add", () => {
  it("says No stage releases found without a stage", () => {
    const e = error(() => planPatchAdd(set({ "0.0.0.txt": "" }), "001-a"));
    expect(e).toMatchObject({ code: "RELEASE_NO_STAGE", message: "No stage releases found" });
    expect(e.hint).toContain("release new patch");
  });

  it("merges the stage's archived patches then the new one on temp-valid-<X.Y.Z>", () => {
    const plan = planPatchAdd(set({ "1.3.5.txt": "", "1.3.6-stage.txt": "001-a\n002-b\n" }), "003-c");
    expect(plan.validationBranch).toBe("temp-valid-1.3.6");
    expect(plan.merges).toEqual(["ho-release/1.3.6/001-a", "ho-release/1.3.6/002-b", "ho-patch/003-c"]);
    expect(plan.stageFile).toEqual({ path: "releases/1.3.6-stage.txt", content: "001-a\n002-b\n003-c\n" });
    expect(plan.archiveBranch).toBe("ho-release/1.3.6/003-c");
    expect(plan.validate.map((s) => s.kind)).toEqual([
      "create-branch",
      "checkout",
      "merge",
      "merge",
      "merge",
      "write-file",
      "commit",
    ]);
    expect(plan.integrate.map(describeStep)).toEqual([
      "checkout ho-prod (discarding changes)",
      "delete branch temp-valid-1.3.6",
      "write releases/1.3.6-stage.txt (3 line(s))",
      'commit "Add 003-c to release 1.3.6-stage"',
      "create branch ho-release/1.3.6/003-c at ho-patch/003-c",
      "push origin ho-prod:refs/heads/ho-prod ho-release/1.3.6/003-c:refs/heads/ho-release/1.3.6/003-c",
    ]);
    expect(plan.cleanup.map(describeStep)).toEqual([
      "checkout ho-prod (discarding changes)",
      "delete branch temp-valid-1.3.6",
    ]);
  });

  it("merges only the stage patches after an RC: the RC's code is already on ho-prod", () => {
    const plan = planPatchAdd(set({ "1.3.5-rc1.txt": "001-a\n", "1.3.5-stage.txt": "002-b\n" }), "999-rc1-fix");
    expect(plan.merges).toEqual(["ho-release/1.3.5/002-b", "ho-patch/999-rc1-fix"]);
  });

  it("needs --to-version with several stages, and checks it", () => {
    const two = set({ "1.3.5.txt": "", "1.3.6-stage.txt": "", "1.4.0-stage.txt": "" });
    expect(code(() => planPatchAdd(two, "123-hotfix"))).toBe("RELEASE_MULTIPLE_STAGES");
    expect(planPatchAdd(two, "123-hotfix", { toVersion: "1.3.6" }).version).toBe("1.3.6");
    expect(planPatchAdd(two, "456-feature", { toVersion: "1.4.0" }).stageFile.path).toBe("releases/1.4.0-stage.txt");
    expect(code(() => planPatchAdd(two, "1-a", { toVersion: "1.5.0" }))).toBe("RELEASE_STAGE_NOT_FOUND");
    expect(code(() => planPatchAdd(two, "1-a", { toVersion: "1.5" }))).toBe("RELEASE_INVALID_VERSION");
  });

  it("merges branches only origin has as origin/<name> (an integration manager adding others' patches)", () => {
    const s = set({ "1.0.0-stage.txt": "001-a\n" });
    const plan = planPatchAdd(s, "002-b", {
      existingBranches: ["ho-prod"],
      remoteBranches: ["ho-prod", "ho-patch/002-b", "ho-release/1.0.0/001-a"],
    });
    expect(plan.merges).toEqual(["origin/ho-release/1.0.0/001-a", "origin/ho-patch/002-b"]);
    expect(plan.integrate).toContainEqual({
      kind: "create-branch",
      name: "ho-release/1.0.0/002-b",
      from: "origin/ho-patch/002-b",
    });
    expect(
      code(() => planPatchAdd(s, "002-b", { existingBranches: ["ho-prod"], remoteBranches: ["ho-patch/002-b"] })),
    ).toBe("RELEASE_BRANCH_NOT_FOUND");
  });

  it("refuses an id already in a release and a missing patch branch", () => {
    const s = set({ "1.3.5-rc1.txt": "001-a\n", "1.3.5-stage.txt": "" });
    expect(code(() => planPatchAdd(s, "001-a"))).toBe("RELEASE_PATCH_ALREADY_IN_RELEASE");
    expect(code(() => planPatchAdd(s, "002-b", { existingBranches: ["ho-patch/003-c"] }))).toBe(
      "RELEASE_BRANCH_NOT_FOUND",
    );
  });
});

describe("promote rc", () => {
  it("promotes the smallest stage first, to a cumulative rc1, tags it and deletes the patch branches", () => {
    const s = set({ "1.3.5.txt": "", "1.3.6-stage.txt": "001-hotfix\n", "1.4.0-stage.txt": "002-feature\n" });
    const plan = planPromoteRc(s, {
      patchBranches: ["ho-patch/001-hotfix", "ho-patch/002-feature", "ho-patch/003-wip", "ho-patch/004-later"],
    });
    expect(plan).toMatchObject({
      version: "1.3.6",
      rc: 1,
      tag: "v1.3.6-rc1",
      patches: ["001-hotfix"],
      merges: ["ho-release/1.3.6/001-hotfix"],
    });
    expect(plan.deletedBranches).toEqual(["ho-patch/001-hotfix"]);
    // 002-feature is in the 1.4.0 stage (archived): no notice for it
    expect(plan.notify).toEqual(["ho-patch/003-wip", "ho-patch/004-later"]);
    expect(plan.notice).toContain("merge origin/ho-prod");
    expect(plan.steps.map(describeStep)).toEqual([
      "merge ho-release/1.3.6/001-hotfix",
      "write releases/1.3.6-rc1.txt (1 line(s))",
      "write releases/1.3.6-stage.txt (empty)",
      'commit "Promote 1.3.6-stage to 1.3.6-rc1"',
      "tag v1.3.6-rc1 at HEAD",
      "delete branch ho-patch/001-hotfix",
      "push origin ho-prod:refs/heads/ho-prod refs/tags/v1.3.6-rc1:refs/tags/v1.3.6-rc1 :refs/heads/ho-patch/001-hotfix",
    ]);
  });

  it("says Active RC exists when another version is in RC", () => {
    const s = set({ "1.3.6-rc1.txt": "001-hotfix\n", "1.3.6-stage.txt": "", "1.4.0-stage.txt": "002-feature\n" });
    const e = error(() => planPromoteRc(s));
    expect(e.code).toBe("RELEASE_ACTIVE_RC");
    expect(e.message).toMatch(/^Active RC exists/);
    expect(e.hint).toContain("release promote prod");
  });

  it("makes rc2 from the fixes added after rc1, cumulative", () => {
    const s = set({ "1.3.5-rc1.txt": "001-a\n002-b\n", "1.3.5-stage.txt": "999-rc1-fix\n" });
    const plan = planPromoteRc(s);
    expect(plan).toMatchObject({
      rc: 2,
      tag: "v1.3.5-rc2",
      newPatches: ["999-rc1-fix"],
      patches: ["001-a", "002-b", "999-rc1-fix"],
    });
    expect(plan.rcFile).toEqual({ path: "releases/1.3.5-rc2.txt", content: "001-a\n002-b\n999-rc1-fix\n" });
    expect(code(() => planPromoteRc(set({ "1.3.5-rc1.txt": "001-a\n", "1.3.5-stage.txt": "" })))).toBe(
      "RELEASE_EMPTY_STAGE",
    );
  });

  it("refuses a stage that is not after production (sequential releases)", () => {
    expect(code(() => planPromoteRc(set({ "1.3.5.txt": "", "1.3.4-stage.txt": "001-late\n" })))).toBe(
      "RELEASE_INVALID_VERSION",
    );
  });

  it("never skips an empty smallest stage, and says No stage releases found without one", () => {
    expect(code(() => planPromoteRc(set({ "1.3.6-stage.txt": "", "1.4.0-stage.txt": "002-f\n" })))).toBe(
      "RELEASE_EMPTY_STAGE",
    );
    expect(error(() => planPromoteRc(set({ "1.3.5.txt": "" }))).message).toBe("No stage releases found");
  });

  it("falls back to ho-patch/<id> when the archive branch is missing, else fails before any step", () => {
    const s = set({ "1.0.0-stage.txt": "001-a\n002-b\n" });
    expect(planPromoteRc(s, { existingBranches: ["ho-release/1.0.0/001-a", "ho-patch/002-b"] }).merges).toEqual([
      "ho-release/1.0.0/001-a",
      "ho-patch/002-b",
    ]);
    expect(code(() => planPromoteRc(s, { existingBranches: ["ho-release/1.0.0/001-a"] }))).toBe(
      "RELEASE_BRANCH_NOT_FOUND",
    );
    expect(
      planPromoteRc(s, { existingBranches: [], remoteBranches: ["ho-release/1.0.0/001-a", "ho-release/1.0.0/002-b"] })
        .merges,
    ).toEqual(["origin/ho-release/1.0.0/001-a", "origin/ho-release/1.0.0/002-b"]);
  });
});

describe("promote prod", () => {
  it("writes X.Y.Z.txt with every patch of every RC, removes the stage, commits the model and tags vX.Y.Z", () => {
    const s = set({
      "1.3.4.txt": "",
      "1.3.5-rc1.txt": "001-a\n",
      "1.3.5-rc2.txt": "002-b\n",
      "1.3.5-stage.txt": "",
      "1.4.0-stage.txt": "003-c\n",
    });
    const plan = planPromoteProd(s);
    expect(plan).toMatchObject({
      version: "1.3.5",
      fromRc: "1.3.5-rc2",
      tag: "v1.3.5",
      patches: ["001-a", "002-b"],
      removedStage: "releases/1.3.5-stage.txt",
    });
    expect(plan.prodFile.content).toBe("001-a\n002-b\n");
    expect(plan.steps[2]).toMatchObject({
      kind: "commit",
      paths: ["releases/1.3.5.txt", "releases/1.3.5-stage.txt", "model"],
    });
    expect(plan.steps.at(-1)).toEqual({
      kind: "push",
      remote: "origin",
      refspecs: ["ho-prod:refs/heads/ho-prod", "refs/tags/v1.3.5:refs/tags/v1.3.5"],
    });
  });

  it("promotes the smallest stage straight to production only when asked (withoutRc)", () => {
    const s = set({ "1.0.0.txt": "", "1.1.0-stage.txt": "001-a\n", "1.2.0-stage.txt": "002-b\n" });
    expect(code(() => planPromoteProd(s))).toBe("RELEASE_NO_ACTIVE_RC");
    const plan = planPromoteProd(s, { withoutRc: true, patchBranches: ["ho-patch/001-a"] });
    expect(plan).toMatchObject({
      version: "1.1.0",
      fromRc: undefined,
      patches: ["001-a"],
      merges: ["ho-release/1.1.0/001-a"],
      deletedBranches: ["ho-patch/001-a"],
      tag: "v1.1.0",
    });
    expect(plan.steps.map((x) => x.kind)).toEqual([
      "merge",
      "delete-file",
      "write-file",
      "commit",
      "tag",
      "delete-branch",
      "push",
    ]);
    expect(
      code(() =>
        planPromoteProd(set({ "1.1.0-rc1.txt": "001-a\n", "1.2.0-stage.txt": "002-b\n" }), { withoutRc: true }),
      ),
    ).toBe("none");
  });

  it("needs an active RC and refuses stage patches no RC holds", () => {
    expect(code(() => planPromoteProd(set({ "1.3.6-stage.txt": "001-a\n" })))).toBe("RELEASE_NO_ACTIVE_RC");
    expect(code(() => planPromoteProd(set({ "1.3.6-rc1.txt": "001-a\n", "1.3.6-stage.txt": "002-b\n" })))).toBe(
      "RELEASE_NO_ACTIVE_RC",
    );
  });
});

describe("generated files, remote-only deletions and notices", () => {
  it("promote rc stages the generated types and deletes on the remote only the branches it has", () => {
    const s = set({ "1.0.0.txt": "", "1.0.1-stage.txt": "001-a\n002-b\n" });
    const plan = planPromoteRc(s, {
      patchBranches: ["ho-patch/001-a", "ho-patch/002-b", "ho-patch/003-wip"],
      remoteBranches: ["ho-patch/001-a", "ho-patch/003-wip", "ho-release/1.0.1/001-a", "ho-release/1.0.1/002-b"],
      existingBranches: ["ho-prod", "ho-patch/002-b"],
      generatedPaths: ["src/db/database.ts"],
    });
    expect(plan.merges).toEqual(["origin/ho-release/1.0.1/001-a", "origin/ho-release/1.0.1/002-b"]);
    expect(plan.steps[0]).toMatchObject({ kind: "merge", resolveTheirs: ["src/db/database.ts"] });
    expect(plan.steps.find((x) => x.kind === "commit")).toMatchObject({
      paths: ["releases/1.0.1-rc1.txt", "releases/1.0.1-stage.txt", "src/db/database.ts"],
    });
    expect(plan.deletedBranches).toEqual(["ho-patch/001-a", "ho-patch/002-b"]);
    // ho-patch/002-b is local only: deleting it on origin would make the atomic push fail
    expect(plan.steps.at(-1)).toMatchObject({
      kind: "push",
      refspecs: [
        "ho-prod:refs/heads/ho-prod",
        "refs/tags/v1.0.1-rc1:refs/tags/v1.0.1-rc1",
        ":refs/heads/ho-patch/001-a",
      ],
    });
    expect(plan.notify).toEqual(["ho-patch/003-wip"]);
  });

  it("promote prod stages the generated types, resolves their conflicts, and lists the branches to notify", () => {
    const withRc = planPromoteProd(
      set({ "1.0.0-rc1.txt": "001-a\n", "1.0.0-stage.txt": "", "1.1.0-stage.txt": "002-b\n" }),
      {
        patchBranches: ["ho-patch/002-b", "ho-patch/003-wip"],
        generatedPaths: ["src/db/database.ts"],
      },
    );
    expect(withRc.steps.find((x) => x.kind === "commit")).toMatchObject({
      paths: ["releases/1.0.0.txt", "releases/1.0.0-stage.txt", "model", "src/db/database.ts"],
    });
    // 002-b is in the 1.1.0 stage (archived): only the active 003-wip must merge ho-prod
    expect(withRc.notify).toEqual(["ho-patch/003-wip"]);
    const direct = planPromoteProd(set({ "1.0.0-stage.txt": "001-a\n" }), {
      withoutRc: true,
      patchBranches: ["ho-patch/001-a", "ho-patch/003-wip"],
      remoteBranches: ["ho-release/1.0.0/001-a", "ho-patch/003-wip"],
      existingBranches: ["ho-prod", "ho-patch/001-a"],
      generatedPaths: ["src/db/database.ts"],
    });
    expect(direct.steps[0]).toMatchObject({ kind: "merge", resolveTheirs: ["src/db/database.ts"] });
    expect(direct.deletedBranches).toEqual(["ho-patch/001-a"]);
    expect(direct.notify).toEqual(["ho-patch/003-wip"]);
    expect(direct.steps.at(-1)).toMatchObject({
      kind: "push",
      refspecs: ["ho-prod:refs/heads/ho-prod", "refs/tags/v1.0.0:refs/tags/v1.0.0"],
    });
  });

  it("patchBranchesToNotify skips deleted branches, released patches and names that are not patch branches", () => {
    const s = set({ "1.0.0.txt": "001-a\n" });
    expect(
      patchBranchesToNotify(
        s,
        ["ho-patch/001-a", "ho-patch/002-b", "ho-patch/003-c", "ho-prod", "ho-patch/x"],
        ["ho-patch/002-b"],
      ),
    ).toEqual(["ho-patch/003-c"]);
    expect(patchBranchesToNotify(s, ["ho-patch/003-c"], [], ["003-c"])).toEqual([]);
  });
});

describe("upgrade", () => {
  const s = set({
    "0.0.0.txt": "",
    "1.0.0-rc1.txt": "001-a\n",
    "1.0.0-rc2.txt": "002-b\n",
    "1.0.0.txt": "002-b\n",
    "1.1.0.txt": "003-c\n",
    "1.2.0-rc1.txt": "004-d\n",
    "1.2.0.txt": "004-d\n",
    "1.3.0-rc1.txt": "005-e\n",
  });

  it("lists the production releases after the database's version, in order, with full patch lists", () => {
    expect(planUpgrade(s, "0.0.0")).toEqual({
      from: "0.0.0",
      to: "1.2.0",
      releases: [
        { version: "1.0.0", patches: ["001-a", "002-b"] },
        { version: "1.1.0", patches: ["003-c"] },
        { version: "1.2.0", patches: ["004-d"] },
      ],
    });
    expect(planUpgrade(s, "1.0.0", "1.1.0").releases.map((r) => r.version)).toEqual(["1.1.0"]);
    expect(planUpgrade(s, "1.2.0")).toEqual({ from: "1.2.0", to: "1.2.0", releases: [] });
    // asking for the release the database is at is nothing to do, not an error
    expect(planUpgrade(s, "1.1.0", "1.1.0")).toEqual({ from: "1.1.0", to: "1.1.0", releases: [] });
  });

  it("refuses a target that is not a later production release", () => {
    expect(code(() => planUpgrade(s, "1.1.0", "1.0.0"))).toBe("RELEASE_UNKNOWN_RELEASE");
    expect(code(() => planUpgrade(s, "0.0.0", "1.3.0"))).toBe("RELEASE_UNKNOWN_RELEASE");
    expect(code(() => planUpgrade(s, "latest"))).toBe("RELEASE_INVALID_VERSION");
    expect(error(() => planUpgrade(s, "1.0.0", "1.2.0-rc1")).hint).toBe(
      "Give a version as three numbers without a prefix or suffix, e.g. 1.3.6",
    );
  });
});
