#!/usr/bin/env node
// The app's test suite, standing in for the seed's `cargo test …` (the sandbox puts it on PATH
// as `cargo`). Like the seed's Rust tests, it reads its data from the datasets beside the code —
// through `git-prolly get`, as a process, the way a script would — and fails when a required key
// is missing. It appends what it saw to $E2E_LOG so the end-to-end test can check that each run
// read the data it should have (and that the code stayed in place).
//
//   cargo test [--test NAME] [-- …]
//   E2E_READ='{"config":["db:host"]}'      keys to read per dataset directory (default below)
//   E2E_REQUIRE='{"config":["db:host"]}'   keys that must exist (default: app:name / config:app:name)
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const DEFAULT_READ = {
  config: ["app:name", "app:version", "db:host", "db:timeout", "schema:version"],
  "user-data": ["schema:version", "schema:user_profile"],
  data: ["config:app:name", "db:host", "cache:ttl", "ui:theme"],
};
const DEFAULT_REQUIRE = { config: ["app:name"], data: ["config:app:name"] };
const read = process.env.E2E_READ ? JSON.parse(process.env.E2E_READ) : DEFAULT_READ;
const require_ = process.env.E2E_REQUIRE ? JSON.parse(process.env.E2E_REQUIRE) : DEFAULT_REQUIRE;

const cwd = process.cwd();
const problems = [];
const datasets = {};
const followed = {};

function run(cmd, args, dir) {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8" });
  if (r.error) throw r.error;
  return r;
}

for (const [dir, keys] of Object.entries(read)) {
  const full = join(cwd, dir);
  if (!existsSync(full)) continue;
  datasets[dir] = {};
  const branch = run("git-prolly", ["current-branch"], full);
  followed[dir] = branch.status === 0 ? branch.stdout.trim() : `error ${branch.status}: ${branch.stderr.trim()}`;
  for (const key of keys) {
    const r = run("git-prolly", ["get", key], full);
    if (r.status === 0) datasets[dir][key] = r.stdout.replace(/\r?\n$/, "");
    else if (r.status === 3) datasets[dir][key] = null;
    else {
      datasets[dir][key] = null;
      problems.push(`git-prolly get ${key} in ${dir}: exit ${r.status}: ${r.stderr.trim()}`);
    }
  }
  for (const key of require_[dir] ?? []) {
    if (datasets[dir][key] === undefined) {
      const r = run("git-prolly", ["get", key], full);
      datasets[dir][key] = r.status === 0 ? r.stdout.replace(/\r?\n$/, "") : null;
    }
    if (datasets[dir][key] === null) problems.push(`required configuration missing: ${dir} ${key}`);
  }
}
if (Object.keys(datasets).length === 0)
  problems.push(`no dataset directory (${Object.keys(read).join(", ")}) in ${cwd}`);

const src = {};
const srcDir = join(cwd, "src");
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else src[relative(srcDir, p)] = readFileSync(p, "utf8");
  }
};
if (existsSync(srcDir)) walk(srcDir);

const head = run("git", ["symbolic-ref", "--short", "-q", "HEAD"], cwd);
const record = {
  args: process.argv.slice(2),
  cwd,
  codeBranch: head.status === 0 ? head.stdout.trim() : "HEAD",
  datasets,
  followed,
  src,
  passed: problems.length === 0,
  problems,
};
if (process.env.E2E_LOG) appendFileSync(process.env.E2E_LOG, `${JSON.stringify(record)}\n`);
for (const [dir, values] of Object.entries(datasets)) {
  for (const [k, v] of Object.entries(values)) console.log(`${dir}: ${k} = ${v === null ? "(absent)" : v}`);
}
if (problems.length > 0) {
  for (const p of problems) console.error(`test failed: ${p}`);
  console.log("test result: FAILED");
  process.exit(101);
}
console.log("test result: ok");
