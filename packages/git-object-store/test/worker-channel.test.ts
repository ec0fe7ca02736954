/** The worker threads behind compression and file writing: failures reach the caller, and no dead or idle worker keeps the process alive. */
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

it("fails the requests a crashed worker owed, restarts for the next, and never holds the process open", () => {
  const r = spawnSync(process.execPath, [new URL("./fixtures/worker-channel.mjs", import.meta.url).pathname], { encoding: "utf8", timeout: 20_000 });
  expect(r.signal, "the process hung").toBeNull();
  expect(r.status, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual([1, "test worker exited with code 3", 2, "not cloneable: DataCloneError", 3]);
});
