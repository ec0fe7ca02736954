/**
 * Nodes of a committed version, read from the repository's object database without a checkout:
 * the ref's commit, its tree down to the dataset directory, then `prolly.json` and `root`.
 */
import { type InternalNode, childName } from "@git-prolly/prolly-core";
import { ReaderError, corrupt } from "./errors.js";
import { findRepository } from "./git-dir.js";
import { headerFields, treeEntry } from "./git-object.js";
import { checkManifest } from "./manifest.js";
import { type NodeSource, type TreeNode, indexNode, leafNode } from "./node-tree.js";
import { ObjectDatabase } from "./object-database.js";
import { RefResolver } from "./resolve-ref.js";

/** A version opened at a ref. */
export interface RefVersion {
  readonly source: NodeSource;
  /** The commit the ref resolved to. */
  readonly commit: string;
  readonly close: () => void;
}

/** @internal Opens the dataset at `datasetDir` as of `ref`. */
export function refSource(datasetDir: string, ref: string): RefVersion {
  const repo = findRepository(datasetDir);
  const db = new ObjectDatabase(`${repo.commonDir}/objects`);
  const commit = new RefResolver(repo, db).resolve(ref);
  const dataset = repo.prefix.join("/") || ".";
  const notDataset = (why: string): ReaderError =>
    new ReaderError("READER_NOT_A_DATASET", `${dataset} is not a dataset at ${JSON.stringify(ref)} (${commit.slice(0, 12)}): ${why}`, {
      hint: "`git ls-tree <ref> <dir>/` should list prolly.json and root: check the ref and the path.",
      data: { path: dataset, ref, commit },
    });
  const load = (id: string): TreeNode => {
    const obj = db.read(id);
    if (obj === undefined) {
      throw new ReaderError("READER_NODE_MISSING", `node ${id} of ${dataset} is missing from the repository`, {
        hint: "The clone is shallow or partial: `git fetch --unshallow`, or fetch the ref again.",
        data: { id, path: dataset, ref, commit },
      });
    }
    if (obj.type === "blob") return leafNode(obj.content, id);
    const indexId = obj.type === "tree" ? treeEntry(obj.content, ".node") : undefined;
    const index = indexId?.mode === "100644" ? db.read(indexId.id) : undefined;
    if (index?.type !== "blob") throw corrupt("READER_NODE_CORRUPT", `object ${id} is not a node`, { id });
    return indexNode(index.content, id, obj.content);
  };
  /** Child `i` of an internal node: the tree entry named by its first key, a blob at level 1, else a tree. */
  const child = (parent: TreeNode, i: number): TreeNode => {
    const p = parent.node as InternalNode;
    const e = treeEntry(parent.tree!, childName(p.key(i)));
    if (e?.mode !== (p.level === 1 ? "100644" : "40000")) throw corrupt("READER_NODE_CORRUPT", `node ${parent.at} lacks child ${childName(p.key(i))}`, { id: parent.at });
    return load(e.id);
  };
  let tree = headerFields(db.read(commit)!.content, "tree")[0];
  for (const part of repo.prefix) {
    const content = tree === undefined ? undefined : db.read(tree)?.content;
    const e = content === undefined ? undefined : treeEntry(content, part);
    if (e?.mode !== "40000") throw notDataset(`no directory ${part}`);
    tree = e.id;
  }
  const top = tree === undefined ? undefined : db.read(tree);
  const manifest = top === undefined ? undefined : treeEntry(top.content, "prolly.json");
  const root = top === undefined ? undefined : treeEntry(top.content, "root");
  const manifestBlob = manifest === undefined ? undefined : db.read(manifest.id);
  if (manifestBlob?.type !== "blob" || root === undefined) throw notDataset("no prolly.json and root");
  checkManifest(manifestBlob.content, `${dataset}/prolly.json at ${ref}`);
  return {
    commit,
    close: () => db.close(),
    source: { root: () => load(root.id), child },
  };
}
