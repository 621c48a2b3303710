import { type EffectiveUser, licencesOf } from "../normalize";
import type { LicenceKey } from "../vocabulary";
import { place, type PathSegment, type RuleContext, type Violation, finding } from "./context";
import type { Declared } from "./declared";

const FIELD: Record<LicenceKey, PathSegment> = {
  professional: "accessType", agent: "addOns", crm: "addOns", realtime: "tier", reports: "tier", analytics: "tier",
  liveAnalytics: "tier", contactCenter: "tier", x8Essentials: "analyticsTier", x8Supervisor: "analyticsTier", liveReports: "roles",
};

export interface LicenceUse {
  key: LicenceKey;
  capacity: number;
  declared: number;
  /** Live use by users outside the declared set. */
  outside: number;
}

/**
 * Licence use after the plan: declared holders plus live holders outside the plan. Declared users
 * count by their declared state, so moving a licence between two declared users is a swap.
 */
export function licenceUse(declared: Declared, ctx: RuleContext): LicenceUse[] {
  const t = ctx.tenant;
  if (!t) return [];
  const metered = Object.entries(t.licences) as [LicenceKey, { capacity: number; inUse?: number }][];
  // Count every key in one pass over the users.
  const count = (users: Iterable<EffectiveUser>) => {
    const n = new Map<LicenceKey, number>();
    for (const u of users) for (const k of licencesOf(u, t, ctx.roles)) n.set(k, (n.get(k) ?? 0) + 1);
    return n;
  };
  const declaredCounts = count(declared.users.map((d) => d.eff));
  let liveCounts: Map<LicenceKey, number> | undefined;
  let outsideCounts: Map<LicenceKey, number> | undefined;
  if (ctx.liveUsers) {
    const declaredKeys = new Set(declared.users.map((d) => d.eff.key));
    liveCounts = new Map();
    outsideCounts = new Map();
    for (const u of ctx.liveUsers.values()) {
      const outside = !declaredKeys.has(u.key);
      for (const k of licencesOf(u, t, ctx.roles)) {
        liveCounts.set(k, (liveCounts.get(k) ?? 0) + 1);
        if (outside) outsideCounts.set(k, (outsideCounts.get(k) ?? 0) + 1);
      }
    }
  }
  return metered.map(([key, licence]) => {
    const declaredCount = declaredCounts.get(key) ?? 0;
    let outside = 0;
    if (liveCounts && outsideCounts) {
      outside = outsideCounts.get(key) ?? 0;
      // The tenant may count holders the live list does not show (e.g. outside the token's view).
      if (licence.inUse !== undefined) outside += Math.max(0, licence.inUse - (liveCounts.get(key) ?? 0));
    } else if (licence.inUse !== undefined) {
      // Live users unknown: assume the declared holders are live holders, so only use beyond
      // them is outside the plan (a lower bound: a swap with unknown users is not flagged).
      outside = Math.max(0, licence.inUse - declaredCount);
    }
    return { key, capacity: licence.capacity, declared: declaredCount, outside };
  });
}

/** LIC-1: no licence is used beyond capacity. Reported at the first declared holder over capacity. */
export function licenceRules(declared: Declared, ctx: RuleContext): Violation[] {
  const t = ctx.tenant;
  if (!t) return [];
  const out: Violation[] = [];
  for (const use of licenceUse(declared, ctx)) {
    const total = use.declared + use.outside;
    if (total <= use.capacity) continue;
    const holders = declared.users.filter((d) => licencesOf(d.eff, t, ctx.roles).includes(use.key));
    const tipping = holders[Math.max(0, use.capacity - use.outside)] ?? holders[holders.length - 1];
    const over = total - use.capacity;
    const outside = use.outside ? ` + ${use.outside} live outside the plan` : "";
    out.push(place(finding("LIC-1", [FIELD[use.key]],
      `licence ${use.key}: ${total} users would hold it (${use.declared} declared${outside}) but the tenant has ${use.capacity}`,
      `take ${use.key} from ${over} user${over > 1 ? "s" : ""} or buy ${over} more licence${over > 1 ? "s" : ""}`), tipping.resource, tipping.path));
  }
  return out;
}
