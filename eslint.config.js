// ESLint for the whole repository (flat config, typescript-eslint). `pnpm lint` runs it over the
// packages that pass it today (see package.json); `pnpm lint:all` over every package.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/api/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: {
        process: "readonly",
        Buffer: "readonly",
        console: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        performance: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        URL: "readonly",
        structuredClone: "readonly",
        queueMicrotask: "readonly",
        AbortController: "readonly",
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/no-non-null-assertion": "off",
      eqeqeq: ["error", "always"],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    // The CLI's launcher is CommonJS (apps/cli/bin/package.json), so a hot command skips Node's ES
    // module loader.
    files: ["apps/cli/bin/**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Kysely's `Kysely<any>` is the documented way to hold a database of unknown shape.
    files: ["packages/db-patches/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
