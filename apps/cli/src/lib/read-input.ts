import { promises as fs } from "node:fs";
import { CliError } from "./cli-error.js";

/** Reads all of stdin. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Reads a file, or stdin for `-`.
 * @throws {CliError} CLI_FILE_NOT_FOUND, CLI_FILE_UNREADABLE (exit 2)
 */
export async function readInputFile(path: string): Promise<Buffer> {
  if (path === "-") return readStdin();
  try {
    return await fs.readFile(path); // fs.promises loads on first use: `set k v` never does
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === "ENOENT") {
      throw new CliError("CLI_FILE_NOT_FOUND", `cannot read '${path}': no such file`, {
        hint: "check the path (relative to the current directory, after -C)",
        data: { path },
        cause,
      });
    }
    const why =
      code === "EISDIR"
        ? "is a directory"
        : code === "EACCES"
          ? "permission denied"
          : ((cause as Error).message ?? "unreadable");
    throw new CliError("CLI_FILE_UNREADABLE", `cannot read '${path}': ${why}`, {
      hint: "give a readable file, or - for stdin",
      data: { path },
      cause,
    });
  }
}
