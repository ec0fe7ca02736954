import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseEnv } from "dotenv";
import { CliError } from "./cli-error.js";
import type { DataFormat } from "./data-format.js";

/** A key and value read from a data file. */
export type ParsedEntry = readonly [key: string, value: string | Uint8Array];

function bad(path: string, format: DataFormat, detail: string, cause?: unknown): CliError {
  return new CliError("CLI_BAD_FORMAT", `'${path}' is not valid ${format}: ${detail}`, {
    hint:
      format === "json"
        ? 'give an object {"key": "value", …} or an array [{"key": …, "value": …}, …]'
        : format === "ndjson"
          ? 'give one {"key": …, "value": …} object per line'
          : format === "csv"
            ? "give rows key,value (an optional header row key,value)"
            : "give KEY=value lines",
    data: { path, format },
    cause,
  });
}

/** A JSON value as a stored value: strings as they are, `{ base64 }` as bytes, anything else as its JSON text. */
function jsonValue(v: unknown): string | Uint8Array {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && !Array.isArray(v)) {
    const keys = Object.keys(v);
    const b64 = (v as { base64?: unknown }).base64;
    if (keys.length === 1 && typeof b64 === "string") return new Uint8Array(Buffer.from(b64, "base64"));
  }
  return JSON.stringify(v);
}

function jsonKey(k: unknown, where: string, path: string, format: DataFormat): string {
  if (typeof k !== "string") throw bad(path, format, `${where}: "key" must be a string`);
  return k;
}

function fromRecord(o: unknown, where: string, path: string, format: DataFormat): ParsedEntry {
  if (typeof o !== "object" || o === null || Array.isArray(o) || !("key" in o) || !("value" in o)) {
    throw bad(path, format, `${where}: expected an object with "key" and "value"`);
  }
  return [jsonKey((o as { key: unknown }).key, where, path, format), jsonValue((o as { value: unknown }).value)];
}

/**
 * Parses a data file's bytes into entries, in file order.
 * @throws {CliError} CLI_BAD_FORMAT with the line or item that is wrong
 */
export function parseEntries(content: Buffer, format: DataFormat, path: string): ParsedEntry[] {
  const textContent = content.toString("utf8").replace(/^\uFEFF/, "");
  switch (format) {
    case "json": {
      let doc: unknown;
      try {
        doc = JSON.parse(textContent);
      } catch (cause) {
        throw bad(path, format, (cause as Error).message, cause);
      }
      if (Array.isArray(doc)) return doc.map((o, i) => fromRecord(o, `item ${i}`, path, format));
      if (typeof doc === "object" && doc !== null)
        return Object.entries(doc).map(([k, v]) => [k, jsonValue(v)] as const);
      throw bad(path, format, "expected an object or an array");
    }
    case "ndjson": {
      const out: ParsedEntry[] = [];
      const lines = textContent.split("\n");
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim();
        if (line === "") continue;
        let o: unknown;
        try {
          o = JSON.parse(line);
        } catch (cause) {
          throw bad(path, format, `line ${i + 1}: ${(cause as Error).message}`, cause);
        }
        out.push(fromRecord(o, `line ${i + 1}`, path, format));
      }
      return out;
    }
    case "csv": {
      let rows: string[][];
      try {
        rows = parseCsv(textContent, { relax_column_count: true, skip_empty_lines: true }) as string[][];
      } catch (cause) {
        throw bad(path, format, (cause as Error).message, cause);
      }
      const first = rows[0];
      let keyCol = 0;
      let valueCol = 1;
      if (first !== undefined && first.includes("key") && first.includes("value")) {
        keyCol = first.indexOf("key");
        valueCol = first.indexOf("value");
        rows = rows.slice(1);
      }
      return rows.map((row, i) => {
        const k = row[keyCol];
        const v = row[valueCol];
        if (k === undefined || v === undefined) throw bad(path, format, `row ${i + 1}: expected a key and a value`);
        return [k, v] as const;
      });
    }
    case "env":
      return Object.entries(parseEnv(textContent));
  }
}
