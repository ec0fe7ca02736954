import type { ConnectionOptions } from "@git-prolly/db-patches";
import { databaseName, projectConnection, type ConnectionFlags } from "./connection.js";
import { GitCli } from "@git-prolly/release-engine";
import { findProject, type Project } from "./project-config.js";

/** What every workflow step works on: the project, its Git repository and its database connection. */
export interface DevContext {
  project: Project;
  /** release-engine's Git port on the project's working tree. */
  git: GitCli;
  connection: ConnectionOptions;
  /** Progress output (one line per step). */
  report: (line: string) => void;
}

/** Finds the project holding `cwd` and resolves its connection. */
export function openContext(
  cwd: string,
  flags: ConnectionFlags,
  report: (line: string) => void = () => {},
): DevContext {
  const project = findProject(cwd);
  return {
    project,
    git: new GitCli(project.root),
    connection: projectConnection(project.root, databaseName(project), flags),
    report,
  };
}
