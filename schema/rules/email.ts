import { type EffectiveUser, emailKey, hasPermission } from "../normalize";
import { place, type RuleContext, type Violation, finding } from "./context";
import type { Declared, DeclaredUser } from "./declared";
import type { RuleFamily } from "./family";

/**
 * MAIL-1: an email shared by two users (case-insensitively, declared or live) blocks portal access
 * for both (seed 004), so it is a violation as soon as either of them has portal access.
 */
export function emailRules(declared: Declared, ctx: RuleContext): Violation[] {
  type Holder = { key: string; portal: boolean; user: EffectiveUser; at?: DeclaredUser };
  // First holder per email, and the rest only where an email is shared (rare): no list per user.
  const first = new Map<string, Holder>();
  const shared = new Map<string, Holder[]>();
  const add = (u: EffectiveUser, at?: DeclaredUser) => {
    if (!u.email) return;
    const k = emailKey(u.email);
    const h: Holder = { key: u.key, portal: hasPermission(u, "websiteAccess"), user: u, at };
    const earlier = first.get(k);
    if (!earlier) first.set(k, h);
    else shared.set(k, [...(shared.get(k) ?? [earlier]), h]);
  };
  const declaredKeys = new Set<string>();
  for (const d of declared.users) {
    declaredKeys.add(d.eff.key);
    add(d.eff, d);
  }
  for (const [key, live] of ctx.liveUsers ?? []) if (!declaredKeys.has(key)) add(live);
  const name = (h: Holder) => h.at?.resource ?? `live ${h.user.extension ? `user ext ${h.user.extension}` : "user"} ${h.user.email} (not in the manifest)`;
  const out: Violation[] = [];
  for (const [email, holders] of shared) {
    if (new Set(holders.map((h) => h.key)).size < 2 || !holders.some((h) => h.portal)) continue;
    for (const h of holders) {
      if (!h.at) continue;
      const others = holders.filter((o) => o !== h).map(name);
      out.push(place(finding("MAIL-1", ["email"], `email ${email} is also used by ${others.join(", ")}; users who share an email cannot be given portal access (emails compare case-insensitively)`,
        "give each user their own email (users who share one must all stay without portal access)"), h.at.resource, h.at.path));
    }
  }
  return out;
}

export const email = {
  name: "email",
  rules: {
    "MAIL-1": {
      rejects: "two users sharing an email, compared case-insensitively, in the declared set or against the live tenant, when either has portal access",
      why: "the email is the login name; users with duplicate emails cannot be enabled for the portal",
      source: "004", scope: "plan", needs: [], severity: "error",
    },
  },
  plan: (_m, declared, ctx): Violation[] => emailRules(declared, ctx),
} as const satisfies RuleFamily;
