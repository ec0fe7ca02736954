import { Args, Flags } from "@oclif/core";
import { DevCommand } from "../../dev/dev-command.js";
import { initProject, type InitResult } from "../../dev/init-project.js";

/** `git-prolly dev init <package_name> --database <db_name>`. */
export default class DevInit extends DevCommand {
  static override summary =
    "Create a project: TypeScript package, Git repository on ho-prod, database at release 0.0.0";
  static override description =
    "Creates <package_name>/ with package.json (test script), tsconfig.json, src/, tests/, Patches/, releases/, model/ and a git-ignored backups/, " +
    "a Git repository on ho-prod with the first commit, git-prolly's metadata in the database and release 0.0.0 recorded. " +
    "With --git-origin the repository is pushed there. Without DATABASE_URL, --database-url or PG* variables the database is embedded PGlite in .pglite/.";
  static override examples = [
    "<%= config.bin %> dev init myproject --database mydb",
    "<%= config.bin %> dev init myproject --database mydb --git-origin git@github.com:me/myproject.git",
    "DATABASE_URL=postgres://me@localhost/postgres <%= config.bin %> dev init myproject --database mydb --test-command 'npm run test:db'",
  ];
  static override args = {
    package_name: Args.string({ required: true, description: "npm package name (also the directory)" }),
  };
  static override flags = {
    database: Flags.string({ required: true, description: "Database name (created if missing)" }),
    "git-origin": Flags.string({ description: "URL of the (empty) origin repository to push to" }),
    "test-command": Flags.string({ description: "Command that runs the project's tests", default: "vitest run" }),
  };

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(DevInit);
    const r = await initProject({
      cwd: this.cwd(),
      packageName: args.package_name,
      database: flags.database,
      gitOrigin: flags["git-origin"],
      testCommand: flags["test-command"],
      databaseUrl: flags["database-url"],
      report: (l) => this.log(`  ${l}`),
    });
    this.log(`Created ${r.project} in ${r.root} (${r.backend}, release ${r.release}, branch ho-prod)`);
    const dir = args.package_name.replace(/^@[^/]+\//, "");
    this.log(`Next: cd ${dir} && npm install && git-prolly dev patch new 1-first-change`);
    return r;
  }
}
