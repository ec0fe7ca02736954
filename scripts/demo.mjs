// `pnpm demo`: the main job on the embedded default — no database server, no network. In a
// scratch directory it runs seed 000's monorepo workflow (two datasets versioned beside the code
// in one Git repository, checked with plain git), then the database side on embedded PGlite
// (patches applied fail-closed, schema dumped, Kysely types generated).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as P from "../packages/prolly-core/dist/index.js";
import { VersionedKvStore } from "../packages/kv-store/dist/index.js";
import { applyPlan, generateKyselyTypes, installMetadata, openDatabase, planPatches, dumpSchema } from "../packages/db-patches/dist/index.js";

const work = mkdtempSync(join(tmpdir(), "git-prolly-demo-"));
// A fresh machine may have no Git identity; the demo's commits get one of their own.
for (const kind of ["AUTHOR", "COMMITTER"]) {
  process.env[`GIT_${kind}_NAME`] ??= "git-prolly demo";
  process.env[`GIT_${kind}_EMAIL`] ??= "demo@git-prolly.invalid";
}
const app = join(work, "myapp");
const git = (...args) => execFileSync("git", ["-C", app, ...args], { encoding: "utf8" }).trim();
const step = (title) => console.log(`\n== ${title}`);

try {
  step("1. Monorepo: config/ and user-data/ datasets beside the code (seed 000)");
  mkdirSync(app);
  git("init", "-q", "-b", "main");
  const config = await VersionedKvStore.init(join(app, "config"));
  await config.set("app:name", "MyApp");
  await config.set("app:version", "1.0.0");
  console.log(`config commit ${(await config.commit("Initial app configuration")).id.slice(0, 12)}`);
  const users = await VersionedKvStore.init(join(app, "user-data"));
  await users.import((function* () {
    for (let i = 0; i < 20_000; i++) yield [`user:${String(i).padStart(6, "0")}`, JSON.stringify({ id: i, plan: i % 7 ? "free" : "pro" })];
  })());
  console.log(`user-data commit ${(await users.commit("Import 20,000 users")).id.slice(0, 12)}`);
  mkdirSync(join(app, "src"));
  writeFileSync(join(app, "src", "main.js"), 'console.log("Hello World");\n');
  git("add", "src");
  git("commit", "-q", "-m", "Initial project setup");

  step("2. A feature branch changes code and data; main moves on; the data merges three-way");
  await config.checkout("feature/user-profiles", { create: true });
  await config.set("features:user-profiles", "enabled");
  await config.set("app:version", "1.1.0");
  await config.commit("Enable user profiles");
  await config.checkout("main");
  await config.set("app:theme", "dark");
  await config.commit("Dark theme");
  const merged = await config.merge("feature/user-profiles");
  console.log(`merge of feature/user-profiles into main: ${merged.status}`);
  for (const c of await config.diff("main~1", "main")) console.log(`  ${c.change.padEnd(8)} ${new TextDecoder().decode(c.key)}`);

  step("3. Plain git sees an ordinary repository");
  git("fsck", "--strict", "--no-dangling");
  console.log(`git fsck --strict: ok; git status: ${git("status", "--porcelain") || "clean"}`);
  console.log(git("log", "--oneline", "-5"));
  const clone = join(work, "clone");
  execFileSync("git", ["clone", "-q", app, clone]);
  execFileSync("git", ["-C", clone, "gc", "-q", "--prune=now", "--aggressive"]);
  const cloned = await VersionedKvStore.open(join(clone, "config"));
  console.log(`after git clone + gc: app:version = ${await cloned.getString("app:version")}, features:user-profiles = ${await cloned.getString("features:user-profiles")}`);
  console.log(`same entries, same tree: ${git("rev-parse", "HEAD:user-data").slice(0, 12)} (content-addressed, history-independent)`);

  step("4. A Merkle proof, checked with nothing but the root id");
  const store = P.createMemoryNodeStore();
  const root = await P.buildTree(store, [[P.utf8("config:app:name"), P.utf8("MyApp")], [P.utf8("config:app:version"), P.utf8("1.1.0")]]);
  const verdict = P.verifyProof(P.decodeProof(P.encodeProof(await P.proveKey(store, root, P.utf8("config:app:version")))), root);
  console.log(`proof of config:app:version: ${verdict.valid && verdict.present ? P.fromUtf8(verdict.value) : JSON.stringify(verdict)}`);

  step("5. Database patches on embedded PGlite (seed 003's engine)");
  const patches = join(app, "Patches");
  mkdirSync(join(patches, "1-users"), { recursive: true });
  writeFileSync(join(patches, "1-users", "01-table.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, plan text DEFAULT 'free');\n");
  mkdirSync(join(patches, "2-orders"), { recursive: true });
  writeFileSync(join(patches, "2-orders", "01-table.sql"), "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, total numeric(10,2), tags text[]);\n");
  writeFileSync(join(patches, "2-orders", "02-data.sql"), "INSERT INTO users VALUES (1, 'ada@example.com', 'pro');\nINSERT INTO orders (user_id, total, tags) VALUES (1, 42.50, '{first}');\n");
  mkdirSync(join(patches, "3-broken"), { recursive: true });
  writeFileSync(join(patches, "3-broken", "01.sql"), "ALTER TABLE users ADD COLUMN age int;\nUPDATE users SET nope = 1;\n");
  const db = await openDatabase({ kind: "pglite", pgliteDir: join(app, ".pglite", "db") });
  try {
    await installMetadata(db, { project: "myapp" });
    const applied = await applyPlan(db, planPatches(patches, ["1-users", "2-orders"]), { project: "myapp", release: "0.1.0" });
    console.log(`applied: ${applied.patches.map((p) => `${p.id} (${p.statements} statements)`).join(", ")}`);
    try {
      await applyPlan(db, planPatches(patches, ["3-broken"]), { project: "myapp" });
    } catch (e) {
      console.log(`a failing patch stops the run and rolls back: ${e.code}: ${e.message}`);
    }
    const columns = await db.db.selectFrom("information_schema.columns").select("column_name").where("table_name", "=", "users").execute();
    console.log(`users columns after the failed patch: ${columns.map((c) => c.column_name).sort().join(", ")} (no "age")`);
    const schema = await dumpSchema(db);
    console.log(`schema dump: ${schema.split("\n").filter((l) => l.startsWith("CREATE TABLE")).join(" | ")}`);
    const types = await generateKyselyTypes(db);
    console.log("generated Kysely types (excerpt):");
    console.log(types.split("\n").filter((l) => /interface|email|total|tags/.test(l)).map((l) => "  " + l).join("\n"));
  } finally {
    await db.close();
  }
  console.log(`\ndemo finished in ${work} (removed)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
