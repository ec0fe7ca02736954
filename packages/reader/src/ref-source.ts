/**
 * Nodes of a committed version, read from the repository's object database without a checkout:
 * the ref's commit, its tree down to the dataset directory, then `prolly.json` and `root`.
 */
import { childName } from "@git-prolly/prolly-core";
import { fail } from "./errors.js";
import { findRepository } from "./git-dir.js";
import { headerFields, treeEntry } from "./git-object.js";
import { checkManifest } from "./manifest.js";
import { type IndexNode, type NodeSource, type TreeNode, indexNode, leafNode } from "./node-tree.js";
import { ObjectDatabase } from "./object-database.js";
import { RefResolver } from "./resolve-ref.js";

/** @internal Opens the dataset at `datasetDir` as of `ref`: its node source and the commit read. */
export function refSource(datasetDir: string, ref: string): { source: NodeSource; commit: string; close: () => void } {
  const repo = findRepository(datasetDir);
  const db = new ObjectDatabase(`${repo.commonDir}/objects`);
  const commit = new RefResolver(repo, db).resolve(ref);
  const dataset = repo.prefix.join("/") || ".";
  /** The entry `name` of tree `id`, when `id` is a tree that has one. */
  const entry = (id: string | undefined, name: string): { mode: string; id: string } | undefined => {
    const tree = id === undefined ? undefined : db.read(id);
    return tree?.type === "tree" ? treeEntry(tree.content, name) : undefined;
  };
  const load = (id: string): TreeNode => {
    const obj = db.read(id);
    if (obj === undefined) throw fail("READER_NODE_MISSING", `node ${id} of ${dataset} is missing from the repository`, { id, path: dataset, ref, commit });
    if (obj.type === "blob") return leafNode(obj.content, id);
    const index = obj.type === "tree" ? treeEntry(obj.content, ".node") : undefined;
    const blob = index?.mode === "100644" ? db.read(index.id) : undefined;
    if (blob?.type !== "blob") throw fail("READER_NODE_CORRUPT", `object ${id} is not a node`, { id });
    return indexNode(blob.content, id, obj.content);
  };
  /** Child `i` of an internal node: the tree entry named by its first key, a blob at level 1, else a tree. */
  const child = (parent: TreeNode, i: number): TreeNode => {
    const p = parent.node as IndexNode;
    const e = treeEntry(parent.tree!, childName(p.key(i)));
    if (e?.mode !== (p.level === 1 ? "100644" : "40000")) throw fail("READER_NODE_CORRUPT", `node ${parent.at} lacks child ${childName(p.key(i))}`, { id: parent.at });
    return load(e.id);
  };
  let dir = headerFields(db.read(commit)!.content, "tree")[0];
  for (const part of repo.prefix) {
    const e = entry(dir, part);
    dir = e?.mode === "40000" ? e.id : undefined;
  }
  const manifest = entry(dir, "prolly.json");
  const root = entry(dir, "root");
  const bytes = manifest === undefined ? undefined : db.read(manifest.id);
  if (bytes?.type !== "blob" || root === undefined) {
    throw fail("READER_NOT_A_DATASET", `${dataset} is not a dataset at ${JSON.stringify(ref)} (${commit.slice(0, 12)}): no prolly.json and root`, { path: dataset, ref, commit });
  }
  checkManifest(bytes.content, `${dataset}/prolly.json at ${ref}`);
  return { commit, close: () => db.close(), source: { root: () => load(root.id), child } };
}
