import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { Kysely } from "kysely";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";

/** What a `.ts`/`.js` patch module exports by default. */
export type PatchModule = (db: Kysely<any>) => Promise<void> | void;

/**
 * Loads a patch module and returns its default export.
 *
 * `.js`/`.mjs` files are plain dynamic imports. `.ts`/`.mts` files load natively when the process
 * already understands TypeScript (run under `tsx`, vitest, or Node ≥ 22.6 with type stripping);
 * on plain Node 20 they load through the `tsImport` API of the `tsx` package **installed in the
 * project that holds the patches** (resolved from the patch file, never a dependency of
 * db-patches). Without either, the error says so and how to fix it.
 *
 * The URL carries the file's checksum, so an edited module is loaded afresh in a long-lived process.
 *
 * @throws {@link DbPatchError} `DB_TS_LOADER_MISSING`, `DB_PATCH_MODULE_INVALID`.
 */
export async function loadPatchModule(path: string, sha256: string, where: string): Promise<PatchModule> {
  const url = `${pathToFileURL(path).href}?sha256=${sha256}`;
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    if (!isUnknownExtension(e) || !/\.m?ts$/.test(path))
      throw invalid(where, `cannot be loaded: ${(e as Error).message}`, e);
    mod = await importWithTsx(path, url, where);
  }
  if (typeof mod.default !== "function") {
    throw invalid(where, "has no default export that is a function", undefined);
  }
  return mod.default as PatchModule;
}

async function importWithTsx(path: string, url: string, where: string): Promise<{ default?: unknown }> {
  let api: string;
  try {
    api = createRequire(path).resolve("tsx/esm/api");
  } catch (e) {
    throw new DbPatchError(
      DB_PATCH_ERROR_CODES.TS_LOADER_MISSING,
      `${where}: no TypeScript loader to run a .ts patch module on Node ${process.versions.node}`,
      {
        hint: "Add tsx to the project (npm i -D tsx), run git-prolly under `node --import tsx`, or write the module as .js/.mjs.",
        data: { file: where, node: process.versions.node },
        cause: e,
      },
    );
  }
  try {
    const { tsImport } = (await import(pathToFileURL(api).href)) as {
      tsImport: (specifier: string, parent: string) => Promise<{ default?: unknown }>;
    };
    const mod = await tsImport(url, import.meta.url);
    // tsImport wraps CommonJS-looking output in a namespace whose `default` is the module object.
    const inner = mod.default as { default?: unknown } | undefined;
    return typeof mod.default === "function" || inner === undefined || typeof inner !== "object" ? mod : inner;
  } catch (e) {
    throw invalid(where, `cannot be loaded: ${(e as Error).message}`, e);
  }
}

function isUnknownExtension(e: unknown): boolean {
  return (e as { code?: unknown })?.code === "ERR_UNKNOWN_FILE_EXTENSION";
}

function invalid(where: string, what: string, cause: unknown): DbPatchError {
  return new DbPatchError(DB_PATCH_ERROR_CODES.PATCH_MODULE_INVALID, `${where} ${what}`, {
    hint: "A patch module must `export default async function (db) { … }` and load without errors.",
    data: { file: where },
    ...(cause === undefined ? {} : { cause }),
  });
}
