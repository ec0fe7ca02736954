/** The port to the `git` executable. */
import { readFileSync } from "node:fs";
import { Script } from "node:vm";
import { expect, it } from "vitest";
import { runGit } from "../src/repository/git-cli.js";

it("runs git without import(): code compiled by vm.Script (the CLI's code-cached bundle) has no import() callback", async () => {
  // The failure it avoids: in such code `import()` rejects, `process.getBuiltinModule` works.
  await expect(new Script(`import("node:child_process")`).runInThisContext()).rejects.toMatchObject({
    code: "ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING",
  });
  expect(typeof new Script(`process.getBuiltinModule("node:child_process").spawn`).runInThisContext()).toBe("function");
  const source = readFileSync(new URL("../src/repository/git-cli.ts", import.meta.url), "utf8");
  expect(source).not.toMatch(/\bimport\(\s*["']node:/);
  const { code, stdout } = await runGit({ args: ["--version"] });
  expect(code).toBe(0);
  expect(stdout).toMatch(/^git version /);
});
