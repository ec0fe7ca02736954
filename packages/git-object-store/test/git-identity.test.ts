/** The committer identity worked out in process, compared with `git var` in real repositories. */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openGitRepository } from "../src/index.js";
import { identityFromConfig, parseIdent, withoutCrud } from "../src/history/identity.js";
import { autoGcMayRun, parseConfigEntries, readGitConfig } from "../src/repository/git-config.js";
import { git, removeDir, tempDir } from "./helpers.js";

let root: string;
let repo: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  root = tempDir("identity");
  repo = join(root, "repo");
  mkdirSync(join(root, "home"));
  git(root, "init", "-q", "-b", "main", repo);
  // Nothing from the machine: no identity variables, a private HOME, no system file.
  env = { PATH: process.env.PATH, HOME: join(root, "home"), GIT_CONFIG_NOSYSTEM: "1", TZ: process.env.TZ };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
});
afterEach(() => removeDir(root));

function gitVar(name: string, extra: NodeJS.ProcessEnv = {}): string {
  return execFileSync("git", ["var", name], { cwd: repo, env: { ...env, ...extra }, encoding: "utf8" }).trim();
}

/** In process and `git var` agree on names, emails and time zones, and on the time within seconds. */
async function expectSameAsGit(extra: NodeJS.ProcessEnv = {}): Promise<void> {
  const ours = await identityFromConfig({ commonDir: join(repo, ".git"), env: { ...env, ...extra } });
  expect(ours).toBeDefined();
  for (const [kind, v] of [
    ["author", "GIT_AUTHOR_IDENT"],
    ["committer", "GIT_COMMITTER_IDENT"],
  ] as const) {
    const theirs = parseIdent(gitVar(v, extra))!;
    const mine = ours![kind];
    expect({ name: mine.name, email: mine.email, tz: mine.timezoneOffset }).toEqual({
      name: theirs.name,
      email: theirs.email,
      tz: theirs.timezoneOffset,
    });
    expect(Math.abs(mine.timestamp - theirs.timestamp)).toBeLessThan(5);
  }
}

const config = (file: string, text: string): void => {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
};

