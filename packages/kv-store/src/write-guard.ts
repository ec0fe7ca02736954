/**
 * A staging area whose writing methods wait for a check first: the read-only rule of a dataset
 * that follows a tag or a commit, and the dropping of a follow record Git made stale before
 * anything is staged on top of it. It wraps whatever {@link Staging} implementation the dataset
 * uses and intercepts by name (`put`, `mutate`, `flush`), passing every other member through, so
 * it needs no change when the staging area grows methods.
 */
import type { Staging } from "./staging.js";

/** The intercepted methods. */
export type GuardedWrite = "put" | "mutate" | "flush";

const GUARDED: ReadonlySet<string> = new Set<GuardedWrite>(["put", "mutate", "flush"]);

/**
 * `staging` with `before(method, args)` run ahead of each guarded call. `before` returns
 * `undefined` when there is nothing to wait for (the call then runs synchronously, as unwrapped).
 */
export function guardWrites(
  staging: Staging,
  before: (method: GuardedWrite, args: readonly unknown[]) => Promise<void> | undefined,
): Staging {
  return new Proxy(staging, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof prop !== "string" || !GUARDED.has(prop)) return fn.bind(target);
      return (...args: unknown[]): unknown => {
        const wait = before(prop as GuardedWrite, args);
        return wait === undefined ? fn.apply(target, args) : wait.then(() => fn.apply(target, args));
      };
    },
  });
}
