import { DevCommand } from "../../dev/dev-command.js";
import { projectStatus, type ProjectStatus } from "../../dev/project-status.js";

/** `git-prolly dev status`. */
export default class DevStatus extends DevCommand {
  static override summary = "Where you are: branch, production and pending releases, patch branches, locks";
  static override examples = ["<%= config.bin %> dev status", "<%= config.bin %> dev status --json"];

  async run(): Promise<ProjectStatus> {
    const { flags } = await this.parse(DevStatus);
    const s = await projectStatus(this.context(flags));
    this.log(`Project ${s.project} (${s.production ? "production clone" : "development"}, ${s.backend})`);
    this.log(`Branch: ${s.branch ?? "detached HEAD"}${s.clean ? "" : " (uncommitted changes)"}`);
    if (s.behindHoProd) this.log("  ho-prod has moved: run git merge ho-prod");
    this.log(`Production release: ${s.productionVersion}`);
    if (s.database !== null && "error" in s.database) this.log(`Database: cannot be read (${s.database.error})`);
    else if (s.database !== null)
      this.log(
        s.database.upgrades.length === 0
          ? `Database: at ${s.database.release}, up to date`
          : `Database: at ${s.database.release}; to upgrade: ${s.database.upgrades.join(", ")} (git-prolly dev upgrade)`,
      );
    if (s.activeRc !== null)
      this.log(`Active RC: ${s.activeRc.release} (${s.activeRc.patches.join(", ") || "no patches"})`);
    for (const st of s.stages) this.log(`Stage ${st.version}: ${st.patches.join(", ") || "no patches yet"}`);
    if (s.stages.length === 0 && s.activeRc === null)
      this.log("No pending release (git-prolly dev release new patch|minor|major)");
    this.log(`Patch branches: ${s.patchBranches.join(", ") || "none"}`);
    for (const l of s.locks) this.log(`Lock on ${l.branch}: held by ${l.owner} (${l.command}) since ${l.acquiredAt}`);
    if (s.locks.length === 0) this.log("Locks: none held");
    return s;
  }
}