describe("the identity in process", () => {
  it("takes the environment first", async () => {
    await expectSameAsGit({
      GIT_AUTHOR_NAME: "Ann Author",
      GIT_AUTHOR_EMAIL: "ann@example.com",
      GIT_COMMITTER_NAME: "Cid Committer",
      GIT_COMMITTER_EMAIL: "cid@example.com",
    });
  });

  it("reads the repository's, ~/.gitconfig and the XDG file in Git's order", async () => {
    config(join(env.HOME!, ".config/git/config"), "[user]\n\tname = From Xdg\n\temail = xdg@example.com\n");
    await expectSameAsGit();
    config(join(env.HOME!, ".gitconfig"), "[user]\n\tname = From Home\n");
    await expectSameAsGit(); // name from ~/.gitconfig, email from the XDG file
    git(repo, "config", "user.email", "local@example.com");
    await expectSameAsGit();
    await expectSameAsGit({ XDG_CONFIG_HOME: join(root, "xdg") });
    config(join(root, "xdg/git/config"), "[user]\n\temail = other-xdg@example.com\n");
    await expectSameAsGit({ XDG_CONFIG_HOME: join(root, "xdg") });
    const ours = await identityFromConfig({ commonDir: join(repo, ".git"), env });
    expect(ours?.committer.name).toBe("From Home");
    expect(ours?.committer.email).toBe("local@example.com");
  });

  it("honours GIT_CONFIG_GLOBAL and GIT_CONFIG_SYSTEM", async () => {
    config(join(root, "system"), "[user]\n\tname = System Name\n\temail = system@example.com\n");
    config(join(root, "global"), "[user]\n\temail = global@example.com\n");
    config(join(env.HOME!, ".gitconfig"), "[user]\n\tname = Ignored Home\n");
    const extra = {
      GIT_CONFIG_NOSYSTEM: "0",
      GIT_CONFIG_SYSTEM: join(root, "system"),
      GIT_CONFIG_GLOBAL: join(root, "global"),
    };
    await expectSameAsGit(extra);
    expect((await identityFromConfig({ commonDir: join(repo, ".git"), env: { ...env, ...extra } }))?.author.name).toBe(
      "System Name",
    );
  });

  it("prefers author.* and committer.* to user.*, and falls back to EMAIL", async () => {
    git(repo, "config", "user.name", "User Name");
    git(repo, "config", "author.name", "Author Name");
    await expectSameAsGit({ EMAIL: "from-env@example.com" });
    git(repo, "config", "committer.email", "committer@example.com");
    // The author's email is now empty for Git (EMAIL is read only without any email setting): git var decides.
    expect(
      await identityFromConfig({ commonDir: join(repo, ".git"), env: { ...env, EMAIL: "x@example.com" } }),
    ).toBeUndefined();
    git(repo, "config", "author.email", "author@example.com");
    await expectSameAsGit({ EMAIL: "from-env@example.com", GIT_COMMITTER_NAME: "Env Committer" });
  });

  it("reads quotes, escapes, comments, continuations and trims crud as Git does", async () => {
    config(
      join(repo, ".git/config"),
      [
        "[core]",
        "\trepositoryformatversion = 0",
        "[User]",
        '\tName = "  Jane \\"JD\\"" Doe.  ; a comment',
        "\temail = <jane.doe@example.com>, # another",
        '[user "sub"]',
        "\tname = not this one",
        "[user]",
        "\tname = Jo \\",
        "  Smith ",
      ].join("\n"),
    );
    await expectSameAsGit();
    const ours = await identityFromConfig({ commonDir: join(repo, ".git"), env });
    expect(ours?.author.name).toBe("Jo   Smith");
    await expectSameAsGit({ GIT_AUTHOR_NAME: " ..Crud <x> name;. ", GIT_AUTHOR_EMAIL: ' "a@b.c" ' });
  });

  it("leaves to git var what it cannot be sure of", async () => {
    git(repo, "config", "user.name", "Some Name");
    git(repo, "config", "user.email", "some@example.com");
    const commonDir = join(repo, ".git");
    const undecided = async (extra: NodeJS.ProcessEnv) =>
      expect(await identityFromConfig({ commonDir, env: { ...env, ...extra } })).toBeUndefined();
    await undecided({ GIT_COMMITTER_DATE: "1700000000 +0000" });
    await undecided({ GIT_CONFIG_PARAMETERS: "'user.name'='Other'" });
    await undecided({ GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "user.name", GIT_CONFIG_VALUE_0: "Other" });
    await undecided({ GIT_AUTHOR_NAME: "" });
    await undecided({ GIT_AUTHOR_NAME: "..." });
    config(join(env.HOME!, ".gitconfig"), '[includeIf "gitdir:~/"]\n\tpath = x\n');
    await undecided({});
    config(join(env.HOME!, ".gitconfig"), "[user]\n\tname\n"); // no value: Git refuses
    git(repo, "config", "--unset", "user.name");
    await undecided({});
    config(join(env.HOME!, ".gitconfig"), "[user] name = inline\n"); // a key after the header
    await undecided({});
  });

  it("honours includes through git var (the repository's identity())", async () => {
    config(join(root, "included"), "[user]\n\tname = Included Name\n\temail = included@example.com\n");
    config(join(env.HOME!, ".gitconfig"), `[include]\n\tpath = ${join(root, "included")}\n`);
    expect(await identityFromConfig({ commonDir: join(repo, ".git"), env })).toBeUndefined();
    const saved = { ...process.env };
    try {
      for (const k of Object.keys(process.env)) delete process.env[k];
      Object.assign(process.env, env);
      const r = await openGitRepository(repo);
      const id = await r.identity();
      await r.close();
      expect(id.committer.name).toBe("Included Name");
      expect(`${id.author.name} <${id.author.email}>`).toBe(gitVar("GIT_AUTHOR_IDENT").replace(/ \d+ [-+]\d{4}$/, ""));
    } finally {
      for (const k of Object.keys(process.env)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it("trims crud like strbuf_addstr_without_crud", () => {
    expect(withoutCrud(" ,:;<>\"\\'.Jo<h>n\n Doe.;")).toBe("John Doe");
    expect(withoutCrud("...")).toBe("");
  });
});

describe("the config reader", () => {
  it("parses what Git parses, and gives up on what it cannot be sure of", () => {
    expect(parseConfigEntries('[a "B.c"]\n  k = "x ; y" # z\n[D.E]\nflag\n')).toEqual({
      entries: [
        { key: "a.B.c.k", value: "x ; y" },
        { key: "d.e.flag", value: null },
      ],
      includes: false,
    });
    expect(parseConfigEntries('[a]\n\tk = "unterminated\n')).toBeUndefined();
    expect(parseConfigEntries("[a]\n\tk = bad \\q escape\n")).toBeUndefined();
    expect(parseConfigEntries("k = before any section\n")).toBeUndefined();
    expect(parseConfigEntries('[includeIf "onbranch:x"]\npath = y\n')?.includes).toBe(true);
  });

  it("gives up on per-worktree config", async () => {
    git(repo, "config", "extensions.worktreeConfig", "true");
    expect(await readGitConfig({ commonDir: join(repo, ".git"), env })).toBeUndefined();
  });
});

describe("git gc --auto", () => {
  it("is skipped only when Git's own thresholds are clearly not reached", async () => {
    const commonDir = join(repo, ".git");
    expect(await autoGcMayRun({ commonDir, env })).toBe(false);
    // 2 loose objects in objects/17 pass a gc.auto of 256 (threshold 1 there); Git counts names only
    git(repo, "config", "gc.auto", "256");
    mkdirSync(join(commonDir, "objects/17"), { recursive: true });
    for (const name of ["0".repeat(38), "1".repeat(38), "not-an-object"])
      writeFileSync(join(commonDir, "objects/17", name), "");
    expect(readdirSync(join(commonDir, "objects/17"))).toHaveLength(3);
    git(repo, "config", "gc.auto", "512"); // threshold 2: not passed
    expect(await autoGcMayRun({ commonDir, env })).toBe(false);
    git(repo, "config", "gc.auto", "256");
    expect(await autoGcMayRun({ commonDir, env })).toBe(true);
    git(repo, "config", "gc.auto", "0");
    expect(await autoGcMayRun({ commonDir, env })).toBe(false);
    git(repo, "config", "gc.auto", "6700");
    expect(await autoGcMayRun({ commonDir, env })).toBe(false);
    // more packs than gc.autoPackLimit
    git(repo, "config", "gc.autoPackLimit", "1");
    removeDir(join(commonDir, "objects/17"));
    for (let i = 0; i < 2; i++) {
      const id = execFileSync("git", ["hash-object", "-w", "--stdin"], {
        cwd: repo,
        input: `blob ${i}\n`,
        encoding: "utf8",
      });
      execFileSync("git", ["pack-objects", "-q", join(commonDir, "objects/pack/pack")], { cwd: repo, input: id });
    }
    expect(await autoGcMayRun({ commonDir, env })).toBe(true);
    const [pack] = readdirSync(join(commonDir, "objects/pack")).filter((f) => f.endsWith(".pack"));
    writeFileSync(join(commonDir, "objects/pack", pack!.replace(/\.pack$/, ".keep")), ""); // kept packs do not count
    expect(await autoGcMayRun({ commonDir, env })).toBe(false);
    git(repo, "config", "gc.autoPackLimit", "0");
    expect(await autoGcMayRun({ commonDir, env })).toBe(false);
    expect(await autoGcMayRun({ commonDir, env: { ...env, GIT_CONFIG_PARAMETERS: "'gc.auto'='0'" } })).toBe(true);
  });
});
