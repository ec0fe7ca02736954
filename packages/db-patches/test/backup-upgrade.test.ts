import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pgDump } from "@electric-sql/pglite-tools/pg_dump";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { applyPlan } from "../src/applying/apply-plan.js";
import { createBackup, readBackupManifest, restoreBackup, verifyBackup } from "../src/backups/backup.js";
import { normalizeSchemaDump } from "../src/models/dump-schema.js";
import { type DbPatchError } from "../src/errors.js";
import {
  currentRelease,
  installMetadata,
  listAppliedPatches,
  listReleases,
  recordRelease,
} from "../src/metadata/metadata.js";
import { type DatabaseHandle } from "../src/connection/open-database.js";
import { runPgTool } from "../src/connection/pg-tools.js";
import { planPatches } from "../src/planning/plan-patches.js";
import type { ServerTarget } from "../src/connection/resolve-connection.js";
import { runUpgrade } from "../src/applying/run-upgrade.js";
import { Backend, BACKENDS, tmpDir, writePatches } from "./support/helpers.js";

const PROJECT = "shop";

/** Everything in the database — schema, data and metadata — as stable text. */
async function fullDump(h: DatabaseHandle): Promise<string> {
  if (h.kind === "pglite") {
    const text = await h.withPglite(async (pg) => {
      try {
        return await (await pgDump({ pg, args: ["--no-owner"] })).text();
      } finally {
        await pg.exec("rollback").catch(() => {});
        await pg.exec("reset all");
      }
    });
    return normalizeSchemaDump(text);
  }
  const { stdout } = await runPgTool(h.target as ServerTarget, "pg_dump", ["--no-owner", "--restrict-key=test"], {
    failCode: "DB_DUMP_FAILED",
    what: "test dump",
  });
  return normalizeSchemaDump(stdout.toString("utf8"));
}

async function expectCode(p: Promise<unknown>, code: string): Promise<DbPatchError> {
  try {
    await p;
  } catch (e) {
    expect((e as DbPatchError).code).toBe(code);
    return e as DbPatchError;
  }
  throw new Error(`expected ${code}`);
}

