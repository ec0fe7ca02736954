import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { CliError } from "../lib/cli-error.js";
import { checkDatasetProof, parseProofDocument } from "../lib/dataset-proof.js";
import { printable } from "../lib/display-bytes.js";
import { readInputFile } from "../lib/read-input.js";

/** Checks a proof from `git-prolly proof` (no repository needed). */
export default class VerifyProof extends BaseCommand<typeof VerifyProof> {
  static override summary = "Check a proof without the repository";
  static override description =
    "Check a proof from `proof` with SHA-1 alone, anywhere (no repository needed). Prints the key's proven value; exits 8 when the proof is invalid or, with --commit, anchored elsewhere";
  static override examples = [
    "<%= config.bin %> verify-proof db-host.proof.json",
    "<%= config.bin %> verify-proof prod.proof.json --commit 1716625",
    "cat db-host.proof.json | <%= config.bin %> verify-proof - --json",
  ];
  static override args = { file: Args.string({ description: "the proof file (- for stdin)", required: true }) };
  static override flags = {
    commit: Flags.string({
      char: "c",
      description: "require the proof to be anchored in this commit (id or 7+ digit prefix)",
    }),
  };

  async run(): Promise<void> {
    const doc = parseProofDocument((await readInputFile(this.args.file)).toString("utf8"), this.args.file);
    const check = checkDatasetProof(doc, this.flags.commit);
    if (!check.valid) {
      throw new CliError("CLI_PROOF_INVALID", `invalid proof: ${check.reason}`, {
        hint: "the proof was altered, truncated or made for another commit; ask for a fresh one (`git-prolly proof <key> --ref <commit>`)",
        data: { reason: check.reason },
      });
    }
    const result = {
      valid: true,
      commit: check.commit,
      dataset: check.dataset,
      key: check.key,
      present: check.present,
      ...(check.present ? { value: check.value } : {}),
    };
    this.output(
      result,
      (s) =>
        `${s.green("valid:")} ${check.present ? `${printable(check.key)} = ${printable(check.value)}` : `${printable(check.key)} is absent`} at commit ${check.commit}${check.dataset === "" ? "" : ` (dataset ${check.dataset})`}`,
    );
  }
}
