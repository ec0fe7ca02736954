// `git-prolly dev patch apply` on a project with 20 released versions and 100 patches (80 released,
// 10 in 0.21.0-rc1, 9 in 0.21.0-stage, the current one on ho-patch/100-current), against its peer
// on the same server in the same run: restoring the production schema dump with psql
// (createdb + psql -f model/schema-0.20.0.sql) and running the same 20 patches' SQL with
// `psql -1 -v ON_ERROR_STOP=1`. Our figure is a whole CLI process (Node start-up, Git, advisory
// lock, metadata rows and checksums, Kysely codegen included). Target ≤ 1.5×.
// Reads the server from TEST_PG_URL, or starts a throwaway PostgreSQL cluster (initdb) for the run.
// Needs `pnpm build`. Usage: node bench/dev-patch-apply.bench.mjs [--runs 5]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPgBin, startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { applyPlan, openDatabase, planPatches, recordRelease, writeModel } from "../packages/db-patches/dist/index.js";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const pgBin = findPgBin();
const server = process.env.TEST_PG_URL
  ? { url: process.env.TEST_PG_URL, stop() {} }
  : startThrowawayPostgres({ prefix: "gp-bench-dev-pg-" });
const bin = new URL("../apps/cli/bin/run.js", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "gp-bench-dev-"));
const devDb = `gp_bench_dev_${process.pid}`;
const peerDb = `gp_bench_peer_${process.pid}`;
const env = { ...process.env, DATABASE_URL: server.url, NO_COLOR: "1" };
for (const kind of ["AUTHOR", "COMMITTER"]) {
  env[`GIT_${kind}_NAME`] ??= "bench";
  env[`GIT_${kind}_EMAIL`] ??= "bench@git-prolly.invalid";
}
const root = join(work, "benchapp");
const git = (...args) => execFileSync("git", args, { cwd: root, env, encoding: "utf8" });
const id = (i) => (i === 100 ? "100-current" : `${i}-t${i}`);

try {
  execFileSync(process.execPath, [bin, "dev", "init", "benchapp", "--database", devDb, "--test-command", "true"], {
    cwd: work,
    env,
    stdio: "pipe",
  });
  for (let i = 1; i <= 100; i++) {
    const dir = join(root, "Patches", id(i));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "01_schema.sql"),
      `create table t${i} (id serial primary key, name text not null, qty int default 0, price numeric(10,2), created timestamptz default now());\n` +
        `create index t${i}_name on t${i} (name);\n`,
    );
    writeFileSync(
      join(dir, "02_data.sql"),
      `insert into t${i} (name, qty, price) select 'item ' || g, g % 17, g * 0.5 from generate_series(1, 500) g;\n` +
        `update t${i} set qty = qty + 1 where id % 3 = 0;\n` +
        `create view t${i}_cheap as select id, name from t${i} where price < 10;\n`,
    );
  }
  const patches = join(root, "Patches");
  const h = await openDatabase({ url: urlFor(devDb) });
  for (let v = 1; v <= 20; v++) {
    const ids = [1, 2, 3, 4].map((k) => id((v - 1) * 4 + k));
    await applyPlan(h, planPatches(patches, ids), { project: "benchapp", release: `0.${v}.0` });
    await recordRelease(h, { project: "benchapp", version: `0.${v}.0` });
    writeFileSync(join(root, "releases", `0.${v}.0.txt`), ids.map((x) => `${x}\n`).join(""));
  }
  await writeModel(h, { modelDir: join(root, "model"), version: "0.20.0", project: "benchapp" });
  await h.close();
  const rc = Array.from({ length: 10 }, (_, k) => id(81 + k));
  const stage = Array.from({ length: 9 }, (_, k) => id(91 + k));
  writeFileSync(join(root, "releases", "0.21.0-rc1.txt"), rc.map((x) => `${x}\n`).join(""));
  writeFileSync(join(root, "releases", "0.21.0-stage.txt"), stage.map((x) => `${x}\n`).join(""));
  git("add", "-A");
  git("commit", "--quiet", "-m", "20 releases, 100 patches");
  git("checkout", "--quiet", "-b", "ho-patch/100-current");

  const peerSql = join(work, "patches.sql");
  writeFileSync(
    peerSql,
    [...rc, ...stage, id(100)]
      .flatMap((p) => ["01_schema.sql", "02_data.sql"].map((f) => readFileSync(join(patches, p, f), "utf8")))
      .join("\n"),
  );
  const ours = [];
  const peer = [];
  for (let r = 0; r <= runs; r++) {
    let t = performance.now();
    const out = spawnSync(process.execPath, [bin, "dev", "patch", "apply"], { cwd: root, env, encoding: "utf8" });
    if (out.status !== 0) throw new Error(`dev patch apply failed: ${out.stderr}`);
    const a = performance.now() - t;
    t = performance.now();
    psql("postgres", ["-c", `drop database if exists ${peerDb}`]);
    psql("postgres", ["-c", `create database ${peerDb}`]);
    psql(peerDb, ["-f", join(root, "model", "schema-0.20.0.sql")]);
    psql(peerDb, ["-1", "-f", peerSql]);
    const b = performance.now() - t;
    if (r === 0) {
      console.log(`first run (builds the model's template database): git-prolly ${fmt(a)}, psql ${fmt(b)}`);
      continue;
    }
    ours.push(a);
    peer.push(b);
  }
  const [mo, mp] = [median(ours), median(peer)];
  console.log(
    `server ${server.url.replace(/:\/\/([^:@/]*):[^@]*@/, "://$1:***@")}, ${runs} runs, medians (a shared machine: single figures vary)`,
  );
  console.log(`| workload | psql (restore dump + run SQL) | git-prolly dev patch apply | ratio |`);
  console.log(`|---|---|---|---|`);
  console.log(
    `| 20 releases, 100 patches: restore 0.20.0 + rc1 (10) + stage (9) + current | ${fmt(mp)} | ${fmt(mo)} | ${(mo / mp).toFixed(2)}× (target ≤ 1.5×) |`,
  );
} finally {
  spawnSync(join(pgBin, "psql"), [
    "-d",
    urlFor("postgres"),
    "-q",
    "-c",
    `drop database if exists ${peerDb}`,
    "-c",
    `drop database if exists ${devDb}`,
  ]);
  rmSync(work, { recursive: true, force: true });
  server.stop();
}

function psql(db, args) {
  const r = spawnSync(join(pgBin, "psql"), ["-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", urlFor(db), ...args], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`psql ${args.join(" ")}: ${r.stderr}`);
}

function urlFor(db) {
  const u = new URL(server.url);
  u.pathname = `/${db}`;
  return u.toString();
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fmt(ms) {
  return `${ms.toFixed(0)} ms`;
}
