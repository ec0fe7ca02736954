import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, cli, ok, scratch, useDataset } from "./support/cli.js";

/** Runs the CLI with stdout on a pipe that is closed after the first chunk, as `| head -c1` does. */
function runIntoClosedPipe(cwd: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    child.on("close", (code) => done({ code, stderr }));
  });
}

describe("standard output and error (written to their descriptors, src/lib/std-output.ts)", () => {
  const d = useDataset("all");

  it("stops quietly when the reader goes away (get | head -c1, export | head): exit 0, no error", async () => {
    const { dir, cleanup } = scratch();
    try {
      // Far more than a pipe holds (64 KiB), so the writer meets EPIPE.
      const file = join(dir, "big.txt");
      writeFileSync(file, "x".repeat(1 << 20));
      ok(await cli(d.data, ["set", "big", "--file", file]));
      const r = await runIntoClosedPipe(d.data, ["get", "big"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      for (const args of [["list", "--values"], ["export", "--format", "ndjson"], ["export"]]) {
        const listed = await runIntoClosedPipe(d.data, args);
        expect(listed.stderr, args.join(" ")).toBe("");
        expect(listed.code, args.join(" ")).toBe(0);
      }
    } finally {
      cleanup();
    }
  });

  it("writes everything to a pipe and a file, in order, without colours off a terminal", async () => {
    const { dir, cleanup } = scratch();
    try {
      const value = Buffer.alloc(3 << 20, "v");
      const file = join(dir, "value.bin");
      writeFileSync(file, value);
      ok(await cli(d.data, ["set", "huge", "--file", file], { env: { NO_COLOR: "", FORCE_COLOR: "" } }));
      const r = await cli(d.data, ["get", "huge"], { env: { NO_COLOR: "", FORCE_COLOR: "" } });
      expect(r.stdout.length).toBe(value.length + 1);
      const missing = await cli(d.data, ["get", "nope"], { env: { NO_COLOR: "", FORCE_COLOR: "" } });
      expect(missing.code).toBe(3);
      expect(missing.stderr).toMatch(/^error: key "nope" not found\nhint: /); // no ANSI codes on a pipe
      // stdout redirected to a file by the shell: everything lands, in order.
      const out = join(dir, "out.txt");
      await new Promise<void>((done) => {
        const child = spawn("sh", ["-c", `"${process.execPath}" "${BIN}" get huge > "${out}"`], { cwd: d.data });
        child.on("close", () => done());
      });
      expect(readFileSync(out).length).toBe(value.length + 1);
    } finally {
      cleanup();
    }
  });

  it("keeps every byte in order through a full non-blocking pipe (oclif makes stdout's pipe non-blocking)", async () => {
    const { dir, cleanup } = scratch();
    try {
      const file = join(dir, "value.bin");
      writeFileSync(file, Buffer.alloc(2 << 20, "w"));
      ok(await cli(d.data, ["set", "wide", "--file", file]));
      const expected = join(dir, "expected.json");
      ok(await cli(d.data, ["export", expected]));
      // The reader starts late: the pipe fills at once and the writer meets EAGAIN many times.
      const piped = join(dir, "piped.json");
      const listed = join(dir, "listed.txt");
      const run = (args: string, out: string): Promise<void> =>
        new Promise((done) => {
          const command = `"${process.execPath}" "${BIN}" ${args} | (sleep 1; cat) > "${out}"`;
          spawn("sh", ["-c", command], { cwd: d.data }).on("close", () => done());
        });
      await run("export", piped);
      expect(readFileSync(piped).equals(readFileSync(expected))).toBe(true);
      await run("list --values", listed);
      expect(readFileSync(listed, "utf8")).toBe(ok(await cli(d.data, ["list", "--values"])));
    } finally {
      cleanup();
    }
  });

  it("says so when standard output cannot be written (a full disk): one error line, exit 1, no stack", async () => {
    for (const args of [["get", "big"], ["list", "--json"], ["export"], ["log"]]) {
      const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
        const command = `"${process.execPath}" "${BIN}" ${args.join(" ")} > /dev/full`;
        const child = spawn("sh", ["-c", command], { cwd: d.data, env: { ...process.env, NO_COLOR: "1", DEBUG: "" } });
        let stderr = "";
        child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
        child.on("close", (code) => done({ code, stderr }));
      });
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(/^error: cannot write to standard output: .*\nhint: .*\n$/);
    }
  });

  it("colours a real terminal's errors (util-linux script gives the command a pseudo-terminal)", async () => {
    const r = await new Promise<string>((done) => {
      const command = `"${process.execPath}" "${BIN}" get nope`;
      const child = spawn("script", ["-qec", command, "/dev/null"], {
        cwd: d.data,
        env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", TERM: "xterm" },
      });
      let out = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      child.on("close", () => done(out));
    });
    expect(r).toContain("\u001b[31merror:\u001b[39m");
  });

  it("colours errors on a terminal when FORCE_COLOR asks, never with NO_COLOR", async () => {
    const forced = await cli(d.data, ["get", "nope"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(forced.stderr).toContain("\u001b[31merror:\u001b[39m");
    const plain = await cli(d.data, ["get", "nope"], { env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
    expect(plain.stderr).not.toContain("\u001b[");
  });
});
