import { DevCommand } from "../../dev/dev-command.js";
import { planProduction, type ProductionPlan } from "../../dev/production-releases.js";

/** `git-prolly dev update`. */
export default class DevUpdate extends DevCommand {
  static override summary = "Pull ho-prod and list the releases the database can be upgraded to";
  static override examples = ["<%= config.bin %> dev update", "<%= config.bin %> dev update --json"];

  async run(): Promise<ProductionPlan> {
    const { flags } = await this.parse(DevUpdate);
    const plan = await planProduction(this.context(flags));
    this.log(`Current release: ${plan.current}${plan.pulled ? " (pulled ho-prod from origin)" : ""}`);
    if (plan.path.length === 0) {
      this.log("Up to date: no newer production release.");
      return plan;
    }
    this.log("Available releases:");
    for (const s of plan.path)
      this.log(
        `  → ${s.version} - ${s.patches.length} patch${s.patches.length === 1 ? "" : "es"}: ${s.patches.join(", ")}`,
      );
    this.log(
      `Upgrade path: ${[plan.current, ...plan.path.map((s) => s.version)].join(" → ")}. Run git-prolly dev upgrade (--dry-run to preview).`,
    );
    return plan;
  }
}
