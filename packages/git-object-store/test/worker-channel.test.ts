/** The worker threads behind compression and file writing: failures reach the caller, and no dead or idle worker keeps the process alive. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("fails the requests a crashed worker owed, restarts for the next, and never holds the process open", () => {
  const fixture = fileURLToPath(new URL("./fixtures/worker-channel.ts", import.meta.url));
  const r = spawnSync(process.execPath, ["--import", "tsx", fixture], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(r.signal, "the process hung").toBeNull();
  expect(r.status, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual([
    1,
    "test worker exited with code 3",
    "GIT_WORKER_FAILED",
    2,
    "not cloneable: DataCloneError",
    3,
  ]);
});
