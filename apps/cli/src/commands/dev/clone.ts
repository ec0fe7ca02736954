import { Args, Flags } from "@oclif/core";
import { cloneProject, type CloneResult } from "../../dev/clone-project.js";
import { DevCommand } from "../../dev/dev-command.js";

/** `git-prolly dev clone <url> [--production]`. */
export default class DevClone extends DevCommand {
  static override summary = "Clone a project, check out ho-prod and set its database up";
  static override description =
    "A development clone resets its database to the production model. A production clone never resets a database: " +
    "an existing one is kept as it is, an empty one gets git-prolly's metadata at release 0.0.0, ready for `dev upgrade`.";
  static override examples = [
    "<%= config.bin %> dev clone https://github.com/user/project.git",
    "DATABASE_URL=postgres://app@db/postgres <%= config.bin %> dev clone git@github.com:user/project.git --production --database shop",
  ];
  static override args = {
    url: Args.string({ required: true, description: "Git URL of the project" }),
    directory: Args.string({ description: "Destination directory (default: the repository name)" }),
  };
  static override flags = {
    production: Flags.boolean({ description: "A production clone: upgrade its database, never reset it" }),
    database: Flags.string({ description: "Database name for this clone (default: the project's)" }),
  };

  async run(): Promise<CloneResult> {
    const { args, flags } = await this.parse(DevClone);
    const r = await cloneProject({
      cwd: this.cwd(),
      url: args.url,
      destination: args.directory,
      production: flags.production,
      database: flags.database,
      databaseUrl: flags["database-url"],
      report: (l) => this.log(`  ${l}`),
    });
    this.log(
      `Cloned into ${r.root} (${r.production ? "production" : "development"}, database ${r.database} at ${r.release})`,
    );
    return r;
  }
}
