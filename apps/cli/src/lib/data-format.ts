import { extname } from "node:path";
import { CliError } from "./cli-error.js";

/** File formats of `import` and `export`. */
export const DATA_FORMATS = ["json", "ndjson", "csv", "env"] as const;
/** One of {@link DATA_FORMATS}. */
export type DataFormat = (typeof DATA_FORMATS)[number];

const BY_EXTENSION: Readonly<Record<string, DataFormat>> = {
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".csv": "csv",
  ".env": "env",
};

/**
 * The format of a data file: `--format` when given, else by extension (`.json`, `.ndjson`/`.jsonl`,
 * `.csv`, `.env` and names like `.env.production`), else `fallback`.
 * @throws {CliError} CLI_BAD_FORMAT when nothing says which format
 */
export function dataFormatOf(path: string | undefined, flag: string | undefined, fallback?: DataFormat): DataFormat {
  if (flag !== undefined) return flag as DataFormat;
  if (path !== undefined && path !== "-") {
    const base = path.split(/[\\/]/).pop() ?? path;
    if (base === ".env" || base.startsWith(".env.") || base.endsWith(".env")) return "env";
    const format = BY_EXTENSION[extname(base).toLowerCase()];
    if (format !== undefined) return format;
  }
  if (fallback !== undefined) return fallback;
  throw new CliError("CLI_BAD_FORMAT", `cannot tell the format of '${path ?? "-"}'`, {
    hint: `name the file .json, .ndjson, .csv or .env, or pass --format ${DATA_FORMATS.join("|")}`,
    data: { path: path ?? "-" },
  });
}
