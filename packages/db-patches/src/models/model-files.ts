import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dumpMetadata } from "../metadata/dump-metadata.js";
import { dumpSchema } from "./dump-schema.js";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import type { DatabaseHandle } from "../connection/open-database.js";
import { parseReleaseVersion } from "../planning/release-version.js";

/**
 * The pointer file of a model directory. It is a text file, never a symlink (symlinks break
 * on Windows and with `core.symlinks=false`), and also a valid psql script:
 * `psql -f model/schema.sql` includes the production schema through `\ir`.
 */
export const MODEL_POINTER = "schema.sql";

/** A production model: the schema dump and the metadata dump of one release. */
export interface Model {
  /** The release the pointer names. */
  version: string;
  schemaFile: string;
  schemaSql: string;
  /** Absent for a model written before any metadata existed. */
  metadataFile: string | undefined;
  metadataSql: string;
}

/** File names of a release's model. */
export function modelFileNames(version: string): { schema: string; metadata: string } {
  const v = parseReleaseVersion(version).text;
  return { schema: `schema-${v}.sql`, metadata: `metadata-${v}.sql` };
}

/**
 * Writes `schema-X.Y.Z.sql` and `metadata-X.Y.Z.sql` from the live database into `modelDir`
 * and points `schema.sql` at them (each file written atomically).
 */
export async function writeModel(
  handle: DatabaseHandle,
  options: { modelDir: string; version: string; project: string },
): Promise<Model> {
  const names = modelFileNames(options.version);
  const schemaSql = await dumpSchema(handle);
  const metadataSql = await dumpMetadata(handle, options.project);
  mkdirSync(options.modelDir, { recursive: true });
  writeAtomic(join(options.modelDir, names.schema), schemaSql);
  writeAtomic(join(options.modelDir, names.metadata), metadataSql);
  writeAtomic(join(options.modelDir, MODEL_POINTER), pointerText(names.schema));
  return {
    version: parseReleaseVersion(options.version).text,
    schemaFile: names.schema,
    schemaSql,
    metadataFile: names.metadata,
    metadataSql,
  };
}

/** The pointer file's content for a schema file. */
export function pointerText(schemaFile: string): string {
  return `-- git-prolly model pointer: the production schema is the file named below (a text file, not a symlink).\n\\ir ${schemaFile}\n`;
}

/**
 * Reads the model the pointer names. Accepts the pointer form written by {@link writeModel} and a
 * pointer holding just the file name.
 *
 * @throws {@link DbPatchError} `DB_MODEL_INVALID`.
 */
export function readModel(modelDir: string): Model {
  const pointer = join(modelDir, MODEL_POINTER);
  let text: string;
  try {
    text = readFileSync(pointer, "utf8");
  } catch (e) {
    throw invalid(`no model pointer at ${pointer}`, { pointer }, e);
  }
  const file = text
    .split("\n")
    .map((l) => l.trim())
    .map((l) => /^(?:\\ir\s+)?(schema-[0-9A-Za-z.-]+\.sql)$/.exec(l)?.[1])
    .find((f) => f !== undefined);
  if (file === undefined) {
    throw invalid(`${pointer} does not name a schema-X.Y.Z.sql file`, { pointer }, undefined);
  }
  const version = file.slice("schema-".length, -".sql".length);
  const names = modelFileNames(version);
  let schemaSql: string;
  try {
    schemaSql = readFileSync(join(modelDir, names.schema), "utf8");
  } catch (e) {
    throw invalid(`${pointer} names ${names.schema}, which is missing`, { pointer, file: names.schema }, e);
  }
  const metadataPath = join(modelDir, names.metadata);
  const hasMetadata = existsSync(metadataPath);
  return {
    version: parseReleaseVersion(version).text,
    schemaFile: names.schema,
    schemaSql,
    metadataFile: hasMetadata ? names.metadata : undefined,
    metadataSql: hasMetadata ? readFileSync(metadataPath, "utf8") : "",
  };
}

function invalid(message: string, data: Record<string, unknown>, cause: unknown): DbPatchError {
  return new DbPatchError(DB_PATCH_ERROR_CODES.MODEL_INVALID, message, {
    hint: "Restore the model directory from Git (model/schema.sql names the production schema-X.Y.Z.sql).",
    data,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Writes through a temporary file and a rename, so readers never see half a file. */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
