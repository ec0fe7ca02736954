/** A fixed identity and no system config, so tests do not depend on the machine. */
export const GIT_ENV: Record<string, string>;

/** A fresh temporary directory (under the OS temp dir, never inside the checkout). */
export function tempDir(label?: string): string;

/** Removes a temporary directory. */
export function removeDir(dir: string): void;

/** Runs the real git CLI (with `input` on stdin when given) and returns trimmed stdout. */
export function gitWith(cwd: string, input: string | Uint8Array | undefined, ...args: string[]): string;

/** Runs the real git CLI and returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string;

/** Writes a file, creating its directories. */
export function writeFile(path: string, content: string | Uint8Array): void;
