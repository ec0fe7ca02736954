import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, git, ok, scratch, useDataset } from "./support/cli.js";

describe("stats, proof and verify-proof", () => {
  const ds = useDataset("all", async ({ dir, data }) => {
    const lines = Array.from({ length: 5000 }, (_, i) =>
      JSON.stringify({ key: `user:${String(i).padStart(5, "0")}`, value: `{"n":${i}}` }),
    ).join("\n");
    writeFileSync(join(dir, "users.ndjson"), lines);
    ok(await cli(data, ["import", join(dir, "users.ndjson")]));
    ok(await cli(data, ["commit", "-m", "users"]));
  });

  it("stats reports keys, depth, nodes, bytes and the chunk-size distribution", async () => {
    const s = JSON.parse(ok(await cli(ds.data, ["stats", "--json"])));
    expect(s.keys).toBe(5000);
    expect(s.depth).toBeGreaterThanOrEqual(2);
    expect(s.nodes.leaves).toBeGreaterThan(1);
    expect(s.nodes.total).toBe(s.nodes.leaves + s.nodes.internal);
    expect(s.bytes.total).toBe(s.bytes.leaves + s.bytes.internal);
    expect(s.bytes.keysAndValues).toBeGreaterThan(5000 * 15);
    expect(s.chunks.min).toBeLessThanOrEqual(s.chunks.median);
    expect(s.chunks.median).toBeLessThanOrEqual(s.chunks.max);
    expect(s.chunks.histogram.reduce((a: number, h: { count: number }) => a + h.count, 0)).toBe(s.nodes.leaves);
    const human = ok(await cli(ds.data, ["stats"]));
    expect(human).toMatch(/^keys {6}5,000\ndepth {5}\d\nnodes {5}/);
    ok(await cli(ds.data, ["set", "extra", "1"]));
    expect(JSON.parse(ok(await cli(ds.data, ["stats", "--json"]))).keys).toBe(5001);
    expect(JSON.parse(ok(await cli(ds.data, ["stats", "--ref", "HEAD", "--json"]))).keys).toBe(5000);
  });

  it("a proof verifies outside the repository, anchored in the commit; tampering is caught (exit 8)", async () => {
    const head = git(ds.repo, ["rev-parse", "HEAD"]);
    const file = join(ds.dir, "proof.json");
    ok(await cli(ds.data, ["proof", "user:01234", "-o", file]));
    const elsewhere = scratch();
    try {
      expect(ok(await cli(elsewhere.dir, ["verify-proof", file, "--commit", head.slice(0, 10)]))).toBe(
        `valid: user:01234 = {"n":1234} at commit ${head} (dataset config)\n`,
      );
      const doc = JSON.parse(readFileSync(file, "utf8"));
      expect(doc).toMatchObject({
        format: "git-prolly-proof",
        commit: head,
        dataset: "config",
        key: "user:01234",
        present: true,
        value: '{"n":1234}',
      });
      const wrong = await cli(elsewhere.dir, ["verify-proof", file, "--commit", "0000000"]);
      expect(wrong.code).toBe(8);
      const forged = join(elsewhere.dir, "forged.json");
      writeFileSync(forged, JSON.stringify({ ...doc, value: '{"n":9999}' }));
      const r = await cli(elsewhere.dir, ["verify-proof", forged]);
      expect(r.code).toBe(8);
      expect(r.stderr).toMatch(/^error: invalid proof: the document's value does not match the proof\nhint: /);
      const otherKey = JSON.parse(ok(await cli(ds.data, ["proof", "user:00001"])));
      writeFileSync(forged, JSON.stringify({ ...otherKey, proof: doc.proof }));
      expect((await cli(elsewhere.dir, ["verify-proof", forged])).code).toBe(8);
      writeFileSync(forged, "{}");
      expect((await cli(elsewhere.dir, ["verify-proof", forged])).code).toBe(8);
      writeFileSync(forged, "not json");
      expect((await cli(elsewhere.dir, ["verify-proof", forged])).code).toBe(2);
    } finally {
      elsewhere.cleanup();
    }
  });

  it("proves absence, at an older commit too", async () => {
    const absent = JSON.parse(ok(await cli(ds.data, ["proof", "user:99999", "--ref", "HEAD"])));
    expect(absent.present).toBe(false);
    const out = await cli(ds.dir, ["verify-proof", "-", "--json"], { input: JSON.stringify(absent) });
    expect(JSON.parse(ok(out))).toMatchObject({ valid: true, key: "user:99999", present: false });
    const old = JSON.parse(ok(await cli(ds.data, ["proof", "user:00001", "--ref", "HEAD~1"])));
    expect(old.present).toBe(false);
    expect(old.commit).toBe(git(ds.repo, ["rev-parse", "HEAD~1"]));
  });
});
