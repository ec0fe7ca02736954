/** The `packed-refs` file: `<id> <name>` lines, optional `^<peeled id>` lines after tags. */
import { type ObjectId, isObjectId } from "../objects/object-id.js";

/** One packed ref with its peeled target when Git recorded one. */
export interface PackedRef {
  readonly name: string;
  readonly id: ObjectId;
  readonly peeled?: ObjectId;
}

/** Parsed packed-refs: the header line (kept when rewriting) and refs by name. */
export interface PackedRefs {
  readonly header: string | undefined;
  readonly refs: Map<string, PackedRef>;
}

/** Parses the content of a packed-refs file. */
export function parsePackedRefs(text: string): PackedRefs {
  const refs = new Map<string, PackedRef>();
  let header: string | undefined;
  let last: PackedRef | undefined;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("#")) {
      header ??= line;
      continue;
    }
    if (line.startsWith("^")) {
      const peeled = line.slice(1, 41);
      if (last !== undefined && isObjectId(peeled)) {
        last = { ...last, peeled };
        refs.set(last.name, last);
      }
      continue;
    }
    const sp = line.indexOf(" ");
    const id = line.slice(0, 40);
    if (sp !== 40 || !isObjectId(id)) continue;
    const ref: PackedRef = { name: line.slice(41), id };
    refs.set(ref.name, ref);
    last = ref;
  }
  return { header, refs };
}

/** Formats packed-refs, sorted by name as Git expects. */
export function formatPackedRefs(packed: PackedRefs): string {
  let out = packed.header === undefined ? "# pack-refs with: peeled fully-peeled sorted \n" : `${packed.header}\n`;
  const names = [...packed.refs.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) {
    const r = packed.refs.get(name)!;
    out += `${r.id} ${r.name}\n`;
    if (r.peeled !== undefined) out += `^${r.peeled}\n`;
  }
  return out;
}
