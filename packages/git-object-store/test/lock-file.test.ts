import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock, isGitStoreError } from "../src/index.js";
import { removeDir, tempDir } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("locks");
});
afterEach(() => removeDir(dir));

it("excludes a second holder until the first releases", async () => {
  const path = join(dir, "state");
  const first = await acquireLock(path, { owned: true });
  const e = await acquireLock(path, { owned: true, timeoutMs: 50 }).catch((x: unknown) => x);
  expect(isGitStoreError(e, "GIT_LOCKED")).toBe(true);
  await first.release();
  const second = await acquireLock(path, { owned: true });
  await second.release();
  expect(existsSync(`${path}.lock`)).toBe(false);
});

it("breaks an owned lock whose process is gone, never one whose owner runs", async () => {
  const path = join(dir, "state");
  writeFileSync(`${path}.lock`, `2147483646 ${hostname()}\n`); // no such process
  const lock = await acquireLock(path, { owned: true, timeoutMs: 50 });
  await lock.release();
  writeFileSync(`${path}.lock`, `${process.pid} ${hostname()}\n`); // alive: this process
  const e = await acquireLock(path, { owned: true, timeoutMs: 50 }).catch((x: unknown) => x);
  expect(isGitStoreError(e, "GIT_LOCKED")).toBe(true);
  // Git-protocol locks (refs, index) are never broken automatically.
  writeFileSync(`${path}.lock`, `2147483646 ${hostname()}\n`);
  const g = await acquireLock(path, { timeoutMs: 50 }).catch((x: unknown) => x);
  expect(isGitStoreError(g, "GIT_LOCKED")).toBe(true);
});

describe("locks and signals", () => {
  function hold(path: string, mode = ""): Promise<{ child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; signal: string | null; out: string }> }> {
    const child = spawn(process.execPath, [new URL("./fixtures/lock-signal.mjs", import.meta.url).pathname, path, mode]);
    let out = "";
    const exited = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, out })));
    return new Promise((resolve) => child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("locked")) resolve({ child, exited });
    }));
  }

  it("removes held lock files when Ctrl-C or SIGTERM would kill the process, which still dies by the signal", async () => {
    const cases = [
      ["SIGINT", ""],
      ["SIGTERM", ""],
      ["SIGINT", "signal-exit-before"], // another library watching exits, either order
      ["SIGINT", "signal-exit-after"],
    ] as const;
    for (const [signal, mode] of cases) {
      const path = join(dir, `ref-${signal}-${mode}`);
      const { child, exited } = await hold(path, mode);
      expect(existsSync(`${path}.lock`)).toBe(true);
      child.kill(signal);
      const r = await exited;
      expect(r.signal).toBe(signal);
      expect(existsSync(`${path}.lock`)).toBe(false);
    }
  });

  it("leaves them to an application that handles the signal itself", async () => {
    const path = join(dir, "ref-app");
    const { child, exited } = await hold(path, "handled");
    child.kill("SIGINT");
    const r = await exited;
    expect(r.code).toBe(0);
    expect(r.out).toContain("handled, lock still there: true"); // not removed behind the application's back
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
