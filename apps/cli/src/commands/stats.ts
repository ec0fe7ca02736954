import { Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { rootAtCommit, stagedRoot } from "../lib/dataset-root.js";
import { openStore } from "../lib/open-store.js";
import { treeShape } from "../lib/tree-shape.js";

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Shape and size of the dataset's tree. */
export default class Stats extends BaseCommand<typeof Stats> {
  static override summary = "Show keys, depth, nodes, bytes and chunk sizes";
  static override description =
    "Show the dataset's shape: keys, depth, nodes, bytes and the distribution of chunk (leaf) sizes (the staged state, or at --ref; walks every node)";
  static override examples = ["<%= config.bin %> stats", "<%= config.bin %> stats --ref production --json"];
  static override flags = {
    ref: Flags.string({ description: "measure this branch, tag or commit instead of the staged state" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const ref = this.flags.ref;
    const root = ref === undefined ? await stagedRoot(store) : (await rootAtCommit(store, ref)).root;
    const shape = await treeShape(store.repository, root);
    const manifest = await store.manifest();
    this.output(
      {
        dataset: store.dataset === "" ? "." : store.dataset,
        ref: ref ?? null,
        root: root.id,
        ...shape,
        chunking: manifest.chunking,
      },
      (s) => {
        const widest = Math.max(...shape.chunks.histogram.map((h) => h.count), 1);
        return [
          `${s.bold("keys")}      ${shape.keys.toLocaleString("en-US")}`,
          `${s.bold("depth")}     ${shape.depth}`,
          `${s.bold("nodes")}     ${shape.nodes.total.toLocaleString("en-US")} (${shape.nodes.leaves.toLocaleString("en-US")} leaves, ${shape.nodes.internal.toLocaleString("en-US")} internal)`,
          `${s.bold("bytes")}     ${size(shape.bytes.total)} (leaves ${size(shape.bytes.leaves)}, internal ${size(shape.bytes.internal)}; keys and values ${size(shape.bytes.keysAndValues)})`,
          `${s.bold("chunks")}    min ${size(shape.chunks.min)}, p10 ${size(shape.chunks.p10)}, median ${size(shape.chunks.median)}, p90 ${size(shape.chunks.p90)}, max ${size(shape.chunks.max)}, mean ${size(shape.chunks.mean)}`,
          ...shape.chunks.histogram.map(
            (h) =>
              `  ≤ ${size(h.upTo).padStart(9)}  ${"█".repeat(Math.max(1, Math.round((h.count / widest) * 40)))} ${h.count}`,
          ),
        ];
      },
    );
  }
}
