/**
 * The user workflows of seed 000, with the real git CLI: a separate data repository (bare clone,
 * pushed, then used as a submodule), linked worktrees per environment, and the monorepo.
 */
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { VersionedKvStore } from "../src/index.js";
import { dump, git, monorepo, removeDir, tempDir, writeFile } from "./helpers.js";

let root: string;
beforeEach(() => {
  root = tempDir("seed");
});
afterEach(() => removeDir(root));

it("separate data repository: bare clone, init, commit, push, then use it as a submodule", async () => {
  const origin = join(root, "kv-data-origin.git");
  git(root, "init", "-q", "--bare", "-b", "main", origin);
  git(root, "clone", "-q", "--bare", origin, join(root, "kv-data"));
  const kv = await VersionedKvStore.init(join(root, "kv-data"));
  await kv.set("config:app:name", "MyApp");
  await kv.set("config:app:version", "1.0.0");
  await kv.commit("Initial configuration");
  git(join(root, "kv-data"), "push", "-q", "origin", "main");
  await kv.close();

  monorepo(join(root, "myapp"));
  git(join(root, "myapp"), "-c", "protocol.file.allow=always", "submodule", "add", "-q", origin, "data");
  git(join(root, "myapp"), "commit", "-q", "-m", "Add KV data submodule");
  const data = join(root, "myapp", "data");
  const store = await VersionedKvStore.open(data);
  expect(await dump(store)).toEqual({ "config:app:name": "MyApp", "config:app:version": "1.0.0" });
  expect(git(join(root, "myapp"), "status", "--porcelain")).toBe("");
  // Feature work inside the submodule, pushed back to the data repository.
  await store.checkout("feature/new-ui-config", { create: true });
  await store.set("ui:theme", "material");
  await store.set("ui:layout", "grid");
  await store.commit("Add new UI configuration");
  git(data, "push", "-q", "origin", "feature/new-ui-config");
  expect(git(root, "--git-dir", origin, "log", "-1", "--format=%s", "feature/new-ui-config")).toBe(
    "Add new UI configuration",
  );
  git(join(root, "myapp"), "add", "data");
  git(join(root, "myapp"), "commit", "-q", "-m", "Update KV data for new UI feature");
  expect(git(data, "status", "--porcelain")).toBe("");
  await store.close();
});

it("worktrees per environment: each checkout reads and commits its own branch", async () => {
  const app = monorepo(join(root, "myapp"));
  const store = await VersionedKvStore.init(join(app, "config"));
  await store.set("db:host", "prod-db.example.com");
  await store.commit("Production settings");
  await store.branch("production");
  await store.checkout("staging", { create: true });
  await store.set("db:host", "staging-db.example.com");
  await store.commit("Staging settings");
  await store.checkout("main");
  git(app, "worktree", "add", "-q", join(root, "myapp-staging"), "staging");
  git(app, "worktree", "add", "-q", join(root, "myapp-production"), "production");
  const staging = await VersionedKvStore.open(join(root, "myapp-staging", "config"));
  const production = await VersionedKvStore.open(join(root, "myapp-production", "config"));
  expect(await staging.getString("db:host")).toBe("staging-db.example.com");
  expect(await production.getString("db:host")).toBe("prod-db.example.com");
  expect(await staging.currentBranch()).toBe("staging");
  await staging.set("cache:ttl", "300");
  await staging.commit("staging ttl");
  expect(git(app, "log", "-1", "--format=%s", "staging")).toBe("staging ttl");
  expect(git(join(root, "myapp-staging"), "status", "--porcelain")).toBe("");
  expect(git(app, "status", "--porcelain")).toBe("");
  expect(await store.getString("cache:ttl")).toBeUndefined();
  expect(await store.getString("cache:ttl", { ref: "staging" })).toBe("300");
  git(app, "worktree", "remove", join(root, "myapp-staging"));
  await Promise.all([staging.close(), production.close(), store.close()]);
});

