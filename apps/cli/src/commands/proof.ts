import { writeFile } from "node:fs/promises";
import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { proveDatasetKey } from "../lib/dataset-proof.js";
import { shortId } from "../lib/display-bytes.js";
import { toJson } from "../lib/json-output.js";
import { openStore } from "../lib/open-store.js";
import { stdout } from "../lib/std-output.js";

/** Prints a self-contained Merkle proof of a key's value at a commit. */
export default class Proof extends BaseCommand<typeof Proof> {
  static override summary = "Print a self-contained Merkle proof of a key at a commit";
  static override description =
    "Print a self-contained Merkle proof of a key's value (or absence) at a commit (default HEAD): the commit object, the trees down to the dataset and the " +
    "node path to the leaf. `verify-proof` checks it with SHA-1 alone, without the repository";
  static override examples = [
    "<%= config.bin %> proof db:host > db-host.proof.json",
    "<%= config.bin %> proof db:host --ref production -o prod.proof.json",
    "<%= config.bin %> verify-proof prod.proof.json --commit $(git rev-parse production)",
  ];
  static override args = { key: Args.string({ description: "the key", required: true }) };
  static override flags = {
    ref: Flags.string({ description: "the commit, branch or tag to anchor the proof in", default: "HEAD" }),
    output: Flags.string({ char: "o", description: "write the proof to this file instead of stdout" }),
  };

  async run(): Promise<void> {
    const store = this.track(await openStore());
    const proof = await proveDatasetKey(store, this.args.key, this.flags.ref);
    const file = this.flags.output;
    if (file === undefined) {
      stdout.write(`${toJson(proof)}\n`);
      return;
    }
    await writeFile(file, `${toJson(proof)}\n`);
    this.output(
      { file, commit: proof.commit, key: proof.key, present: proof.present },
      () =>
        `Wrote the proof that ${JSON.stringify(this.args.key)} is ${proof.present ? "present" : "absent"} at ${shortId(proof.commit)} to ${file}`,
    );
  }
}
