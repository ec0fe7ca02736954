/** A hot command's arguments, parsed without oclif. */
export interface FastArgs {
  readonly command: string;
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

/** Flags a fast command accepts: long name → short alias and whether it takes a value. */
export type FastFlagSpec = Readonly<Record<string, { readonly char?: string; readonly value: boolean }>>;

/**
 * Parses argv for a hot command (`get`, `set`, `commit`, `textconv`) when it uses only the flags in
 * `spec` and `--json`; returns `undefined` for anything else (`--help`, unknown flags, `--`,
 * a wrong number of arguments), which then goes to oclif for the full parse and its messages.
 */
export function parseFastArgv(
  argv: readonly string[],
  spec: FastFlagSpec,
  positionals: { min: number; max: number },
): FastArgs | undefined {
  const [command, ...rest] = argv;
  if (command === undefined) return undefined;
  const flags = new Map<string, string | true>();
  const args: string[] = [];
  const all: FastFlagSpec = { ...spec, json: { value: false } };
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (token === "-" || !token.startsWith("-")) {
      args.push(token);
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      name = eq === -1 ? token.slice(2) : token.slice(2, eq);
      inline = eq === -1 ? undefined : token.slice(eq + 1);
    } else {
      const char = token[1];
      name = Object.keys(all).find((n) => all[n]!.char === char);
      inline = token.length > 2 ? token.slice(2) : undefined;
    }
    const flag = name === undefined ? undefined : all[name];
    if (name === undefined || flag === undefined || flags.has(name)) return undefined;
    if (!flag.value) {
      if (inline !== undefined) return undefined;
      flags.set(name, true);
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined) return undefined;
    flags.set(name, value);
  }
  if (args.length < positionals.min || args.length > positionals.max) return undefined;
  return { command, positionals: args, flags };
}
