import { describe, expect, it } from "vitest";
import { parseFastArgv } from "../src/fast/parse-fast-argv.js";
import { EXIT, EXIT_CODES, exitCodeFor } from "../src/lib/exit-codes.js";
import { applyGlobalOptions } from "../src/lib/global-options.js";
import { toJson } from "../src/lib/json-output.js";
import { describeError } from "../src/lib/report-error.js";
import { colorEnabled } from "../src/lib/terminal.js";
import { ProgressReporter } from "../src/lib/progress-reporter.js";
import { dataFormatOf } from "../src/lib/data-format.js";
import { KV_ERROR_CODES } from "@git-prolly/kv-store";
import { RELEASE_ERROR_CODES } from "@git-prolly/release-engine";
import { DEV_ERROR_CODES } from "../src/dev/dev-error.js";

describe("exit-code table", () => {
  it("maps every kv-store code to a documented class", () => {
    for (const code of Object.values(KV_ERROR_CODES)) expect(EXIT_CODES[code], code).toBeDefined();
    expect(exitCodeFor("KV_KEY_NOT_FOUND")).toBe(EXIT.NOT_FOUND);
    expect(exitCodeFor("KV_NOT_A_DATASET")).toBe(EXIT.NOT_A_DATASET);
    expect(exitCodeFor("KV_UNCOMMITTED_CHANGES")).toBe(EXIT.UNCOMMITTED);
    expect(exitCodeFor("SOMETHING_NEW")).toBe(EXIT.FAILURE);
    expect(exitCodeFor(undefined)).toBe(EXIT.FAILURE);
  });

  it("maps every release-engine and dev code, and no code that nothing throws", () => {
    const thrown = [...Object.values(RELEASE_ERROR_CODES), ...Object.values(DEV_ERROR_CODES)];
    for (const code of thrown) expect(EXIT_CODES[code], code).toBeDefined();
    const mapped = Object.keys(EXIT_CODES).filter((c) => c.startsWith("RELEASE_") || c.startsWith("DEV_"));
    expect(mapped.filter((c) => !(thrown as string[]).includes(c))).toEqual([]);
    expect(exitCodeFor("RELEASE_LOCKED")).toBe(EXIT.LOCKED);
  });

  it("describes any error with code and hint, whatever package threw it", () => {
    const e = Object.assign(new Error("boom\nsecond line"), { code: "KV_LOCKED", hint: "wait", data: { path: "x" } });
    expect(describeError(e)).toEqual({
      code: "KV_LOCKED",
      message: "boom second line",
      hint: "wait",
      data: { path: "x" },
      exit: EXIT.LOCKED,
    });
    expect(describeError(new Error("plain")).exit).toBe(EXIT.FAILURE);
    expect(describeError(Object.assign(new Error("x"), { code: "ENOENT", path: "/f" }))).toMatchObject({
      code: "CLI_FILE_NOT_FOUND",
      exit: EXIT.USAGE,
    });
  });

  it("words oclif's flag validation errors as one plain line", () => {
    const e = Object.assign(
      new Error(
        "The following error occurred:\n  \u001b[2mMissing required flag message\u001b[22m\nSee more help with --help",
      ),
      { oclif: { exit: 2 } },
    );
    expect(describeError(e, "git-prolly", "commit")).toMatchObject({
      code: "CLI_USAGE",
      message: "missing required flag --message",
      hint: "run 'git-prolly commit --help' for usage",
    });
  });

  it("names missing arguments from oclif's structured args, however oclif wrapped its text", () => {
    // oclif wraps a long description to the terminal's width; the continuation has no name.
    const wrapped = Object.assign(
      new Error(
        "Missing 2 required args:\nname     the release or patch name that this long description\n         spills onto a second line\nversion  (patch|minor) how far\nSee more help with --help",
      ),
      {
        oclif: { exit: 2 },
        args: [
          {
            name: "name",
            description: "the release or patch name that this long description spills onto a second line",
          },
          { name: "version", description: "how far", options: ["patch", "minor"] },
        ],
      },
    );
    expect(describeError(wrapped, "git-prolly", "dev:release:new")).toEqual({
      code: "CLI_USAGE",
      message:
        "missing 2 required arguments: name (the release or patch name that this long description spills onto a second line), version (patch|minor: how far)",
      hint: "run 'git-prolly dev release new --help' for usage",
      data: undefined,
      exit: EXIT.USAGE,
    });
  });
});

describe("json serializer", () => {
  it("prints bytes as UTF-8 or {base64}, bigint as text, leaves undefined out", () => {
    expect(
      JSON.parse(toJson({ a: new TextEncoder().encode('q"\n✓'), b: Buffer.from([0xff]), c: 10n, d: undefined })),
    ).toEqual({ a: 'q"\n✓', b: { base64: "/w==" }, c: "10" });
  });
});

