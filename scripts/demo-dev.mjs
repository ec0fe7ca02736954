// The `git-prolly dev` demonstration: seed 003's Quick Start and one release cycle (patch → stage →
// rc → prod → production clone → update → upgrade) through the built CLI, on embedded PGlite in a
// scratch directory, with a bare repository as origin. Prints each command and its output.
// Needs `pnpm build` first (apps/cli/bin/run.js runs dist/).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "apps", "cli", "bin", "run.js");
const work = mkdtempSync(join(tmpdir(), "git-prolly-dev-demo-"));
const env = { ...process.env, NO_COLOR: "1" };
for (const k of Object.keys(env)) if (k === "DATABASE_URL" || k.startsWith("PG")) delete env[k]; // embedded PGlite
for (const kind of ["AUTHOR", "COMMITTER"]) {
  env[`GIT_${kind}_NAME`] ??= "git-prolly demo";
  env[`GIT_${kind}_EMAIL`] ??= "demo@git-prolly.invalid";
}
let cwd = work;
const show = (text) => text.trimEnd() !== "" && console.log(text.trimEnd().replace(/^/gm, "    "));
function run(...args) {
  console.log(`\n$ git-prolly ${args.join(" ")}`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: "utf8" });
  show(r.stdout);
  show(r.stderr);
  if (r.status !== 0) throw new Error(`git-prolly ${args.join(" ")} exited ${r.status}`);
}
function sh(text, fn) {
  console.log(`\n$ ${text}`);
  fn();
}
const git = (...args) => execFileSync("git", args, { cwd, env, encoding: "utf8" });
const write = (path, text) => {
  mkdirSync(dirname(join(cwd, path)), { recursive: true });
  writeFileSync(join(cwd, path), text);
};

try {
  console.log(`Scratch directory ${work} (PGlite: no database server needed)`);
  execFileSync("git", ["init", "--quiet", "--bare", join(work, "origin.git")]);
  run(
    "dev",
    "init",
    "myproject",
    "--database",
    "mydb",
    "--git-origin",
    join(work, "origin.git"),
    "--test-command",
    "node --test tests/",
  );
  cwd = join(work, "myproject");
  run("dev", "patch", "new", "001-users", "-d", "Users table");
  sh('echo "CREATE TABLE users (id SERIAL PRIMARY KEY, username TEXT);" > Patches/001-users/01_users.sql', () =>
    write("Patches/001-users/01_users.sql", "CREATE TABLE users (id SERIAL PRIMARY KEY, username TEXT);\n"),
  );
  sh("cat > tests/users.test.mjs  # a test of the generated Kysely types", () =>
    write(
      "tests/users.test.mjs",
      'import test from "node:test";\nimport assert from "node:assert";\nimport { readFileSync } from "node:fs";\n' +
        'test("users table", () => assert.match(readFileSync("src/db/database.ts", "utf8"), /users: Users/));\n',
    ),
  );
  run("dev", "patch", "apply");
  sh('git add . && git commit -m "Add users table with tests" && git checkout ho-prod', () => {
    git("add", ".");
    git("commit", "--quiet", "-m", "Add users table with tests");
    git("checkout", "--quiet", "ho-prod");
  });
  run("dev", "release", "new", "minor");
  run("dev", "patch", "add", "001-users");
  run("dev", "release", "promote", "rc");
  run("dev", "release", "promote", "prod");
  run("dev", "status");
  cwd = work;
  run("dev", "clone", join(work, "origin.git"), "myproject-prod", "--production");
  cwd = join(work, "myproject-prod");
  run("dev", "update");
  run("dev", "upgrade", "--dry-run");
  run("dev", "upgrade");
  console.log("\nDone: 0.0.0 → 0.1.0 developed, validated, released and deployed.");
} finally {
  rmSync(work, { recursive: true, force: true });
}
