import { isPatchId } from "./patch-id.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";

/** The directory of release files, relative to the project root. */
export const RELEASES_DIR = "releases";

/** What a release file is: a mutable stage, an immutable RC, or an immutable production release. */
export type ReleaseKind = "stage" | "rc" | "prod";

/** The parts of a release file name. */
export interface ReleaseFileName {
  /** `X.Y.Z`. */
  version: string;
  kind: ReleaseKind;
  /** The N of `-rcN`; undefined for stage and prod. */
  rc?: number;
}

/** One release file: its name's parts and the patch ids it lists, in order. */
export interface ReleaseFile extends ReleaseFileName {
  /** File name inside `releases/`, e.g. `1.3.5-rc2.txt`. */
  name: string;
  patches: readonly string[];
}

const NAME = /^((?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*))(?:-(stage|rc([1-9]\d*)))?\.txt$/;

/** Parses `X.Y.Z-stage.txt`, `X.Y.Z-rcN.txt` or `X.Y.Z.txt`; undefined for any other name (README.md…). */
export function parseReleaseFileName(name: string): ReleaseFileName | undefined {
  const m = NAME.exec(name);
  if (m === null) return undefined;
  const version = m[1]!;
  if (m[2] === undefined) return { version, kind: "prod" };
  if (m[2] === "stage") return { version, kind: "stage" };
  return { version, kind: "rc", rc: Number(m[3]) };
}

/** The file name of a release: `1.3.5-stage.txt`, `1.3.5-rc2.txt`, `1.3.5.txt`. */
export function releaseFileName(f: ReleaseFileName): string {
  if (f.kind === "prod") return `${f.version}.txt`;
  if (f.kind === "stage") return `${f.version}-stage.txt`;
  return `${f.version}-rc${f.rc ?? 1}.txt`;
}

/** The path of a release file relative to the project root (`releases/<name>`, `/` separators). */
export function releaseFilePath(f: ReleaseFileName): string {
  return `${RELEASES_DIR}/${releaseFileName(f)}`;
}

/**
 * Parses the body of a release file: one patch id per line; blank lines and `#` comments are
 * ignored. A malformed line or a duplicate id is `RELEASE_INVALID_RELEASE_FILE` naming the line.
 */
export function parsePatchList(text: string, fileName = "release file"): string[] {
  const ids: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*$/, "").trim();
    if (line === "") continue;
    if (!isPatchId(line) || ids.includes(line)) {
      throw new ReleaseError(
        RELEASE_ERROR_CODES.INVALID_RELEASE_FILE,
        `${fileName} line ${i + 1}: ${ids.includes(line) ? "duplicate patch id" : "not a patch id"} ${JSON.stringify(line)}`,
        {
          hint: `Each line of ${fileName} holds one patch id (e.g. 123-add-users); fix the file on ho-prod`,
          data: { file: fileName, line: i + 1, text: line },
        },
      );
    }
    ids.push(line);
  }
  return ids;
}

/** The body of a release file: one id per line, each line ending with `\n`; empty for no ids. */
export function serializePatchList(ids: readonly string[]): string {
  return ids.map((id) => `${id}\n`).join("");
}
