/**
 * The dependency rules of DESIGN.md §2, enforced in CI (`pnpm check:deps`, run by `pnpm test`).
 * Each package may import only what its row of the design allows; tests (`*.test.ts`, `test/`)
 * may also use the test tooling.
 */
const NOT_TEST = "(\\.test\\.ts$|/test/)";
const SELF = (pkg) => `^packages/${pkg}/`;
// A workspace package resolves to its folder once built; before a build (a clean clone runs
// this check first) the import stays unresolved and is matched by its name.
const PKG = (pkg) => `^packages/${pkg}/|^@git-prolly/${pkg}$`;
const NPM = (name) => `node_modules/${name}/`;

/** @param {string} pkg @param {string[]} allowed path patterns @param {boolean} node may use node:* */
function only(pkg, allowed, node) {
  const rules = [
    {
      name: `${pkg}-allowed-imports`,
      comment: `${pkg} may import only: ${allowed.join(", ") || "nothing"} (DESIGN.md §2)`,
      severity: "error",
      from: { path: SELF(pkg), pathNot: NOT_TEST },
      to: { dependencyTypesNot: ["core"], pathNot: [SELF(pkg), ...allowed].join("|") },
    },
  ];
  if (!node) {
    rules.push({
      name: `${pkg}-no-node-builtins`,
      comment: `${pkg} is runtime-neutral: no node:* imports (Uint8Array, not Buffer)`,
      severity: "error",
      from: { path: SELF(pkg), pathNot: NOT_TEST },
      to: { dependencyTypes: ["core"] },
    });
  }
  return rules;
}

module.exports = {
  forbidden: [
    ...only("prolly-core", [], false),
    // lock-file: the one lock-file implementation of git-object-store and db-patches (a leaf, so
    // db-patches need not import git-object-store); signal-exit removes held locks when a signal
    // ends the process (see its README).
    ...only("lock-file", [NPM("signal-exit")], true),
    ...only("git-object-store", [PKG("prolly-core"), PKG("lock-file"), NPM("isomorphic-git")], true),
    ...only("kv-store", [PKG("prolly-core"), PKG("git-object-store")], true),
    ...only(
      "db-patches",
      [
        PKG("lock-file"),
        NPM("kysely"),
        NPM("pg"),
        NPM("pg-[a-z]+"),
        NPM("@electric-sql/pglite"),
        NPM("@electric-sql/pglite-tools"),
      ],
      true,
    ),
    ...only("release-engine", [NPM("semver")], true),
    // reader: its source imports prolly-core's decoder, which esbuild bundles at build time; the
    // package has no runtime dependencies (prolly-core is a devDependency, and the reader's own
    // test checks that the built bundles import only node:* modules).
    ...only("reader", [PKG("prolly-core")], true),
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/|\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};
