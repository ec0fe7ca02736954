/**
 * Checks the structure of a (ustar / GNU) tar archive without extracting it: every header's
 * checksum, sizes within the archive, and the presence of required entries. Returns a problem
 * description, or undefined when the archive is sound. Pure.
 */
export function checkTar(bytes: Uint8Array, required: readonly string[]): string | undefined {
  const names = new Set<string>();
  let offset = 0;
  let longName: string | undefined;
  const decoder = new TextDecoder();
  while (offset + 512 <= bytes.length) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const stored = parseOctal(header.subarray(148, 156));
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (stored !== sum) return `corrupt tar header at byte ${offset}`;
    const size = parseOctal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156]!);
    const field = (a: number, b: number) => decoder.decode(header.subarray(a, b)).replace(/\0.*$/s, "");
    const prefix = field(345, 500);
    let name = longName ?? (prefix === "" ? field(0, 100) : `${prefix}/${field(0, 100)}`);
    longName = undefined;
    const dataEnd = offset + 512 + size;
    if (dataEnd > bytes.length) return `truncated tar entry ${name}`;
    if (type === "L") {
      longName = decoder.decode(bytes.subarray(offset + 512, dataEnd)).replace(/\0.*$/s, "");
    } else {
      name = name.replace(/^\.?\//, "");
      names.add(name);
    }
    offset = offset + 512 + Math.ceil(size / 512) * 512;
  }
  for (const r of required) {
    if (![...names].some((n) => n === r || n.endsWith(`/${r}`))) return `the archive has no ${r}`;
  }
  return names.size === 0 ? "the archive is empty" : undefined;
}

function parseOctal(field: Uint8Array): number {
  let s = "";
  for (const b of field) {
    if (b === 0 || b === 32) {
      if (s !== "") break;
      continue;
    }
    s += String.fromCharCode(b);
  }
  return s === "" ? 0 : parseInt(s, 8);
}
