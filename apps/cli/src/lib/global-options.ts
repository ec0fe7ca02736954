import { CliError } from "./cli-error.js";

/**
 * Applies Git-style global options that come before the command and returns the rest of argv.
 * `-C <dir>` (or `-C<dir>`) changes directory before anything else runs; several compose, each
 * relative to the one before, as in Git; `-C ""` leaves the directory as it is.
 *
 * @example
 * ```ts
 * const argv = applyGlobalOptions(["-C", "repo", "-C", "config", "get", "k"]); // cwd repo/config, ["get", "k"]
 * ```
 */
export function applyGlobalOptions(
  argv: readonly string[],
  chdir: (dir: string) => void = (dir) => process.chdir(dir),
): string[] {
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    let dir: string | undefined;
    if (arg === "-C") {
      dir = argv[i + 1];
      if (dir === undefined) {
        throw new CliError("CLI_USAGE", "option -C needs a directory", {
          hint: "write -C <dir> before the command, as with git -C",
        });
      }
      i += 2;
    } else if (arg.startsWith("-C") && arg.length > 2) {
      dir = arg.slice(2);
      i += 1;
    } else {
      break;
    }
    if (dir === "") continue;
    try {
      chdir(dir);
    } catch (cause) {
      const reason = (cause as { code?: string }).code === "ENOTDIR" ? "not a directory" : "no such directory";
      throw new CliError("CLI_BAD_DIRECTORY", `cannot change to '${dir}': ${reason}`, {
        hint: "check the -C path (relative paths compose, as with git -C)",
        data: { directory: dir },
        cause,
      });
    }
  }
  return argv.slice(i);
}
