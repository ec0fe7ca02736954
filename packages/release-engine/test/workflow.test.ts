import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applySteps,
  assertImmutableReleases,
  buildReleaseSet,
  findImmutableViolations,
  notifyPatchBranches,
  planPatchAdd,
  planPatchNew,
  planPromoteProd,
  planPromoteRc,
  planReleaseNew,
  planUpgrade,
  readReleasesAt,
  readReleasesDir,
  requireClean,
  requireHoProd,
  requirePatchBranch,
  reservePatchId,
  syncWithOrigin,
  type GitCli,
} from "../src/index.js";
import { createTeam, git, write, type Team } from "./support/repos.js";

let team: Team;
let dev: { dir: string; git: GitCli };

beforeAll(() => {
  team = createTeam({ "README.md": "# project\n" });
  dev = team.clone("dev");
});
afterAll(() => team.cleanup());

function onOrigin(ref: string, path: string): string | undefined {
  try {
    return git(team.origin, "show", `${ref}:${path}`);
  } catch {
    return undefined;
  }
}

function originRefs(pattern: string): string[] {
  return git(team.origin, "for-each-ref", "--format=%(refname)", pattern)
    .split("\n")
    .filter((l) => l !== "");
}

async function newPatch(id: string, file: string, sql: string): Promise<void> {
  await dev.git.checkout("ho-prod");
  const plan = planPatchNew(readReleasesDir(dev.dir), id, { existingBranches: await dev.git.branches("ho-patch/*") });
  await reservePatchId(dev.git, id);
  await applySteps(dev.git, plan.steps);
  expect(await requirePatchBranch(dev.git)).toBe(id);
  write(dev.dir, `Patches/${id}/${file}`, sql);
  await dev.git.commit([`Patches/${id}`], `${id}: ${file}`);
  await dev.git.push("origin", [`ho-patch/${id}`]);
}

async function addPatch(id: string, testsPass: boolean, toVersion?: string): Promise<ReturnType<typeof planPatchAdd>> {
  await dev.git.checkout("ho-prod");
  await requireHoProd(dev.git);
  await requireClean(dev.git);
  const plan = planPatchAdd(readReleasesDir(dev.dir), id, {
    existingBranches: await dev.git.branches("*"),
    ...(toVersion === undefined ? {} : { toVersion }),
  });
  try {
    await applySteps(dev.git, plan.validate);
    // Here the CLI rebuilds the database on the validation branch and runs the tests.
    expect(await dev.git.currentBranch()).toBe(plan.validationBranch);
    write(dev.dir, "src/generated.ts", "// generated on the validation branch\n");
    if (!testsPass) throw new Error("tests failed");
  } catch (e) {
    await applySteps(dev.git, plan.cleanup);
    throw e;
  }
  await applySteps(dev.git, plan.integrate);
  return plan;
}

async function promoteRc(): Promise<ReturnType<typeof planPromoteRc>> {
  await dev.git.fetch("origin");
  const plan = planPromoteRc(readReleasesDir(dev.dir), {
    patchBranches: await dev.git.remoteBranches("origin", "ho-patch/*"),
    existingBranches: await dev.git.branches("*"),
  });
  await applySteps(dev.git, plan.steps);
  return plan;
}

