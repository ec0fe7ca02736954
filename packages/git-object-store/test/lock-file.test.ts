// The locks themselves are tested in @git-prolly/lock-file (races of many processes, signals);
// here, what this package builds on them.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { FileStateStore } from "../src/index.js";
import { removeDir, tempDir } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir("locks");
});
afterEach(() => removeDir(dir));

it("a state update breaks the lock of a killed process instead of waiting on it", async () => {
  const states = new FileStateStore(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "staged.lock"), `2147483646 ${hostname()}\n`); // no such process
  const started = Date.now();
  await states.update("staged", () => new TextEncoder().encode("x"));
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(new TextDecoder().decode(await states.read("staged"))).toBe("x");
  expect(existsSync(join(dir, "staged.lock"))).toBe(false);
});
