/**
 * Seed 003's Complete Cycle through the built CLI: patch → release → rc → prod → update → upgrade
 * on a separate production clone, with a bare repository as origin. On the real server the project
 * goes through three releases (minor, minor, patch) and the production database, upgraded from
 * 0.0.0, dumps exactly the development schema; on PGlite one release.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dumpSchema, listReleases, openDatabase } from "@git-prolly/db-patches";
import {
  cliEnv,
  developPatch,
  git,
  ok,
  read,
  scratch,
  serverUrl,
  TEST_COMMAND,
  typesTest,
  uniqueDb,
  type Backend,
} from "./support/dev-cli.js";

const RELEASES = [
  {
    level: "minor",
    version: "0.1.0",
    id: "1-users",
    sql: "CREATE TABLE users (id SERIAL PRIMARY KEY, username TEXT NOT NULL);\n",
    table: "users",
  },
  {
    level: "minor",
    version: "0.2.0",
    id: "2-orders",
    sql: "CREATE TABLE orders (id SERIAL PRIMARY KEY, user_id INT NOT NULL REFERENCES users(id), total NUMERIC(10,2));\n",
    table: "orders",
  },
  {
    level: "patch",
    version: "0.2.1",
    id: "3-orders-index",
    sql: "CREATE INDEX orders_user_idx ON orders (user_id);\nALTER TABLE users ADD COLUMN email TEXT;\n",
    table: "email",
  },
] as const;

describe.each<Backend>(["server", "pglite"])("Complete Cycle on %s", (backend) => {
  const env = cliEnv(backend);
  const box = scratch();
  const dev = join(box.dir, "shop");
  const prod = join(box.dir, "shop-prod");
  const devDb = backend === "server" ? uniqueDb("shop") : "shop";
  const prodDb = backend === "server" ? uniqueDb("shop_prod") : "shop";
  const releases = backend === "server" ? RELEASES : RELEASES.slice(0, 1);
  const last = releases.at(-1)!.version;
  afterAll(() => box.dispose());

  it("develops, releases and promotes each version", async () => {
    await ok(
      box.dir,
      ["dev", "init", "shop", "--database", devDb, "--git-origin", box.origin, "--test-command", TEST_COMMAND],
      env,
    );
    for (const r of releases) {
      await developPatch(dev, env, r.id, { "01_schema.sql": r.sql }, { [`${r.id}.test.mjs`]: typesTest(r.table) });
      await ok(dev, ["dev", "release", "new", r.level], env);
      await ok(dev, ["dev", "patch", "add", r.id], env);
      const rc = await ok(dev, ["dev", "release", "promote", "rc", "--json"], env);
      expect(rc.json).toMatchObject({
        release: `${r.version}-rc1`,
        tag: `v${r.version}-rc1`,
        patches: [r.id],
        deletedBranches: [`ho-patch/${r.id}`],
      });
      expect(read(dev, `releases/${r.version}-rc1.txt`)).toBe(`${r.id}\n`);
      expect(read(dev, `Patches/${r.id}/01_schema.sql`)).toBe(r.sql); // code merged into ho-prod at RC
      const prodRelease = await ok(dev, ["dev", "release", "promote", "prod", "--json"], env);
      expect(prodRelease.json).toMatchObject({
        release: r.version,
        tag: `v${r.version}`,
        model: { schema: `model/schema-${r.version}.sql` },
      });
      expect(read(dev, "model/schema.sql")).toContain(`schema-${r.version}.sql`);
      expect(read(dev, `releases/${r.version}.txt`)).toBe(`${r.id}\n`);
      expect(read(dev, `model/metadata-${r.version}.sql`)).toContain(r.version);
    }
    const tags = git(box.origin, ["tag", "--list"]).split("\n");
    for (const r of releases) expect(tags).toEqual(expect.arrayContaining([`v${r.version}`, `v${r.version}-rc1`]));
    expect(git(box.origin, ["rev-parse", "ho-prod"])).toBe(git(dev, ["rev-parse", "HEAD"]));
    expect(git(dev, ["status", "--porcelain"])).toBe("");
  }, 600_000);

  it("a production clone upgrades from 0.0.0 to the development schema, release by release", async () => {
    const clone = await ok(
      box.dir,
      ["dev", "clone", box.origin, "shop-prod", "--production", "--database", prodDb, "--json"],
      env,
    );
    expect(clone.json).toMatchObject({ production: true, databaseState: "created", release: "0.0.0" });
    const update = await ok(prod, ["dev", "update", "--json"], env);
    expect(update.json).toMatchObject({
      current: "0.0.0",
      path: releases.map((r) => ({ version: r.version, patches: [r.id] })),
    });
    const dry = await ok(prod, ["dev", "upgrade", "--dry-run"], env);
    expect(dry.stdout).toContain("DRY RUN");
    expect(dry.stdout).toContain(releases[0]!.sql.trim().split("\n")[0]!);
    expect((await ok(prod, ["dev", "update", "--json"], env)).json.current).toBe("0.0.0"); // dry run changed nothing
    if (releases.length > 1) {
      const first = await ok(prod, ["dev", "upgrade", "--to-release", releases[0]!.version, "--json"], env);
      expect(first.json).toMatchObject({ from: "0.0.0", to: releases[0]!.version });
    }
    const up = await ok(prod, ["dev", "upgrade", "--json"], env);
    expect(up.json).toMatchObject({ to: last });
    expect(up.json.backup).toMatch(/backups\//);
    expect(git(prod, ["status", "--porcelain"])).toBe(""); // backups/ is ignored
    const handle = await openDatabase(
      backend === "server"
        ? { url: serverUrl().replace(/\/[^/]*$/, `/${prodDb}`) }
        : { kind: "pglite", pgliteDir: join(prod, ".pglite", prodDb) },
    );
    try {
      expect(await dumpSchema(handle)).toBe(read(dev, `model/schema-${last}.sql`));
      expect((await listReleases(handle)).map((r) => r.version)).toEqual(["0.0.0", ...releases.map((r) => r.version)]);
    } finally {
      await handle.close();
    }
    const again = await ok(prod, ["dev", "upgrade"], env);
    expect(again.stdout).toContain(`Up to date at ${last}`);
  }, 300_000);
});
