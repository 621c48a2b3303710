// Orders for what a review lists (see ../order.ts); manifest paths in document order.
import { byText } from "../order";
import type { PathSegment } from "../rules/context";

export { byExtension, byText, byUser } from "../order";

/** Manifest paths in document order: users[2] before users[10], a parent before its children. */
export function byPath(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return byText(String(x), String(y));
  }
  return a.length - b.length;
}
