/** @internal True when a file-system error says the path (or a parent directory) does not exist. */
export function isMissing(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
