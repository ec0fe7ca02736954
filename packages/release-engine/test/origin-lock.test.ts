import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acquireOriginLock,
  HO_PROD_LOCK_REF,
  isReleaseError,
  readOriginLock,
  releasePatchIdReservation,
  reservePatchId,
  withOriginLock,
} from "../src/index.js";
import { createTeam, git, GIT_ENV, type Team } from "./support/repos.js";

const WORKER = new URL("./fixtures/lock-worker.mjs", import.meta.url).pathname;

interface Worker {
  child: ChildProcess;
  next(): Promise<Record<string, unknown>>;
}

function worker(args: string[]): Worker {
  const child = spawn(process.execPath, [WORKER, ...args], {
    env: { ...process.env, ...GIT_ENV },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout! }).on("line", (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  return {
    child,
    next() {
      const l = lines.shift();
      if (l !== undefined) return Promise.resolve(JSON.parse(l));
      return new Promise((resolve, reject) => {
        child.once("exit", (c) => reject(new Error(`worker exited ${c}: ${stderr}`)));
        waiting.push((line) => resolve(JSON.parse(line)));
      });
    },
  };
}

function exited(c: ChildProcess): Promise<number | null> {
  return c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve(c.exitCode)
    : new Promise((r) => c.once("exit", (code) => r(code)));
}

function originRef(t: Team, ref: string): string {
  return git(t.origin, "for-each-ref", "--format=%(objectname)", ref);
}

let team: Team;
let a: ReturnType<Team["clone"]>;
let b: ReturnType<Team["clone"]>;

beforeAll(() => {
  team = createTeam();
  a = team.clone("alice");
  b = team.clone("bob");
});
afterAll(() => team.cleanup());

describe("origin lock", () => {
  it("is a ref on origin whose commit names the holder, refused to a second client with owner and hint, gone after release", async () => {
    const lock = await acquireOriginLock(a.git, { command: "patch add 001-a" });
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe(lock.id);
    const seen = await readOriginLock(b.git);
    expect(seen).toMatchObject({
      id: lock.id,
      stale: false,
      holder: { owner: "alice@example.com", pid: process.pid, command: "patch add 001-a" },
    });
    try {
      await acquireOriginLock(b.git, { command: "release promote rc" });
      expect.unreachable();
    } catch (e) {
      expect(isReleaseError(e, "RELEASE_LOCKED")).toBe(true);
      expect((e as Error).message).toContain("alice@example.com");
      expect((e as { hint: string }).hint).toContain("patch add 001-a");
    }
    expect(await lock.release()).toBe(true);
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe("");
    expect(await lock.release()).toBe(true);
  });

  it("works without a remote: the lock is then a ref of the local repository", async () => {
    const solo = team.clone("solo");
    git(solo.dir, "remote", "remove", "origin");
    const lock = await acquireOriginLock(solo.git, { command: "solo" });
    expect(git(solo.dir, "rev-parse", HO_PROD_LOCK_REF)).toBe(lock.id);
    await expect(acquireOriginLock(solo.git, { command: "again", remote: "." })).rejects.toMatchObject({
      code: "RELEASE_LOCKED",
    });
    expect((await reservePatchId(solo.git, "900-local")).ref).toBe("refs/git-prolly/patch-id/900-local");
    expect(git(solo.dir, "for-each-ref", "--format=%(refname)", "refs/git-prolly/patch-id")).toBe(
      "refs/git-prolly/patch-id/900-local",
    );
    await lock.release();
    expect(git(solo.dir, "for-each-ref", HO_PROD_LOCK_REF)).toBe("");
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe("");
  });

  it("is released when the function throws, and when it returns", async () => {
    await expect(
      withOriginLock(a.git, { command: "x" }, async () => Promise.reject(new Error("boom"))),
    ).rejects.toThrow("boom");
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe("");
    expect(await withOriginLock(b.git, { command: "y" }, async (l) => l.holder.owner)).toBe("bob@example.com");
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe("");
  });

  it("takes over a stale lock with a lease on its id; the old holder then learns it lost the lock", async () => {
    const old = await acquireOriginLock(a.git, { command: "slow", ttlMs: 1 });
    await new Promise((r) => setTimeout(r, 10));
    expect((await readOriginLock(b.git))?.stale).toBe(true);
    const fresh = await acquireOriginLock(b.git, { command: "takeover" });
    expect(fresh.id).not.toBe(old.id);
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe(fresh.id);
    expect(await old.release()).toBe(false);
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe(fresh.id);
    await fresh.release();

    // The holder's clock runs an hour behind: its lock (and every renewal of it) is already past
    // its expiry for everyone else, while its renewal timer (every ttl/3 = 20 s) stays quiet, so
    // the thief's takeover never races a renewal however slow the machine is.
    const hourAgo = () => new Date(Date.now() - 3_600_000);
    await expect(
      withOriginLock(a.git, { command: "outlived", ttlMs: 60_000, now: hourAgo }, async () => {
        await (await acquireOriginLock(b.git, { command: "thief" })).release();
      }),
    ).rejects.toMatchObject({ code: "RELEASE_LOCK_LOST" });
  });

  it("is renewed while the command runs, so a long command never lets it expire", async () => {
    let seen: Awaited<ReturnType<typeof readOriginLock>>;
    const first = await withOriginLock(a.git, { command: "long tests", ttlMs: 3000 }, async (lock) => {
      const id = lock.id;
      // past the first expiry; renewals every second leave two seconds of slack on a slow machine
      await new Promise((r) => setTimeout(r, 4500));
      seen = await readOriginLock(b.git);
      await expect(acquireOriginLock(b.git, { command: "impatient" })).rejects.toMatchObject({
        code: "RELEASE_LOCKED",
      });
      expect(lock.id).not.toBe(id);
      return id;
    });
    expect(seen!).toMatchObject({ stale: false, holder: { command: "long tests" } });
    expect(seen!.id).not.toBe(first);
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe("");
  });

  it("is released when the holding process gets SIGTERM", async () => {
    const w = worker([b.dir, "hold-forever", "signal test", String(Date.now())]);
    const won = await w.next();
    expect(won.won).toBe(true);
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe(won.id);
    w.child.kill("SIGTERM");
    await exited(w.child);
    expect(w.child.signalCode).toBe("SIGTERM");
    expect(originRef(team, HO_PROD_LOCK_REF)).toBe("");
  });

  it("has exactly one winner when two processes race for it, 20 times on a free lock and 5 times on a stale one", async () => {
    for (let round = 0; round < 25; round++) {
      const stale = round >= 20;
      if (stale) await acquireOriginLock(a.git, { command: "crashed", ttlMs: 1 });
      const startAt = String(Date.now() + 400);
      const ws = [
        worker([a.dir, "lock", `race ${round} alice`, startAt]),
        worker([b.dir, "lock", `race ${round} bob`, startAt]),
      ];
      const results = await Promise.all(ws.map((w) => w.next()));
      const winners = results.filter((r) => r.won === true);
      const losers = results.filter((r) => r.won === false);
      expect(winners, `round ${round}: ${JSON.stringify(results)}`).toHaveLength(1);
      expect(losers[0]).toMatchObject({ code: "RELEASE_LOCKED" });
      expect(String(losers[0]!.message)).toMatch(/locked by (alice|bob)@example.com/);
      expect(String(losers[0]!.hint)).toContain("run the command again");
      expect(originRef(team, HO_PROD_LOCK_REF)).toBe(winners[0]!.id);
      for (const w of ws) w.child.stdin!.end();
      const w = ws[results.indexOf(winners[0]!)]!;
      expect(await w.next()).toEqual({ released: true });
      await Promise.all(ws.map((x) => exited(x.child)));
      expect(originRef(team, HO_PROD_LOCK_REF)).toBe("");
    }
  }, 300_000);
});

describe("patch id reservation", () => {
  it("reserves an id once; the second developer gets the holder; a reservation can be given back", async () => {
    const r = await reservePatchId(a.git, "100-users");
    expect(originRef(team, "refs/git-prolly/patch-id/100-users")).toBe(r.id);
    await expect(reservePatchId(b.git, "100-users")).rejects.toMatchObject({
      code: "RELEASE_PATCH_ID_RESERVED",
      data: { holder: { owner: "alice@example.com" } },
    });
    expect((await reservePatchId(a.git, "100-users")).id).toBe(r.id);
    await releasePatchIdReservation(a.git, r);
    expect(originRef(team, "refs/git-prolly/patch-id/100-users")).toBe("");
    await expect(reservePatchId(b.git, "Bad Id")).rejects.toMatchObject({ code: "RELEASE_INVALID_PATCH_ID" });
    // by number, as half_orm_dev: 150-a and 150-b cannot both exist
    const n = await reservePatchId(a.git, "150-a", { byNumber: true });
    expect(n.ref).toBe("refs/git-prolly/patch-id/150");
    await expect(reservePatchId(b.git, "150-b", { byNumber: true })).rejects.toMatchObject({
      code: "RELEASE_PATCH_ID_RESERVED",
      message: expect.stringMatching(/^Patch number 150 already reserved by patch 150-a/),
      hint: expect.stringMatching(/git checkout ho-patch\/150-a$/),
    });
    await expect(reservePatchId(a.git, "150-c", { byNumber: true })).rejects.toMatchObject({
      data: { reservedBy: "150-a" },
    });
    expect((await reservePatchId(a.git, "150-a", { byNumber: true })).id).toBe(n.id);
  });

  it("has exactly one winner when two processes reserve the same id, 20 times", async () => {
    for (let round = 0; round < 20; round++) {
      const startAt = String(Date.now() + 400);
      const ws = [
        worker([a.dir, "reserve", `${200 + round}-same`, startAt]),
        worker([b.dir, "reserve", `${200 + round}-same`, startAt]),
      ];
      const results = await Promise.all(ws.map((w) => w.next()));
      expect(
        results.filter((r) => r.won === true),
        JSON.stringify(results),
      ).toHaveLength(1);
      expect(results.find((r) => r.won === false)).toMatchObject({ code: "RELEASE_PATCH_ID_RESERVED" });
      await Promise.all(ws.map((x) => exited(x.child)));
    }
  }, 300_000);
});
