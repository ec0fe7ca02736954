import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The seed's text (`fixtures/seed-000.md`, a verbatim copy of
 * `/work/shared/seeds/000_e748394c9ffe3b65.txt`): the tests run its bash blocks as written.
 */
export const SEED = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../fixtures/seed-000.md"), "utf8");

/** A fenced bash block of the seed and the headings above it. */
export interface SeedBlock {
  /** Headings from the outermost (`## …`) to the nearest, without the `#`s. */
  headings: string[];
  /** The block's text, as written. */
  text: string;
}

/** Every ```bash block of the seed, in order. */
export function seedBlocks(): SeedBlock[] {
  const blocks: SeedBlock[] = [];
  const headings: string[] = [];
  const lines = SEED.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = /^(#{2,6}) (.*)$/.exec(line);
    if (h) {
      const depth = h[1]!.length - 2;
      headings.length = depth;
      headings[depth] = h[2]!.trim();
      continue;
    }
    if (line.trim() === "```bash") {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i]!.trim() !== "```"; i++) body.push(lines[i]!);
      blocks.push({ headings: headings.filter((x) => x !== undefined), text: `${body.join("\n")}\n` });
    } else if (line.startsWith("```")) {
      for (i++; i < lines.length && lines[i]!.trim() !== "```"; i++);
    }
  }
  return blocks;
}

/**
 * The one bash block whose headings include every one of `path` (in order, as substrings of
 * whole headings). Throws if none or several match, so a test never runs the wrong block.
 */
export function seedBlock(...path: string[]): string {
  const found = seedBlocks().filter((b) => {
    let j = 0;
    for (const h of b.headings) if (j < path.length && h === path[j]) j++;
    return j === path.length;
  });
  if (found.length !== 1) throw new Error(`seed block ${path.join(" > ")}: ${found.length} matches`);
  return found[0]!.text;
}
