// Small comparisons the review is built from.
import type { Change, SetChange } from "./types";

/** What `after` gains over `before` and what it loses, each list in its own side's order. */
export function setChange(before: readonly string[], after: readonly string[]): SetChange {
  return { added: after.filter((x) => !before.includes(x)), removed: before.filter((x) => !after.includes(x)) };
}

export const change = <T>(before: T, after: T): Change<T> | null => (before === after ? null : { before, after });

export const isEmpty = (s: SetChange): boolean => s.added.length === 0 && s.removed.length === 0;
