import { stringify as stringifyCsv } from "csv-stringify/sync";
import { CliError } from "./cli-error.js";
import type { DataFormat } from "./data-format.js";
import { bytesToJson } from "./json-output.js";

/** A value quoted so that dotenv reads it back unchanged (the quote it does not contain). */
function envQuote(value: string, key: string): string {
  if (value.includes("\n") || value.includes("\r")) {
    if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value.replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
  } else {
    for (const q of ["'", '"', "`"]) if (!value.includes(q)) return `${q}${value}${q}`;
  }
  throw new CliError(
    "CLI_BAD_FORMAT",
    `cannot export as env: the value of ${JSON.stringify(key)} cannot be quoted for .env`,
    {
      hint: "export as json or ndjson",
      data: { format: "env", key },
    },
  );
}

/**
 * Writes entries in a data format, chunk by chunk (JSON object, NDJSON `{key, value}` lines, CSV
 * with a `key,value` header, `.env` lines). Values that are not UTF-8 become `{ "base64": … }` in
 * JSON formats, which `import` reads back as bytes.
 */
export class EntryFormatter {
  #first = true;
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(readonly format: DataFormat) {}

  /** The text before the first entry. */
  begin(): string {
    if (this.format === "json") return "{";
    if (this.format === "csv") return "key,value\n";
    return "";
  }

  /** One entry. @throws {CliError} CLI_BAD_FORMAT when the entry cannot be written in this format */
  entry(key: Uint8Array, value: Uint8Array): string {
    const k = bytesToJson(key);
    if (typeof k !== "string") throw this.#unwritable(`a key is not UTF-8 text`);
    switch (this.format) {
      case "json": {
        const sep = this.#first ? "\n" : ",\n";
        this.#first = false;
        return `${sep}  ${JSON.stringify(k)}: ${JSON.stringify(bytesToJson(value))}`;
      }
      case "ndjson":
        return `${JSON.stringify({ key: k, value: bytesToJson(value) })}\n`;
      case "csv":
        return stringifyCsv([[k, this.#text(value, k)]]);
      case "env": {
        if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k))
          throw this.#unwritable(`key ${JSON.stringify(k)} is not a valid .env name`);
        return `${k}=${envQuote(this.#text(value, k), k)}\n`;
      }
    }
  }

  /** The text after the last entry. */
  end(): string {
    if (this.format === "json") return this.#first ? "}\n" : "\n}\n";
    return "";
  }

  #text(value: Uint8Array, key: string): string {
    try {
      return this.#decoder.decode(value);
    } catch {
      throw this.#unwritable(`the value of ${JSON.stringify(key)} is not UTF-8 text`);
    }
  }

  #unwritable(why: string): CliError {
    return new CliError("CLI_BAD_FORMAT", `cannot export as ${this.format}: ${why}`, {
      hint: 'export as json or ndjson (binary values become {"base64": …}), or narrow it with --prefix',
      data: { format: this.format },
    });
  }
}
