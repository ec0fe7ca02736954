import { DEV_ERROR_CODES, DevError } from "./dev-error.js";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** A window in which Ctrl-C (SIGINT, SIGTERM, SIGHUP) is turned into an orderly stop. */
export interface Interruption {
  /** The signal received, if any. */
  readonly signal: NodeJS.Signals | undefined;
  /** Throws `DEV_INTERRUPTED` once a signal came: call it between steps, inside the code that undoes. */
  check(): void;
  /** Removes the handlers (a later signal acts as usual again). */
  dispose(): void;
}

/**
 * Catches the first Ctrl-C while a command's steps can still be undone: the step under way ends
 * (the test runner, which gets the same Ctrl-C from the terminal, stops by itself), the next
 * {@link Interruption.check} throws, and the command's own error path undoes what it did (the
 * validation branch deleted, ho-prod checked out clean) before the process exits with 130. A
 * second Ctrl-C stops at once, as users expect.
 * @param what what is being undone, for the message (e.g. `patch add 12-users`)
 */
export function catchInterruption(what: string, report: (line: string) => void): Interruption {
  let signal: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals): void => {
    if (signal !== undefined) process.exit(130);
    signal = s;
    report(`${s}: stopping ${what} after the current step and undoing it (again to stop at once)`);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    get signal() {
      return signal;
    },
    check() {
      if (signal === undefined) return;
      throw new DevError(DEV_ERROR_CODES.INTERRUPTED, `Interrupted (${signal}): ${what} was undone`, {
        hint: "Nothing was committed or pushed; run the command again when ready",
        data: { signal },
      });
    },
    dispose() {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
