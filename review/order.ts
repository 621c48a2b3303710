// Orders for what a review lists (see ../schema/order.ts); manifest paths in document order.
import type { PathSegment } from "../schema";
import { byText } from "../schema/order";

export { byExtension, byText, byUser } from "../schema/order";

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