describe("the complete cycle on real repositories", () => {
  it("release new pushes an empty stage", async () => {
    await requireHoProd(dev.git);
    expect(await syncWithOrigin(dev.git)).toBe("up-to-date");
    const plan = planReleaseNew(readReleasesDir(dev.dir), "minor");
    await applySteps(dev.git, plan.steps);
    expect(onOrigin("ho-prod", "releases/0.1.0-stage.txt")).toBe("");
  });

  it("patch new creates ho-patch/<id> with its README, reserved and pushed", async () => {
    await newPatch("001-users", "01_users.sql", "CREATE TABLE users (id serial PRIMARY KEY);\n");
    await newPatch("002-auth", "01_auth.sql", "CREATE TABLE auth (id serial PRIMARY KEY);\n");
    expect(onOrigin("ho-patch/001-users", "Patches/001-users/README.md")).toContain("# Patch 001-users");
    expect(onOrigin("ho-prod", "Patches/001-users/README.md")).toBeUndefined();
    expect(originRefs("refs/git-prolly/patch-id")).toEqual([
      "refs/git-prolly/patch-id/001-users",
      "refs/git-prolly/patch-id/002-auth",
    ]);
    await expect(requireHoProd(dev.git)).rejects.toMatchObject({
      code: "RELEASE_NOT_ON_HO_PROD",
      message: expect.stringMatching(/^Must be on ho-prod branch/),
    });
  });

  it("patch add validates on temp-valid-<X.Y.Z> and commits only the stage file on ho-prod", async () => {
    const before = git(dev.dir, "rev-parse", "ho-prod");
    const plan = await addPatch("001-users", true);
    expect(plan.validationBranch).toBe("temp-valid-0.1.0");
    expect(git(dev.dir, "rev-parse", "ho-prod^")).toBe(before);
    expect(readFileSync(join(dev.dir, "releases/0.1.0-stage.txt"), "utf8")).toBe("001-users\n");
    expect(onOrigin("ho-prod", "releases/0.1.0-stage.txt")).toBe("001-users");
    expect(onOrigin("ho-prod", "Patches/001-users/01_users.sql")).toBeUndefined();
    expect(onOrigin("ho-release/0.1.0/001-users", "Patches/001-users/01_users.sql")).toContain("CREATE TABLE users");
    expect(await dev.git.branches("temp-valid-*")).toEqual([]);
  });

  it("a failing test leaves ho-prod and origin untouched and removes the validation branch", async () => {
    const head = git(dev.dir, "rev-parse", "ho-prod");
    const originHead = git(team.origin, "rev-parse", "ho-prod");
    await expect(addPatch("002-auth", false)).rejects.toThrow("tests failed");
    expect(await dev.git.currentBranch()).toBe("ho-prod");
    expect(git(dev.dir, "rev-parse", "ho-prod")).toBe(head);
    expect(git(team.origin, "rev-parse", "ho-prod")).toBe(originHead);
    expect(await dev.git.branches("temp-valid-*")).toEqual([]);
    expect(await dev.git.isClean()).toBe(true);
  });

  it("promote rc merges the code into ho-prod, writes rc1, tags, deletes the patch branch and names the branches to notify", async () => {
    const plan = await promoteRc();
    expect(plan).toMatchObject({
      version: "0.1.0",
      rc: 1,
      notify: ["ho-patch/002-auth"],
      deletedBranches: ["ho-patch/001-users"],
    });
    await dev.git.fetch("origin");
    const authTip = git(team.origin, "rev-parse", "ho-patch/002-auth");
    expect(await notifyPatchBranches(dev.git, plan.notify, "0.1.0-rc1 promoted")).toEqual(["ho-patch/002-auth"]);
    expect(git(team.origin, "log", "-1", "--format=%s", "ho-patch/002-auth")).toBe(
      "[git-prolly] 0.1.0-rc1 promoted (MERGE REQUIRED)",
    );
    expect(git(team.origin, "rev-parse", "ho-patch/002-auth^")).toBe(authTip);
    // the developer merges ho-prod: no second notice
    git(dev.dir, "checkout", "-q", "ho-patch/002-auth");
    git(dev.dir, "pull", "-q", "--no-rebase", "origin", "ho-patch/002-auth");
    git(dev.dir, "merge", "-q", "--no-edit", "ho-prod");
    git(dev.dir, "push", "-q", "origin", "ho-patch/002-auth");
    git(dev.dir, "checkout", "-q", "ho-prod");
    await dev.git.fetch("origin");
    expect(await notifyPatchBranches(dev.git, plan.notify, "again")).toEqual([]);
    expect(onOrigin("ho-prod", "releases/0.1.0-rc1.txt")).toBe("001-users");
    expect(onOrigin("ho-prod", "releases/0.1.0-stage.txt")).toBe("");
    expect(onOrigin("ho-prod", "Patches/001-users/01_users.sql")).toContain("CREATE TABLE users");
    expect(originRefs("refs/tags")).toEqual(["refs/tags/v0.1.0-rc1"]);
    expect(originRefs("refs/heads/ho-patch")).toEqual(["refs/heads/ho-patch/002-auth"]);
    expect(await dev.git.branches("ho-patch/001-users")).toEqual([]);
    expect(originRefs("refs/heads/ho-release")).toEqual(["refs/heads/ho-release/0.1.0/001-users"]);
  });

  it("a fix after rc1 makes a cumulative rc2; the RC files stay as committed", async () => {
    await addPatch("002-auth", true);
    const plan = await promoteRc();
    expect(plan).toMatchObject({ rc: 2, tag: "v0.1.0-rc2", patches: ["001-users", "002-auth"] });
    expect(onOrigin("ho-prod", "releases/0.1.0-rc2.txt")).toBe("001-users\n002-auth");
    expect(onOrigin("ho-prod", "releases/0.1.0-rc1.txt")).toBe("001-users");
    await assertImmutableReleases(dev.git);
  });

  it("promote prod writes 0.1.0.txt with every patch, commits the model, tags v0.1.0", async () => {
    const plan = planPromoteProd(readReleasesDir(dev.dir));
    write(dev.dir, "model/schema-0.1.0.sql", "-- dump from db-patches\n");
    write(dev.dir, "model/schema.sql", "schema-0.1.0.sql\n");
    await applySteps(dev.git, plan.steps);
    expect(onOrigin("ho-prod", "releases/0.1.0.txt")).toBe("001-users\n002-auth");
    expect(onOrigin("ho-prod", "releases/0.1.0-stage.txt")).toBeUndefined();
    expect(onOrigin("v0.1.0", "model/schema-0.1.0.sql")).toBe("-- dump from db-patches");
    expect(originRefs("refs/tags")).toEqual(["refs/tags/v0.1.0", "refs/tags/v0.1.0-rc1", "refs/tags/v0.1.0-rc2"]);
  });

  it("a production clone plans the upgrade from origin/ho-prod with the full patch list", async () => {
    const prod = team.clone("production");
    const set = await readReleasesAt(prod.git, "origin/ho-prod");
    expect(planUpgrade(set, "0.0.0")).toEqual({
      from: "0.0.0",
      to: "0.1.0",
      releases: [{ version: "0.1.0", patches: ["001-users", "002-auth"] }],
    });
  });

  it("a merge conflict on the validation branch is RELEASE_MERGE_CONFLICT; cleanup restores ho-prod", async () => {
    await dev.git.checkout("ho-prod");
    await applySteps(dev.git, planReleaseNew(readReleasesDir(dev.dir), "patch").steps);
    await newPatch("003-a", "01.sql", "SELECT 'a';\n");
    await newPatch("004-b", "01.sql", "SELECT 'b';\n");
    // both patches write the same path outside their directory
    for (const [id, text] of [
      ["003-a", "a\n"],
      ["004-b", "b\n"],
    ] as const) {
      await dev.git.checkout(`ho-patch/${id}`);
      write(dev.dir, "shared.txt", text);
      await dev.git.commit(["shared.txt"], "shared");
    }
    await addPatch("003-a", true);
    const head = git(dev.dir, "rev-parse", "ho-prod");
    await expect(addPatch("004-b", true)).rejects.toMatchObject({
      code: "RELEASE_MERGE_CONFLICT",
      data: { conflicts: ["shared.txt"] },
    });
    expect(await dev.git.currentBranch()).toBe("ho-prod");
    expect(git(dev.dir, "rev-parse", "ho-prod")).toBe(head);
    expect(await dev.git.isClean()).toBe(true);
  });
});