describe("-C", () => {
  it("composes like git -C and stops at the command", () => {
    const dirs: string[] = [];
    expect(applyGlobalOptions(["-C", "a", "-Cb", "-C", "", "get", "-C", "x"], (d) => dirs.push(d))).toEqual([
      "get",
      "-C",
      "x",
    ]);
    expect(dirs).toEqual(["a", "b"]);
    expect(() => applyGlobalOptions(["-C"], () => undefined)).toThrow(/needs a directory/);
  });
});

describe("fast argv parsing", () => {
  const spec = { ref: { value: true }, file: { char: "f", value: true }, flag: { value: false } } as const;
  it("takes the hot commands' own flags and bails out on anything else", () => {
    expect(parseFastArgv(["get", "k", "--ref", "main", "--json"], spec, { min: 1, max: 1 })).toEqual({
      command: "get",
      positionals: ["k"],
      flags: new Map<string, string | true>([
        ["ref", "main"],
        ["json", true],
      ]),
    });
    expect(parseFastArgv(["get", "--ref=main", "k"], spec, { min: 1, max: 1 })?.flags.get("ref")).toBe("main");
    expect(parseFastArgv(["set", "k", "-fpath"], spec, { min: 1, max: 2 })?.flags.get("file")).toBe("path");
    expect(parseFastArgv(["set", "k", "-"], spec, { min: 1, max: 2 })?.positionals).toEqual(["k", "-"]);
    expect(parseFastArgv(["get", "k", "--help"], spec, { min: 1, max: 1 })).toBeUndefined();
    expect(parseFastArgv(["get", "k", "--ref"], spec, { min: 1, max: 1 })).toBeUndefined();
    expect(parseFastArgv(["get"], spec, { min: 1, max: 1 })).toBeUndefined();
    expect(parseFastArgv(["get", "a", "b"], spec, { min: 1, max: 1 })).toBeUndefined();
    expect(parseFastArgv(["get", "k", "--ref", "a", "--ref", "b"], spec, { min: 1, max: 1 })).toBeUndefined();
    expect(parseFastArgv(["get", "k", "--flag=x"], spec, { min: 1, max: 1 })).toBeUndefined();
  });
});

describe("terminal and formats", () => {
  it("colours only on a terminal and never with NO_COLOR", () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ isTTY: false } as NodeJS.WriteStream, {})).toBe(false);
    expect(colorEnabled(tty, { TERM: "dumb" })).toBe(false);
  });

  it("picks the data format from --format, then the extension", () => {
    expect(dataFormatOf("a.JSON", undefined)).toBe("json");
    expect(dataFormatOf("a.jsonl", undefined)).toBe("ndjson");
    expect(dataFormatOf("dir/.env.production", undefined)).toBe("env");
    expect(dataFormatOf("a.txt", "csv")).toBe("csv");
    expect(dataFormatOf(undefined, undefined, "json")).toBe("json");
    expect(() => dataFormatOf("a.txt", undefined)).toThrow(/cannot tell the format/);
  });
});

describe("progress reporter", () => {
  const sink = (): { stream: NodeJS.WriteStream; text: () => string } => {
    let out = "";
    const stream = {
      isTTY: true,
      write: (s: string) => {
        out += s;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    return { stream, text: () => out };
  };

  it("draws a bar with a total, a phase with the time spent, and clears its line at the end", () => {
    const bar = sink();
    const p = new ProgressReporter({ label: "importing", total: 200, enabled: true, delayMs: 0, stream: bar.stream });
    p.update(100);
    expect(bar.text()).toMatch(/importing █{15}░{15} {2}50% 100\/200$/);
    p.stop();
    expect(bar.text().endsWith("\r\u001b[2K")).toBe(true);

    const merge = sink();
    const m = new ProgressReporter({ label: "merging staging", enabled: true, delayMs: 0, stream: merge.stream });
    m.phase("merging keys");
    expect(merge.text()).toMatch(/merging staging: merging keys \(\d+\.\d s\)$/);
    m.stop();
  });

  it("draws nothing when disabled (not a terminal, --json) or before its delay", () => {
    const off = sink();
    const p = new ProgressReporter({ label: "merging", enabled: false, delayMs: 0, stream: off.stream });
    p.phase("writing");
    p.update(10);
    p.stop();
    expect(off.text()).toBe("");
    const early = sink();
    const q = new ProgressReporter({ label: "exporting", enabled: true, delayMs: 60_000, stream: early.stream });
    q.phase("writing");
    q.update(5);
    q.stop();
    expect(early.text()).toBe("");
  });
});
