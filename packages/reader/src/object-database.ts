/**
 * A read-only Git object database: packs (through their `.idx`) first, as Git looks, then loose
 * objects; every object read by id is checked against its id.
 */
import { readdirSync } from "node:fs";
import { fromHex } from "@git-prolly/prolly-core";
import { type GitObject, checkId, inflate, parseLoose } from "./git-object.js";
import { PackFile } from "./pack-file.js";
import { readFile } from "./read-file.js";

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** @internal The objects of one repository (its `objects` directory). */
export class ObjectDatabase {
  #packs: PackFile[] | undefined;

  constructor(readonly dir: string) {}

  /** The object `id` (40 hex digits), checked against its id, or `undefined` when absent. */
  read(id: string): GitObject | undefined {
    const found = this.#find(id);
    if (found !== undefined) return found;
    // A concurrent `git gc` may have moved loose objects into a new pack since the list was read.
    this.#reload();
    return this.#find(id);
  }

  #find(id: string): GitObject | undefined {
    const bytes = fromHex(id);
    if (bytes === undefined || bytes.length !== 20) return undefined;
    for (const pack of this.#packList()) {
      const pos = pack.find(bytes);
      if (pos >= 0) return checkId(pack.read(pos, (base) => this.read(base)), id);
    }
    const path = `${this.dir}/${id.slice(0, 2)}/${id.slice(2)}`;
    const raw = readFile(path);
    return typeof raw === "string" ? undefined : checkId(parseLoose(inflate(raw, -1, path), path), id);
  }

  /** Ids of the objects starting with the hex `prefix` (4 to 39 digits). */
  withPrefix(prefix: string): string[] {
    const ids = new Set<string>();
    for (const pack of this.#packList()) for (const id of pack.withPrefix(prefix)) ids.add(id);
    for (const f of list(`${this.dir}/${prefix.slice(0, 2)}`)) ids.add(prefix.slice(0, 2) + f);
    return [...ids].filter((id) => id.startsWith(prefix));
  }

  #packList(): PackFile[] {
    return (this.#packs ??= list(`${this.dir}/pack`).flatMap((f) => {
      const idx = f.endsWith(".idx") ? readFile(`${this.dir}/pack/${f}`) : "ENOENT";
      return typeof idx === "string" ? [] : [new PackFile(`${this.dir}/pack/${f}`, idx)];
    }));
  }

  #reload(): void {
    for (const p of this.#packs ?? []) p.close();
    this.#packs = undefined;
  }

  /** Closes the pack files. */
  close(): void {
    this.#reload();
  }
}
