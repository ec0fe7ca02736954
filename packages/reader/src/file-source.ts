/**
 * Nodes from the files Git checked out under the dataset directory (R5 in DESIGN.md): `root` is
 * a leaf file, or a directory whose `.node` file is the index and whose entries are the children,
 * named by their first key. A lookup reads only the files on its path: no directory listings.
 */
import { childName } from "@git-prolly/prolly-core";
import { type ReaderError, fail } from "./errors.js";
import { type IndexNode, type NodeSource, type TreeNode, indexNode, leafNode } from "./node-tree.js";
import { readFile } from "./read-file.js";

const missing = (path: string, dataset: string): ReaderError => fail("READER_NODE_MISSING", `node file ${path} of dataset ${dataset} is missing`, { path, dataset });

/** @internal The node source of a checked-out dataset directory. */
export function fileSource(dataset: string): NodeSource {
  return {
    root(): TreeNode {
      const dir = `${dataset}/root`;
      const index = readFile(`${dir}/.node`);
      if (typeof index !== "string") return indexNode(index, dir);
      const leaf = index === "ENOTDIR" ? readFile(dir) : index;
      if (typeof leaf !== "string") return leafNode(leaf, dir);
      throw missing(leaf === "EISDIR" ? `${dir}/.node` : dir, dataset);
    },
    child(parent: TreeNode, i: number): TreeNode {
      const p = parent.node as IndexNode;
      const path = `${parent.at}/${childName(p.key(i))}`;
      const file = p.level === 1 ? path : `${path}/.node`;
      const bytes = readFile(file);
      if (typeof bytes === "string") throw missing(file, dataset);
      return p.level === 1 ? leafNode(bytes, path) : indexNode(bytes, path);
    },
  };
}