describe("repository checks and immutability", () => {
  it("says Repository is not clean, pulls a branch that is behind, refuses a diverged one", async () => {
    const other = team.clone("other");
    const alice = team.clone("alice");
    write(alice.dir, "notes.txt", "x\n");
    await expect(requireClean(alice.git)).rejects.toMatchObject({
      code: "RELEASE_NOT_CLEAN",
      message: "Repository is not clean",
    });
    await alice.git.commit(["notes.txt"], "notes");
    await alice.git.push("origin", ["ho-prod"]);
    expect(await syncWithOrigin(other.git)).toBe("pulled");
    expect(git(other.dir, "rev-parse", "HEAD")).toBe(git(team.origin, "rev-parse", "ho-prod"));
    write(other.dir, "mine.txt", "1\n");
    await other.git.commit(["mine.txt"], "mine");
    write(alice.dir, "theirs.txt", "2\n");
    await alice.git.commit(["theirs.txt"], "theirs");
    await alice.git.push("origin", ["ho-prod"]);
    await expect(syncWithOrigin(other.git)).rejects.toMatchObject({
      code: "RELEASE_NOT_SYNCED",
      message: expect.stringMatching(/^Repository not synced with origin/),
    });
    await expect(requirePatchBranch(other.git)).rejects.toMatchObject({
      code: "RELEASE_NOT_ON_PATCH_BRANCH",
      message: expect.stringMatching(/^Must be on ho-patch\/\* branch/),
    });
  });

  it("fast-forwards ho-prod from a patch branch without merging it into the patch branch", async () => {
    const carol = team.clone("carol");
    const dave = team.clone("dave");
    git(carol.dir, "checkout", "-q", "-b", "ho-patch/700-x");
    const patchHead = git(carol.dir, "rev-parse", "HEAD");
    write(dave.dir, "dave.txt", "d\n");
    await dave.git.commit(["dave.txt"], "dave");
    await dave.git.push("origin", ["ho-prod"]);
    expect(await syncWithOrigin(carol.git)).toBe("pulled");
    expect(git(carol.dir, "rev-parse", "ho-prod")).toBe(git(team.origin, "rev-parse", "ho-prod"));
    expect(git(carol.dir, "rev-parse", "HEAD")).toBe(patchHead);
  });

  it("commits the paths of a plan that exist (promote prod before any model dump)", async () => {
    const erin = team.clone("erin");
    write(erin.dir, "releases/README.md", "releases\n");
    const id = await erin.git.commit(["releases/README.md", "model-not-written"], "readme");
    expect(git(erin.dir, "show", "--name-only", "--format=", id)).toBe("releases/README.md");
  });

  it("detects an edited or deleted RC or production file, in history and in the working tree", async () => {
    const c = team.clone("tamper");
    expect(await findImmutableViolations(c.git)).toEqual([]);
    write(c.dir, "releases/0.1.0-rc1.txt", "001-users\n999-sneaky\n");
    expect(await findImmutableViolations(c.git, "HEAD", (p) => readFileSync(join(c.dir, p), "utf8"))).toMatchObject([
      { path: "releases/0.1.0-rc1.txt", change: "edited" },
    ]);
    await c.git.commit(["releases"], "edit rc1");
    git(c.dir, "rm", "-q", "releases/0.1.0.txt");
    git(c.dir, "commit", "-qm", "drop prod file");
    expect(await findImmutableViolations(c.git)).toMatchObject(
      [
        { path: "releases/0.1.0-rc1.txt", change: "edited" },
        { path: "releases/0.1.0.txt", change: "deleted" },
      ].sort((x, y) => x.path.localeCompare(y.path)),
    );
    await expect(assertImmutableReleases(c.git)).rejects.toMatchObject({ code: "RELEASE_IMMUTABLE_FILE_CHANGED" });
  });
});

