import { BaseCommand } from "../lib/base-command.js";

/** Prints the git-prolly version. */
export default class Version extends BaseCommand<typeof Version> {
  static override summary = "Print the git-prolly version";
  static override description = "Print the git-prolly version";
  static override examples = ["<%= config.bin %> version", "<%= config.bin %> version --json"];

  async run(): Promise<void> {
    const version = this.config.version;
    this.output({ version }, () => `git-prolly ${version}`);
  }
}