it("monorepo: two datasets next to code, committed together with plain git afterwards", async () => {
  const app = join(root, "myapp");
  git(root, "init", "-q", "-b", "main", app);
  const config = await VersionedKvStore.init(join(app, "config"));
  await config.set("app:name", "MyApp");
  await config.set("app:version", "1.0.0");
  await config.commit("Initial app configuration");
  const users = await VersionedKvStore.init(join(app, "user-data"));
  await users.set("schema:version", "1");
  await users.commit("Initial user data schema");
  writeFile(join(app, "src/main.rs"), 'fn main() { println!("Hello World"); }\n');
  git(app, "add", ".");
  git(app, "commit", "-q", "-m", "Initial project setup");
  git(app, "checkout", "-q", "-b", "feature/user-profiles");
  writeFile(join(app, "src/lib.rs"), "fn create_user_profile() {}\n");
  await config.set("features:user_profiles", "true");
  await config.commit("Enable user profiles feature");
  await users.set("schema:user_profile", "name,email,created_at");
  await users.commit("Add user profile schema");
  git(app, "add", ".");
  git(app, "commit", "-q", "-m", "Implement user profiles feature");
  expect(git(app, "log", "--format=%s").split("\n")).toEqual([
    "Implement user profiles feature",
    "Add user profile schema",
    "Enable user profiles feature",
    "Initial project setup",
    "Initial user data schema",
    "Initialize git-prolly dataset in user-data",
    "Initial app configuration",
    "Initialize git-prolly dataset in config",
  ]);
  expect(git(app, "show", "--name-only", "--format=", "HEAD")).toBe("src/lib.rs");
  // A dataset checks out alone: config reads main's data, user-data and the code stay on the feature.
  await config.checkout("main");
  expect(await config.getString("features:user_profiles")).toBeUndefined();
  expect(await users.getString("schema:user_profile")).toBe("name,email,created_at");
  expect(git(app, "rev-parse", "--abbrev-ref", "HEAD")).toBe("feature/user-profiles");
  expect(git(app, "show", "HEAD:src/lib.rs")).toBe("fn create_user_profile() {}");
  await config.checkout("feature/user-profiles");
  expect(await config.getString("features:user_profiles")).toBe("true");
  expect(git(app, "status", "--porcelain")).toBe("");
  await Promise.all([config.close(), users.close()]);
});

it("init outside any repository creates one, with the dataset at its root", async () => {
  const dir = join(root, "kv-data");
  const store = await VersionedKvStore.init(dir);
  expect(git(dir, "rev-parse", "--is-inside-work-tree")).toBe("true");
  expect(git(dir, "ls-tree", "--name-only", "HEAD").split("\n")).toEqual(["prolly.json", "root"]);
  await store.set("config:app:name", "MyApp");
  await store.commit("Initial configuration");
  expect((await VersionedKvStore.open(join(dir, "root"))).dataset).toBe("");
  const again = await VersionedKvStore.init(dir); // idempotent: opens the existing dataset
  expect(await again.getString("config:app:name")).toBe("MyApp");
  // A log of the dataset's own commits skips the code commits of a monorepo.
  writeFile(join(dir, "README.md"), "data repository\n");
  git(dir, "add", "README.md");
  git(dir, "commit", "-q", "-m", "readme");
  const subjects: string[] = [];
  for await (const c of store.log({ datasetOnly: true })) subjects.push(c.subject);
  expect(subjects).toEqual(["Initial configuration", "Initialize git-prolly dataset"]);
  await Promise.all([store.close(), again.close()]);
});

it("commits run Git's automatic housekeeping, as git commit does", async () => {
  const dir = join(root, "housekeeping");
  const store = await VersionedKvStore.init(dir);
  git(dir, "config", "gc.autoPackLimit", "1");
  git(dir, "config", "gc.autoDetach", "false");
  const packs = (): number => Number(/^packs: (\d+)/m.exec(git(dir, "count-objects", "-v"))![1]);
  await store.import(
    Array.from({ length: 20_000 }, (_, i) => [`a${String(i).padStart(6, "0")}`, `v${i}${"-".repeat(100)}`] as const),
    { sorted: true },
  );
  await store.commit("first bulk");
  expect(packs()).toBe(1);
  await store.import(
    Array.from({ length: 20_000 }, (_, i) => [`b${String(i).padStart(6, "0")}`, `v${i}${"-".repeat(100)}`] as const),
  );
  await store.commit("second bulk"); // a second pack: past gc.autoPackLimit, so git gc --auto repacks
  expect(packs()).toBe(1);
  expect(await store.getString("a000123")).toBe(`v123${"-".repeat(100)}`);
  expect(await store.getString("b019999")).toBe(`v19999${"-".repeat(100)}`);
  git(dir, "fsck", "--strict");
  await store.close();
});