describe("Pattern 3: an integration manager adds patches pushed by two developers", () => {
  it("validates and releases branches that exist only on origin", async () => {
    const t = createTeam();
    try {
      const devA = t.clone("devA");
      const devB = t.clone("devB");
      const manager = t.clone("manager");
      await applySteps(manager.git, planReleaseNew(readReleasesDir(manager.dir), "minor").steps);
      for (const [d, id] of [
        [devA, "456-dashboard"],
        [devB, "789-reports"],
      ] as const) {
        await syncWithOrigin(d.git);
        await reservePatchId(d.git, id);
        await applySteps(d.git, planPatchNew(readReleasesDir(d.dir), id).steps);
        write(d.dir, `Patches/${id}/01.sql`, `CREATE TABLE t_${id.replace(/\W/g, "_")} ();\n`);
        await d.git.commit([`Patches/${id}`], id);
        await d.git.push("origin", [`ho-patch/${id}`]);
      }
      for (const id of ["456-dashboard", "789-reports"]) {
        await syncWithOrigin(manager.git);
        const plan = planPatchAdd(readReleasesDir(manager.dir), id, {
          existingBranches: await manager.git.branches("*"),
          remoteBranches: await manager.git.remoteBranches("origin", "*"),
        });
        await applySteps(manager.git, plan.validate);
        await applySteps(manager.git, plan.integrate);
      }
      expect(git(t.origin, "show", "ho-prod:releases/0.1.0-stage.txt")).toBe("456-dashboard\n789-reports");
      // the second validation merged the first patch's archive too
      const rc = planPromoteRc(readReleasesDir(manager.dir), {
        existingBranches: await manager.git.branches("*"),
        patchBranches: await manager.git.remoteBranches("origin", "ho-patch/*"),
      });
      await applySteps(manager.git, rc.steps);
      expect(git(t.origin, "ls-tree", "--name-only", "ho-prod", "Patches/")).toBe(
        "Patches/456-dashboard\nPatches/789-reports",
      );
      expect(git(t.origin, "for-each-ref", "--format=%(refname)", "refs/heads/ho-patch")).toBe("");
    } finally {
      t.cleanup();
    }
  });
});

