/**
 * The git-prolly command-line application (oclif). Commands live in `src/commands/`.
 * @packageDocumentation
 */
export { run } from "@oclif/core";
