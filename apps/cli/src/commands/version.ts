import { Command } from "@oclif/core";

/** Prints the git-prolly version. */
export default class Version extends Command {
  static override description = "Print the git-prolly version";
  static override examples = ["<%= config.bin %> version", "<%= config.bin %> version --json"];
  static override enableJsonFlag = true;

  async run(): Promise<{ version: string }> {
    const version = this.config.version;
    this.log(`git-prolly ${version}`);
    return { version };
  }
}
