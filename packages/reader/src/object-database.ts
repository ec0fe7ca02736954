/**
 * A read-only Git object database: packs (through their `.idx`) first, as Git looks, then loose
 * objects, in the `objects` directory and those it borrows from (`info/alternates`, as `git clone
 * --shared` or `--reference` write); every object read by id is checked against its id.
 */
import { resolve } from "node:path";
import { fromHex } from "@git-prolly/prolly-core";
import { type GitObject, checkId, inflate, parseLoose } from "./git-object.js";
import { PackFile } from "./pack-file.js";
import { listDir as list, readFile, readText } from "./read-file.js";

/** @internal The objects of one repository (its `objects` directory). */
export class ObjectDatabase {
  #packs: PackFile[] | undefined;
  #dirs: string[] | undefined;
  constructor(readonly dir: string) {}

  /** The `objects` directory, then those it borrows from, recursively (`info/alternates`: paths relative to the directory naming them). */
  #dirList(): string[] {
    if (this.#dirs !== undefined) return this.#dirs;
    const dirs = (this.#dirs = [this.dir]);
    for (let i = 0; i < dirs.length && i < 10; i++) {
      const more = (readText(`${dirs[i]}/info/alternates`) ?? "").split("\n").filter((l) => /^[^#\s]/.test(l)).map((l) => resolve(dirs[i]!, l.trim()));
      dirs.push(...more.filter((d) => !dirs.includes(d)));
    }
    return dirs;
  }

  /** The object `id` (40 hex digits), checked against its id, or `undefined` when absent. */
  read(id: string): GitObject | undefined {
    // On a miss, list the packs again: a concurrent `git gc` may have moved loose objects into a new pack.
    return this.#find(id) ?? (this.close(), this.#find(id));
  }

  #find(id: string): GitObject | undefined {
    const bytes = fromHex(id);
    if (bytes === undefined || bytes.length !== 20) return undefined;
    for (const pack of this.#packList()) {
      const pos = pack.find(bytes);
      if (pos >= 0) return checkId(pack.read(pos, (base) => this.read(base)), id);
    }
    for (const dir of this.#dirList()) {
      const path = `${dir}/${id.slice(0, 2)}/${id.slice(2)}`;
      const raw = readFile(path);
      if (typeof raw !== "string") return checkId(parseLoose(inflate(raw, -1, path), path), id);
    }
    return undefined;
  }

  /** Ids of the objects starting with the hex `prefix` (4 to 39 digits). */
  withPrefix(prefix: string): string[] {
    const ids = new Set<string>();
    for (const pack of this.#packList()) for (const id of pack.withPrefix(prefix)) ids.add(id);
    for (const dir of this.#dirList()) for (const f of list(`${dir}/${prefix.slice(0, 2)}`)) ids.add(prefix.slice(0, 2) + f);
    return [...ids].filter((id) => id.startsWith(prefix));
  }

  #packList(): PackFile[] {
    return (this.#packs ??= this.#dirList().flatMap((dir) => list(`${dir}/pack`).flatMap((f) => {
      const idx = f.endsWith(".idx") ? readFile(`${dir}/pack/${f}`) : "ENOENT";
      return typeof idx === "string" ? [] : [new PackFile(`${dir}/pack/${f}`, idx)];
    })));
  }

  /** Closes the pack files (and reads the list of packs again when next needed). */
  close(): void {
    for (const p of this.#packs ?? []) p.close();
    this.#packs = this.#dirs = undefined;
  }
}
