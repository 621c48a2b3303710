// Deterministic orders for what export and review list: no locale, the same bytes on every machine.

/** Code-unit order: the same on every machine and Node version (no locale, no ICU). */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Numeric-aware order for extensions: "99" < "201" < "1001"; digits and other runs compared piecewise. */
export function byExtension(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [], pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i], y = pb[i];
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const nx = x.replace(/^0+(?=\d)/, ""), ny = y.replace(/^0+(?=\d)/, "");
      if (nx.length !== ny.length) return nx.length - ny.length;
      const c = byText(nx, ny);
      if (c) return c;
    } else {
      const c = byText(x, y);
      if (c) return c;
    }
  }
  return pa.length - pb.length || byText(a, b);
}

type UserRef = { extension?: string | null; email?: string | null };

/** PBX users by extension, then manual users by email (case-insensitive, case as tie-break). */
export function byUser(a: UserRef, b: UserRef): number {
  const pa = a.extension != null, pb = b.extension != null;
  if (pa !== pb) return pa ? -1 : 1;
  if (pa && pb) return byExtension(a.extension!, b.extension!);
  return byText((a.email ?? "").toLowerCase(), (b.email ?? "").toLowerCase()) || byText(a.email ?? "", b.email ?? "");
}
