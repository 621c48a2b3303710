import { hasPermission } from "../normalize";
import { place, type RuleContext, type Violation, finding } from "./context";
import type { Declared } from "./declared";

/**
 * MAIL-1: an email shared by two users (case-insensitively, declared or live) blocks portal access
 * for both (seed 004), so it is a violation as soon as either of them has portal access.
 */
export function emailRules(declared: Declared, ctx: RuleContext): Violation[] {
  type Holder = { key: string; name: string; portal: boolean; at?: (typeof declared.users)[number] };
  const byEmail = new Map<string, Holder[]>();
  const add = (email: string, h: Holder) => {
    const k = email.toLowerCase();
    const list = byEmail.get(k);
    if (list) list.push(h);
    else byEmail.set(k, [h]);
  };
  const declaredKeys = new Set(declared.users.map((d) => d.eff.key));
  for (const d of declared.users)
    if (d.eff.email) add(d.eff.email, { key: d.eff.key, name: d.resource, portal: hasPermission(d.eff, "websiteAccess"), at: d });
  for (const [key, live] of ctx.liveUsers ?? [])
    if (!declaredKeys.has(key) && live.email)
      add(live.email, { key, portal: hasPermission(live, "websiteAccess"), name: `live ${live.extension ? `user ext ${live.extension}` : "user"} ${live.email} (not in the manifest)` });
  const out: Violation[] = [];
  for (const [email, holders] of byEmail) {
    if (new Set(holders.map((h) => h.key)).size < 2 || !holders.some((h) => h.portal)) continue;
    for (const h of holders) {
      if (!h.at) continue;
      const others = holders.filter((o) => o !== h).map((o) => o.name);
      out.push(place(finding("MAIL-1", ["email"], `email ${email} is also used by ${others.join(", ")}; users who share an email cannot be given portal access (emails compare case-insensitively)`,
        "give each user their own email (users who share one must all stay without portal access)"), h.at.resource, h.at.path));
    }
  }
  return out;
}
