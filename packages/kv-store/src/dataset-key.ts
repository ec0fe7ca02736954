/**
 * The key of a dataset's state files: `<git dir>/prolly/datasets/<key>/…` (staged state of a
 * bare repository, index cache, follow record), one directory per dataset prefix.
 */

/** The state-file key of a dataset prefix (`""` or `dir/`). */
export function datasetKey(prefix: string): string {
  if (prefix === "") return "top";
  return `by-path/${prefix
    .slice(0, -1)
    .replace(/[^A-Za-z0-9._/-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}_`)
    .replace(/(^|\/)\.+/g, (m) => m.replace(/\./g, "_2e_"))}`;
}
