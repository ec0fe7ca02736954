#!/usr/bin/env node
// A short demonstration of seed 000's data workflows through the built `git-prolly` CLI, on a
// scratch monorepo: every command is printed as a shell would show it, followed by its output.
//   pnpm build && node scripts/demo-data.mjs      (KEEP=1 keeps the scratch directory)
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const runJs = fileURLToPath(new URL("../apps/cli/bin/run.js", import.meta.url));
if (!existsSync(fileURLToPath(new URL("../apps/cli/dist", import.meta.url)))) {
  console.error("error: the CLI is not built\nhint: run pnpm build first");
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), "git-prolly-demo-data-"));
const bin = join(work, ".bin");
mkdirSync(bin);
writeFileSync(join(bin, "git-prolly"), `#!/bin/sh\nexec "${process.execPath}" "${runJs}" "$@"\n`);
chmodSync(join(bin, "git-prolly"), 0o755);
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: "1", GIT_CONFIG_NOSYSTEM: "1" };
// A fresh machine may have no Git identity; the demo's commits get one of their own.
for (const kind of ["AUTHOR", "COMMITTER"]) {
  env[`GIT_${kind}_NAME`] ??= "git-prolly demo";
  env[`GIT_${kind}_EMAIL`] ??= "demo@git-prolly.invalid";
}
delete env.DEBUG;

const dim = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[2m${s}\u001b[22m` : s);
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[22m` : s);
let cwd = work;

/** Prints and runs one shell command in the current directory; `expect` is the exit code it must have. */
function $(command, { expect = 0 } = {}) {
  const where = relative(work, cwd) || ".";
  console.log(`${dim(`[${where}]`)} ${bold(`$ ${command}`)}`);
  const r = spawnSync("bash", ["-c", command], { cwd, env, encoding: "utf8" });
  const out = `${r.stdout}${r.stderr}`.trimEnd();
  if (out !== "") console.log(out.replace(/^/gm, "  "));
  if (r.status !== expect) {
    console.error(`demo failed: '${command}' exited with ${r.status} (expected ${expect})`);
    process.exit(1);
  }
  return r.stdout;
}
const cd = (dir) => {
  console.log(`${dim(`[${relative(work, cwd) || "."}]`)} ${bold(`$ cd ${dir}`)}`);
  cwd = join(cwd, dir);
};
const step = (title) => console.log(`\n== ${title}`);

try {
  step("1. A monorepo: config/ and user-data/ datasets beside the code, one history");
  $(
    "git init -q --bare -b main origin.git && git init -q -b main myapp && git -C myapp remote add origin ../origin.git",
  );
  cd("myapp");
  $("mkdir config");
  cd("config");
  $("git-prolly init");
  $('git-prolly set app:name "MyApp"');
  $('git-prolly set app:version "1.0.0"');
  $('git-prolly set db:host "prod-db.example.com"');
  $('git-prolly commit -m "Initial app configuration"');
  cd("..");
  $("mkdir user-data");
  cd("user-data");
  $("git-prolly init");
  $('git-prolly set schema:version "1"');
  $('git-prolly commit -m "Initial user data schema"');
  cd("..");
  $("mkdir src && echo 'console.log(\"Hello World\");' > src/main.js");
  $('git add . && git commit -q -m "Initial project setup" && git log --oneline');

  step("2. Branches: staging gets its own values");
  cd("config");
  $("git-prolly branch staging");
  $("git-prolly checkout staging");
  $('git-prolly set db:host "staging-db.example.com"');
  $('git-prolly set features:beta "true"');
  $('git-prolly commit -m "Staging settings"');
  $("git-prolly checkout main");
  $("git-prolly branch");

  step(
    "3. Data-only checkout: the code stays on a hotfix branch (uncommitted edit included) while config/ follows staging",
  );
  cd("..");
  $("git checkout -q -b hotfix/timeout && echo '// hotfix in progress' >> src/main.js");
  cd("config");
  $("git-prolly checkout staging");
  $("git-prolly current-branch && git-prolly status");
  $("git-prolly get db:host");
  $("git -C .. status --short && git -C .. branch --show-current");
  $("git-prolly checkout hotfix/timeout");
  $("git-prolly get db:host");

  step("4. Diff between branches, as JSON for automation");
  $("git-prolly diff main staging");
  $("git-prolly diff main staging --format=json");

  step("5. A merge with a conflict, refused key by key, then settled with --strategy");
  cd("..");
  $("git checkout -q -- src/main.js && git checkout -q main");
  cd("config");
  $('git-prolly set db:host "prod-db-2.example.com" && git-prolly commit -m "Move the production database"');
  $("git-prolly merge staging", { expect: 4 });
  $("git-prolly merge staging --strategy theirs");
  $("git-prolly get db:host && git-prolly get features:beta");
  $("git-prolly log --limit 3");

  step("6. Plain Git: git diff shows key = value lines; fsck, gc, push and clone just work");
  cd("..");
  $("git diff HEAD~2 HEAD~1 -- config");
  $("git fsck --strict --no-dangling && git gc -q --prune=now && git status --short && echo clean");
  $("git push -q origin main staging && git clone -q ../origin.git ../clone");
  cd("../clone/config");
  $("git-prolly get db:host && git-prolly list --values --ref origin/staging");
  console.log(`\ndemo ok${process.env.KEEP ? ` (kept in ${work})` : ""}`);
} finally {
  if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
}