describe("generated files and a refused integration push", () => {
  it("takes the patch's version of a generated file on conflict, and undoes an integration whose push is refused", async () => {
    const t = createTeam({ "src/db-types.ts": "// generated\n" });
    try {
      const d = t.clone("dev");
      await applySteps(d.git, planReleaseNew(readReleasesDir(d.dir), "minor").steps);
      for (const id of ["10-a", "11-b"]) {
        await d.git.checkout("ho-prod");
        await applySteps(d.git, planPatchNew(readReleasesDir(d.dir), id).steps);
        write(d.dir, "src/db-types.ts", `// generated with ${id}\n`);
        write(d.dir, `Patches/${id}/01.sql`, "SELECT 1;\n");
        await d.git.commit(["src", `Patches/${id}`], id);
      }
      await d.git.checkout("ho-prod");
      const generatedPaths = ["src/db-types.ts"];
      const first = planPatchAdd(readReleasesDir(d.dir), "10-a", { generatedPaths });
      await applySteps(d.git, first.validate);
      await applySteps(d.git, first.integrate);
      const second = planPatchAdd(readReleasesDir(d.dir), "11-b", { generatedPaths });
      await applySteps(d.git, second.validate);
      expect(readFileSync(join(d.dir, "src/db-types.ts"), "utf8")).toBe("// generated with 11-b\n");

      // someone pushes ho-prod without the lock: the atomic push is refused, nothing half-written
      const other = t.clone("rogue");
      write(other.dir, "rogue.txt", "x\n");
      await other.git.commit(["rogue.txt"], "rogue");
      await other.git.push("origin", ["ho-prod"]);
      const originHead = git(t.origin, "rev-parse", "ho-prod");
      await expect(applySteps(d.git, second.integrate)).rejects.toMatchObject({ code: "RELEASE_GIT_FAILED" });
      await applySteps(d.git, second.undoIntegrate);
      expect(git(d.dir, "rev-parse", "ho-prod")).toBe(git(d.dir, "rev-parse", "origin/ho-prod"));
      expect(readFileSync(join(d.dir, "releases/0.1.0-stage.txt"), "utf8")).toBe("10-a\n");
      expect(await d.git.branches("ho-release/0.1.0/*")).toEqual(["ho-release/0.1.0/10-a"]);
      expect(git(t.origin, "rev-parse", "ho-prod")).toBe(originHead);
      expect(git(t.origin, "for-each-ref", "--format=%(refname)", "refs/heads/ho-release")).toBe(
        "refs/heads/ho-release/0.1.0/10-a",
      );
    } finally {
      t.cleanup();
    }
  });

  it("passes the generated paths to every merge of the validation", () => {
    const plan = planPatchAdd(buildReleaseSet([{ name: "1.0.0-stage.txt", text: "" }]), "1-a", {
      generatedPaths: ["src/db-types.ts"],
    });
    expect(plan.validate).toContainEqual({
      kind: "merge",
      ref: "ho-patch/1-a",
      message: "Validate ho-patch/1-a for 1.0.0",
      resolveTheirs: ["src/db-types.ts"],
    });
  });
});
