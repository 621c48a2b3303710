// Deterministic orders for everything a review lists (no locale: the same bytes on every machine).
import type { PathSegment } from "../rules/context";

/** Plain code-unit comparison. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Extensions: numeric ones by value (201 before 1001), then the rest as strings. */
export function byExtension(a: string, b: string): number {
  const na = /^\d+$/.test(a), nb = /^\d+$/.test(b);
  if (na && nb) return a.length - b.length || byString(a, b);
  if (na !== nb) return na ? -1 : 1;
  return byString(a, b);
}

/** PBX users by extension, then manual users by lower-case email. */
export function byUser(a: { extension: string | null; email: string | null }, b: { extension: string | null; email: string | null }): number {
  if (a.extension !== null && b.extension !== null) return byExtension(a.extension, b.extension);
  if (a.extension !== null) return -1;
  if (b.extension !== null) return 1;
  return byString((a.email ?? "").toLowerCase(), (b.email ?? "").toLowerCase());
}

/** Manifest paths in document order: users[2] before users[10], a parent before its children. */
export function byPath(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return byString(String(x), String(y));
  }
  return a.length - b.length;
}
