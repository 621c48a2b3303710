import { hasPermission } from "../normalize";
import { place, type RuleContext, type Violation, finding } from "./context";
import type { Declared } from "./declared";

/** MAIL-1: emails of users with portal access are unique, case-insensitively, declared and live. */
export function emailRules(declared: Declared, ctx: RuleContext): Violation[] {
  type Holder = { key: string; name: string; at?: (typeof declared.users)[number] };
  const byEmail = new Map<string, Holder[]>();
  const add = (email: string, h: Holder) => {
    const k = email.toLowerCase();
    byEmail.set(k, [...(byEmail.get(k) ?? []), h]);
  };
  const declaredKeys = new Set(declared.users.map((d) => d.eff.key));
  for (const d of declared.users)
    if (d.eff.email && hasPermission(d.eff, "websiteAccess")) add(d.eff.email, { key: d.eff.key, name: d.resource, at: d });
  for (const [key, live] of ctx.liveUsers ?? [])
    if (!declaredKeys.has(key) && live.email && hasPermission(live, "websiteAccess"))
      add(live.email, { key, name: `live ${live.extension ? `user ext ${live.extension}` : "user"} ${live.email} (not in the manifest)` });
  const out: Violation[] = [];
  for (const [email, holders] of byEmail) {
    if (new Set(holders.map((h) => h.key)).size < 2) continue;
    for (const h of holders) {
      if (!h.at) continue;
      const others = holders.filter((o) => o !== h).map((o) => o.name);
      out.push(place(finding("MAIL-1", ["email"], `email ${email} is also used by ${others.join(", ")}; users with portal access need unique emails (compared case-insensitively)`,
        "give each user with portal access their own email, or remove portal access from one of them"), h.at.resource, h.at.path));
    }
  }
  return out;
}
