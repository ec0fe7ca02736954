import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { BIN, cli, ok, useDataset } from "./support/cli.js";

const HOT = resolve(dirname(BIN), "../dist/hot/hot.js");

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

  it("hands everything else to oclif, after -C", async () => {
    const r = await cli(d.repo, ["-C", "config", "list", "--json"], { env: { GIT_PROLLY_TRACE_STARTUP: "1" } });
    expect(JSON.parse(ok(r))).toEqual(["app:name"]);
    expect(r.stderr).toContain("code cache used"); // the bundle ran first, then oclif
  });

  it("ships every worker thread its code starts, as CommonJS that a Worker can load", async () => {
    const source = readFileSync(HOT, "utf8");
    const workers = [...source.matchAll(/new URL\("\.\/([\w-]+\.js)", __gpBundleUrl\)/g)].map((m) => m[1]!);
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
