import { Args } from "@oclif/core";
import { BaseCommand } from "../lib/base-command.js";
import { readInputFile } from "../lib/read-input.js";
import { textconv } from "../lib/textconv.js";
import { stdout } from "../lib/std-output.js";

/** Git's textconv for dataset node files (hidden: Git calls it). */
export default class Textconv extends BaseCommand<typeof Textconv> {
  static override hidden = true;
  static override summary = "Print a node file as key = value lines (for Git)";
  static override description =
    "Print a dataset node file as `key = value` lines (Git's textconv for the git-prolly diff driver)";
  static override examples = ["<%= config.bin %> textconv config/root/6170703a"];
  static override args = { file: Args.string({ description: "the node file (- for stdin)", required: true }) };

  async run(): Promise<void> {
    stdout.write(textconv(await readInputFile(this.args.file)));
  }
}
