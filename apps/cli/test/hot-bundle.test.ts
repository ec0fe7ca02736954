import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { BIN, cli, git, ok, scratch, useDataset } from "./support/cli.js";

const HOT = resolve(dirname(BIN), "../dist/hot/hot.js");
const LOAD_HOT = fileURLToPath(new URL("../bin/load-hot.js", import.meta.url));
const { loadHot } = createRequire(import.meta.url)(LOAD_HOT) as {
  loadHot(file: string): { cache: string; exports: { hot(argv: string[]): Promise<string[] | undefined> } };
};

describe("the hot bundle (dist/hot/, loaded by bin/run.js)", () => {
  const d = useDataset("all");

  it("runs get, set and commit from the V8 code cache made by the build", async () => {
    const trace = { GIT_PROLLY_TRACE_STARTUP: "1" };
    for (const args of [
      ["set", "app:name", "MyApp"],
      ["commit", "-m", "name"],
      ["get", "app:name"],
    ]) {
      const r = await cli(d.data, args, { env: trace });
      ok(r);
      expect(r.stderr, args.join(" ")).toContain("hot.js: code cache used");
    }
    expect((await cli(d.data, ["get", "app:name"])).stdout).toBe("MyApp\n");
  });

  it("runs git from the bundle when it must (here git gc --auto after a commit)", async () => {
    // More packs than gc.autoPackLimit: the commit hands over to `git gc --auto`, a child process
    // the bundle must start without import() (vm.Script code has no dynamic-import callback).
    git(d.repo, ["config", "gc.autoPackLimit", "1"]);
    git(d.repo, ["config", "gc.autoDetach", "false"]);
    for (const name of ["a", "b"]) {
      ok(await cli(d.data, ["set", `pack:${name}`, name]));
      ok(await cli(d.data, ["commit", "-m", `pack ${name}`]));
      git(d.repo, ["repack", "-q"]);
    }
    const packs = () => git(d.repo, ["count-objects", "-v"]).match(/^packs: (\d+)$/m)![1];
    expect(Number(packs())).toBeGreaterThan(1);
    ok(await cli(d.data, ["set", "pack:c", "c"]));
    const r = await cli(d.data, ["commit", "-m", "pack c"], { env: { GIT_PROLLY_TRACE_STARTUP: "1" } });
    expect(r.stderr).toContain("code cache used");
    ok(r);
    expect(packs()).toBe("1"); // gc ran, in the foreground
    expect((await cli(d.data, ["get", "pack:c"])).stdout).toBe("c\n");
    git(d.repo, ["config", "--unset", "gc.autoPackLimit"]);
  });

  it("hands every command to the unbundled code under DEBUG, so stack traces name real functions and files", async () => {
    const r = await cli(d.data, ["set", "", "x"], { env: { DEBUG: "1" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at VersionedKvStore\.set \(.*kv-store\/.*:\d+:\d+\)/);
    const quiet = await cli(d.data, ["set", "", "x"], { env: { DEBUG: "0", GIT_PROLLY_TRACE_STARTUP: "1" } });
    expect(quiet.stderr).toContain("code cache used");
    expect(quiet.stderr).not.toContain("    at ");
  });

  it("hands everything else to oclif, after -C", async () => {
    const r = await cli(d.repo, ["-C", "config", "list", "--json"], { env: { GIT_PROLLY_TRACE_STARTUP: "1" } });
    expect(JSON.parse(ok(r))).toContain("app:name");
    expect(r.stderr).toContain("code cache used"); // the bundle ran first, then oclif
  });

  it("never takes the code cache of another bundle, even one of the same length (V8 checks only the length)", async () => {
    const { dir, cleanup } = scratch();
    try {
      cpSync(dirname(HOT), dir, { recursive: true });
      const copy = join(dir, "hot.js");
      expect(loadHot(copy).cache).toBe("used");
      const source = readFileSync(copy, "utf8");
      const edited = source.replace("option -C needs a directory", "option -C NEEDS a directory");
      expect(edited).not.toBe(source);
      expect(edited.length).toBe(source.length);
      writeFileSync(copy, edited);
      expect(loadHot(copy).cache).toBe("stale");
      // The commands write to file descriptor 2 directly: run the copy in a child process.
      const run = `require(${JSON.stringify(LOAD_HOT)}).loadHot(${JSON.stringify(copy)}).exports.hot(["-C"])`;
      const child = spawnSync(process.execPath, ["-e", run], { encoding: "utf8" });
      expect(child.status).toBe(2);
      expect(child.stderr).toContain("option -C NEEDS a directory"); // the edited code ran
    } finally {
      cleanup();
    }
  });

  it("ships every worker thread its code starts, as CommonJS that a Worker can load", async () => {
    const source = readFileSync(HOT, "utf8");
    const workers = [...source.matchAll(/new URL\("\.\/([\w-]+\.js)",\s*__gpBundleUrl\)/g)].map((m) => m[1]!);
    expect(workers.sort()).toEqual(["deflate-worker.js", "file-writer-worker.js"]);
    for (const name of workers) {
      const file = join(dirname(HOT), name);
      expect(existsSync(file), name).toBe(true);
      const worker = new Worker(file);
      const failed = new Promise<Error>((done) => worker.once("error", done));
      const online = new Promise<"online">((done) => worker.once("online", () => done("online")));
      // A module that fails to load reports an error instead of (or right after) coming online.
      const first = await Promise.race([online, failed]);
      expect(first, name).toBe("online");
      const late = await Promise.race([
        failed,
        new Promise<undefined>((done) => setTimeout(() => done(undefined), 200)),
      ]);
      expect(late, name).toBeUndefined();
      await worker.terminate();
    }
  });
});
