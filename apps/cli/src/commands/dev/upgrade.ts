import { Flags } from "@oclif/core";
import { DevCommand } from "../../dev/dev-command.js";
import { upgradeProduction, type UpgradeReport } from "../../dev/upgrade-production.js";

/** `git-prolly dev upgrade [--to-release X.Y.Z] [--dry-run]`. */
export default class DevUpgrade extends DevCommand {
  static override summary = "Upgrade a production database: pull, back up, apply releases in order";
  static override description =
    "Pulls ho-prod, writes and verifies a backup in backups/, then applies every production release after the database's, " +
    "in order, recording each. If anything fails the backup is restored automatically: the database is exactly as before. " +
    "--dry-run prints the plan and the SQL and changes nothing.";
  static override examples = [
    "<%= config.bin %> dev upgrade --dry-run",
    "<%= config.bin %> dev upgrade",
    "<%= config.bin %> dev upgrade --to-release 1.4.0",
  ];
  static override flags = {
    "to-release": Flags.string({ description: "Stop at this release (X.Y.Z)" }),
    "dry-run": Flags.boolean({ description: "Print the plan and the SQL; change nothing" }),
  };

  async run(): Promise<UpgradeReport> {
    const { flags } = await this.parse(DevUpgrade);
    const r = await upgradeProduction(this.context(flags), { to: flags["to-release"], dryRun: flags["dry-run"] });
    if (r.dryRun) {
      this.log("DRY RUN - nothing changed");
      this.log(`Current version: ${r.from}`);
      this.log("Would create a backup in backups/");
      this.log("Would apply releases:");
      for (const s of r.releases)
        this.log(
          `  → ${s.version} - ${s.patches.length} patch${s.patches.length === 1 ? "" : "es"}: ${s.patches.join(", ")}`,
        );
      this.log(`Would upgrade: ${r.from} → ${r.to}`);
      this.log("");
      this.log(r.sql ?? "");
      return r;
    }
    if (r.releases.length === 0) this.log(`Up to date at ${r.from}.`);
    else this.log(`Upgraded ${r.from} → ${r.to} (${r.releases.map((s) => s.version).join(", ")}); backup ${r.backup}`);
    return r;
  }
}
