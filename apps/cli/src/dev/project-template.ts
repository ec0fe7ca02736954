/** The files `dev init` writes into a new project (besides the model and the generated types). */
export function projectTemplate(name: string, database: string, testCommand: string): Record<string, string> {
  const pkg = {
    name,
    version: "0.0.0",
    private: true,
    type: "module",
    scripts: { build: "tsc", test: testCommand },
    dependencies: { kysely: "0.28.18" },
    devDependencies: { typescript: "5.9.3", vitest: "4.1.12", "@types/node": "^20.19.43" },
  };
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      declaration: true,
      outDir: "dist",
      rootDir: "src",
      skipLibCheck: true,
    },
    include: ["src"],
  };
  return {
    "package.json": `${JSON.stringify(pkg, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify(tsconfig, null, 2)}\n`,
    ".gitignore": ["node_modules/", "dist/", "backups/", ".pglite/", ""].join("\n"),
    "README.md": [
      `# ${name}`,
      "",
      `Database \`${database}\`, versioned with \`git-prolly dev\`.`,
      "",
      "```bash",
      "npm install                               # the test runner and kysely",
      "git-prolly dev patch new 1-first-change   # a patch branch and Patches/1-first-change/",
      "git-prolly dev patch apply                # production state + release patches + yours, Kysely types",
      "git-prolly dev release new minor          # releases/X.Y.Z-stage.txt",
      "git-prolly dev patch add 1-first-change   # validated on temp-valid-X.Y.Z: tests must pass",
      "```",
      "",
    ].join("\n"),
    "src/index.ts": `export type { Database } from "./db/database.js";\n`,
    "tests/README.md": `Tests of ${name}. \`${testCommand}\` runs them; \`git-prolly dev patch add\` runs it on the validation branch.\n`,
    "Patches/README.md":
      "One directory per patch: `.sql` files and `.ts`/`.js` modules (default export `async (db) => {}`), run in lexicographic order.\n",
    "releases/README.md": "Release files: `X.Y.Z-stage.txt` → `X.Y.Z-rcN.txt` → `X.Y.Z.txt`, one patch id per line.\n",
  };
}
