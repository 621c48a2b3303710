// Licence counting: which licences a user consumes, which of them are billable, and how many
// holders each metered licence has once a plan is applied. LIC-1 (rules/licences.ts), BILL-1
// (rules/authority.ts) and the review's licence table all count with these.
import type { EffectiveUser } from "./normalize";
import type { Role } from "./role";
import type { RuleContext } from "./rules/context";
import type { Declared } from "./rules/declared";
import type { TenantFacts } from "./tenant";
import { type LicenceKey, type SupervisorTier, tierRank } from "./vocabulary";

const TIER_LICENCE: Partial<Record<SupervisorTier, LicenceKey>> = {
  reports: "reports",
  analytics: "analytics",
  liveAnalytics: "liveAnalytics",
  contactCenter: "contactCenter",
};

/** Licences the user consumes, metered or not (the tenant's table decides which are counted). */
export function licencesOf(u: EffectiveUser, tenant: Pick<TenantFacts, "realTimeWithLive">, roles?: ReadonlyMap<string, Role>): LicenceKey[] {
  const keys: LicenceKey[] = [];
  if (u.accessType === "professional") keys.push("professional");
  if (u.addOns.includes("agent")) keys.push("agent");
  if (u.addOns.includes("crm")) keys.push("crm");
  const tierKey = TIER_LICENCE[u.tier];
  if (tierKey) keys.push(tierKey);
  if (tenant.realTimeWithLive && tierRank(u.tier) >= tierRank("liveAnalytics")) keys.push("realtime");
  if (u.analyticsTier === "essentials") keys.push("x8Essentials");
  if (u.analyticsTier === "supervisor") keys.push("x8Supervisor");
  const live = u.roles.some((r) => roles?.get(r)?.reportPermissions?.some((p) => p.startsWith("liveReports")));
  if (live) keys.push("liveReports");
  return keys;
}

/** Items whose change costs money (seed 004): licences always billable, tiers when metered. */
const ALWAYS_BILLABLE: ReadonlySet<LicenceKey> = new Set(["professional", "agent", "crm", "realtime"]);
export function billableItemsOf(u: EffectiveUser, tenant: Pick<TenantFacts, "realTimeWithLive" | "licences">, roles?: ReadonlyMap<string, Role>): LicenceKey[] {
  return licencesOf(u, tenant, roles).filter((k) => ALWAYS_BILLABLE.has(k) || tenant.licences[k] !== undefined);
}

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