describe.each(BACKENDS)("backups and upgrades on %s", (kind) => {
  const b = new Backend(kind, "upgrade");
  const root = tmpDir(`upgrade-${kind}`);
  const backupDir = join(root, "backups");
  const patches = writePatches(root, {
    "1-users": {
      "01.sql":
        "create table users (id int primary key, email text not null);\ninsert into users values (1, 'a@x'), (2, 'b@x');",
    },
    "2-orders": {
      "01.sql":
        "create table orders (id int primary key, user_id int references users);\ninsert into orders values (10, 1);",
    },
    "3-ok": { "01.sql": "alter table users add column name text;\nupdate users set name = 'n' || id;" },
    "31-more": { "01.sql": "insert into users values (4, 'd@x', 'four');\ncreate table extra (y int);" },
    "4-breaks": {
      "01.sql": "create table half (x int);\ninsert into orders values (11, 2);",
      "02.sql": "insert into orders values (12, 99);",
    },
  });
  afterAll(async () => b.dispose());

  it("writes a verified backup and restores it exactly", async () => {
    const h = await b.handle();
    await installMetadata(h, { project: PROJECT });
    await applyPlan(h, planPatches(patches, ["1-users"]), { project: PROJECT, release: "1.0.0" });
    await recordRelease(h, { project: PROJECT, version: "1.0.0" });
    const before = await fullDump(h);
    const backup = await createBackup(h, { dir: backupDir, label: "one" });
    expect(backup.format).toBe(kind === "server" ? "pg_dump-custom" : "pglite-datadir");
    expect(backup.bytes).toBeGreaterThan(0);
    expect(readBackupManifest(backup.path)).toEqual(backup);
    await sql`delete from users`.execute(h.db);
    await sql`create table junk (x int)`.execute(h.db);
    await b.closeHandle();
    await restoreBackup(await b.options(), backup, { project: PROJECT });
    expect(await fullDump(await b.handle())).toBe(before);
  });

  it("refuses a damaged backup", async () => {
    const h = await b.handle();
    const backup = await createBackup(h, { dir: backupDir, label: "damaged" });
    const bytes = readFileSync(backup.path);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(backup.path, bytes);
    const e = await expectCode(verifyBackup(backup), "DB_BACKUP_FAILED");
    expect(e.message).toContain("sha256");
    await b.closeHandle();
    await expectCode(restoreBackup(await b.options(), backup, { project: PROJECT }), "DB_BACKUP_FAILED");
  });

  it("upgrades along a path of releases, recording each one", async () => {
    await b.closeHandle();
    const result = await runUpgrade(await b.options(), {
      project: PROJECT,
      backupDir,
      steps: [
        { version: "1.1.0-rc1", plan: planPatches(patches, ["2-orders"]), changelog: "orders" },
        { version: "1.1.0", plan: planPatches(patches, ["2-orders", "3-ok"]), commit: "c0ffee" },
      ],
    });
    expect(result.from).toBe("1.0.0");
    expect(result.to).toBe("1.1.0");
    expect(result.releases.map((r) => [r.version, r.patches.map((p) => `${p.id}:${p.status}`)])).toEqual([
      ["1.1.0-rc1", ["2-orders:applied"]],
      ["1.1.0", ["2-orders:skipped", "3-ok:applied"]],
    ]);
    const h = await b.handle();
    expect((await currentRelease(h))?.version).toBe("1.1.0");
    expect((await listReleases(h)).map((r) => r.version)).toEqual(["1.0.0", "1.1.0-rc1", "1.1.0"]);
    expect((await listAppliedPatches(h)).map((p) => [p.id, p.release])).toEqual([
      ["1-users", "1.0.0"],
      ["2-orders", "1.1.0-rc1"],
      ["3-ok", "1.1.0"],
    ]);
  });

  it("leaves schema and data exactly as before when a patch fails mid-release", async () => {
    const h = await b.handle();
    await sql`insert into users values (3, 'c@x', 'three')`.execute(h.db);
    const before = await fullDump(h);
    await b.closeHandle();
    const e = await expectCode(
      runUpgrade(await b.options(), {
        project: PROJECT,
        backupDir,
        // 31-more commits (one transaction per patch) before 4-breaks fails in its second file.
        steps: [{ version: "1.2.0", plan: planPatches(patches, ["31-more", "4-breaks"]) }],
      }),
      "DB_UPGRADE_FAILED",
    );
    expect(e.data["restored"]).toBe(true);
    expect(e.data["release"]).toBe("1.2.0");
    expect((e.cause as DbPatchError).code).toBe("DB_PATCH_SQL_FAILED");
    expect((e.cause as DbPatchError).data).toMatchObject({ patch: "4-breaks", file: "02.sql", line: 1 });
    const after = await fullDump(await b.handle());
    expect(after).toBe(before);
    expect((await currentRelease(await b.handle()))?.version).toBe("1.1.0");
  });

  it("restores even patches committed earlier in the failed upgrade (per-patch transactions)", async () => {
    const dir = writePatches(root, {
      "5-good": {
        "01.sql": "create table good (x int);\ninsert into good values (1);\nupdate users set email = upper(email);",
      },
      "6-bad": { "01.sql": "select 1/0;" },
    });
    const h = await b.handle();
    const before = await fullDump(h);
    await b.closeHandle();
    await expectCode(
      runUpgrade(await b.options(), {
        project: PROJECT,
        backupDir,
        steps: [
          { version: "1.2.0", plan: planPatches(dir, ["5-good"]) },
          { version: "1.3.0", plan: planPatches(dir, ["6-bad"]) },
        ],
      }),
      "DB_UPGRADE_FAILED",
    );
    expect(await fullDump(await b.handle())).toBe(before);
  });
});
