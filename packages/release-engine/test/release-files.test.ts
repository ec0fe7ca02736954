import { describe, expect, it } from "vitest";
import {
  activeRc,
  applyContext,
  buildReleaseSet,
  isReleaseError,
  parsePatchList,
  parseReleaseFileName,
  productionVersion,
  releaseContext,
  releaseFileName,
  releaseManifest,
  releaseStatus,
  serializePatchList,
  stages,
} from "../src/index.js";

describe("release file names", () => {
  it("parses stage, rc and production names and nothing else", () => {
    expect(parseReleaseFileName("1.3.5-stage.txt")).toEqual({ version: "1.3.5", kind: "stage" });
    expect(parseReleaseFileName("1.3.5-rc2.txt")).toEqual({ version: "1.3.5", kind: "rc", rc: 2 });
    expect(parseReleaseFileName("1.3.5.txt")).toEqual({ version: "1.3.5", kind: "prod" });
    for (const bad of [
      "README.md",
      "1.3.txt",
      "01.3.5.txt",
      "1.3.5-rc0.txt",
      "1.3.5-rc.txt",
      "v1.3.5.txt",
      "1.3.5-hotfix1.txt",
    ]) {
      expect(parseReleaseFileName(bad)).toBeUndefined();
    }
    expect(releaseFileName({ version: "2.0.0", kind: "rc", rc: 3 })).toBe("2.0.0-rc3.txt");
    expect(releaseFileName({ version: "2.0.0", kind: "stage" })).toBe("2.0.0-stage.txt");
    expect(releaseFileName({ version: "2.0.0", kind: "prod" })).toBe("2.0.0.txt");
  });
});

describe("patch lists", () => {
  it("reads one id per line, skipping blanks and comments, and round-trips", () => {
    expect(parsePatchList("# 1.3.5\n001-users\n\n  002-auth  # login\r\n")).toEqual(["001-users", "002-auth"]);
    expect(serializePatchList(["001-users", "002-auth"])).toBe("001-users\n002-auth\n");
    expect(parsePatchList(serializePatchList([]))).toEqual([]);
  });

  it("names the file and line of a malformed or duplicate entry", () => {
    try {
      parsePatchList("001-users\nDROP TABLE x\n", "releases/1.0.0-stage.txt");
      expect.unreachable();
    } catch (e) {
      expect(isReleaseError(e, "RELEASE_INVALID_RELEASE_FILE")).toBe(true);
      expect((e as Error).message).toContain("releases/1.0.0-stage.txt line 2");
    }
    expect(() => parsePatchList("1-a\n1-a\n")).toThrow(/duplicate/);
  });
});

describe("release sets", () => {
  const set = buildReleaseSet([
    { name: "README.md", text: "not a release" },
    { name: "1.4.0-stage.txt", text: "" },
    { name: "1.3.5-stage.txt", text: "004-fix\n" },
    { name: "1.3.5-rc2.txt", text: "003-more\n" },
    { name: "1.3.5-rc1.txt", text: "001-users\n002-auth\n" },
    { name: "1.3.4.txt", text: "000-base\n" },
    { name: "0.0.0.txt", text: "" },
    { name: "1.10.0-stage.txt", text: "" },
  ]);

  it("sorts by semver, then rc1…rcN, production, stage", () => {
    expect(set.files.map((f) => f.name)).toEqual([
      "0.0.0.txt",
      "1.3.4.txt",
      "1.3.5-rc1.txt",
      "1.3.5-rc2.txt",
      "1.3.5-stage.txt",
      "1.4.0-stage.txt",
      "1.10.0-stage.txt",
    ]);
  });

  it("knows production, the active RC and the stages", () => {
    expect(productionVersion(set)).toBe("1.3.4");
    expect(activeRc(set)?.name).toBe("1.3.5-rc2.txt");
    expect(stages(set).map((s) => s.version)).toEqual(["1.3.5", "1.4.0", "1.10.0"]);
    expect(productionVersion(buildReleaseSet([]))).toBe("0.0.0");
  });

  it("keeps patches of rc1 in the manifest when rc2 lists only later ones (half_orm_dev 0.16 loses them)", () => {
    expect(releaseManifest(set, "1.3.5")).toEqual(["001-users", "002-auth", "003-more", "004-fix"]);
    const released = buildReleaseSet([
      { name: "1.3.5-rc1.txt", text: "001-users\n002-auth\n" },
      { name: "1.3.5-rc2.txt", text: "003-more\n" },
      { name: "1.3.5.txt", text: "003-more\n" },
    ]);
    expect(releaseManifest(released, "1.3.5")).toEqual(["001-users", "002-auth", "003-more"]);
    const cumulative = buildReleaseSet([
      { name: "1.3.5-rc1.txt", text: "001-users\n" },
      { name: "1.3.5-rc2.txt", text: "001-users\n003-more\n" },
      { name: "1.3.5.txt", text: "001-users\n003-more\n" },
    ]);
    expect(releaseManifest(cumulative, "1.3.5")).toEqual(["001-users", "003-more"]);
  });

  it("summarizes production, the active RC and the stages for dev status", () => {
    expect(releaseStatus(set)).toEqual({
      production: "1.3.4",
      activeRc: { name: "1.3.5-rc2", version: "1.3.5", rc: 2, patches: ["001-users", "002-auth", "003-more"] },
      stages: [
        { version: "1.3.5", patches: ["004-fix"] },
        { version: "1.4.0", patches: [] },
        { version: "1.10.0", patches: [] },
      ],
    });
  });

  it("replays every unreleased version up to the patch's target, then the patch", () => {
    const ctx = applyContext(set, "500-new", "1.4.0");
    expect(ctx.patch).toBe("500-new");
    expect(ctx.releases).toEqual([
      {
        version: "1.3.5",
        patches: [
          { id: "001-users", from: "rc" },
          { id: "002-auth", from: "rc" },
          { id: "003-more", from: "rc" },
          { id: "004-fix", from: "stage" },
        ],
      },
      { version: "1.4.0", patches: [] },
    ]);
    expect(applyContext(set, "500-new").releases.map((r) => r.version)).toEqual(["1.3.5"]);
    const listed = applyContext(set, "002-auth");
    expect(listed.patch).toBeUndefined();
    expect(listed.releases.map((r) => r.version)).toEqual(["1.3.5"]);
  });

  it("splits the context of patch apply into RC patches and stage patches", () => {
    expect(releaseContext(set, "1.3.5")).toEqual({ rc: ["001-users", "002-auth", "003-more"], stage: ["004-fix"] });
    expect(releaseContext(set, "1.4.0")).toEqual({ rc: [], stage: [] });
  });
});
