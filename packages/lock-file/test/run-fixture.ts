import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A fixture process: `test/fixtures/<name>.ts` run from source through tsx. */
export interface Fixture {
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  /** Resolves when it printed `text`. */
  printed: (text: string) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
}

const packageDir = fileURLToPath(new URL("..", import.meta.url));

export function runFixture(name: string, args: string[]): Fixture {
  const script = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: packageDir });
  let out = "";
  let err = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) if (out.includes(w.text)) w.resolve();
  });
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, out: out + err })),
  );
  return {
    child,
    output: () => out,
    printed: (text) =>
      new Promise((resolve, reject) => {
        if (out.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void exited.then((r) => reject(new Error(`fixture ${name} exited before printing ${text}: ${r.out}`)));
      }),
    exited,
  };
}
