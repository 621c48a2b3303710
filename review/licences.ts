// Licence use before and after the plan, for every licence the tenant meters.
import { type Declared, LicenceKey, licencesOf, licenceUse, type RuleContext } from "../schema";
import type { LicenceReview, UserReview } from "./types";

/**
 * before: the tenant's own count (`inUse`), else the live users' holders, else unknown;
 * after: what LIC-1 judges, declared holders plus live holders outside the manifest.
 */
export function reviewLicences(declared: Declared, ctx: RuleContext, users: readonly UserReview[]): LicenceReview[] {
  const t = ctx.tenant;
  if (!t) return [];
  const use = new Map(licenceUse(declared, ctx).map((u) => [u.key, u] as const));
  let liveCounts: Map<LicenceKey, number> | undefined;
  const countLive = () => {
    if (!liveCounts) {
      liveCounts = new Map();
      for (const u of ctx.liveUsers?.values() ?? []) for (const k of licencesOf(u, t, ctx.roles)) liveCounts.set(k, (liveCounts.get(k) ?? 0) + 1);
    }
    return liveCounts;
  };
  return LicenceKey.options.flatMap((key) => {
    const u = use.get(key);
    const licence = t.licences[key];
    if (!u || !licence) return [];
    const before = licence.inUse ?? (ctx.liveUsers ? (countLive().get(key) ?? 0) : null);
    const after = u.declared + u.outside;
    return [{
      key, capacity: licence.capacity, before, after, delta: before === null ? null : after - before, overCapacity: after > licence.capacity,
      gainedBy: users.filter((x) => x.licences.added.includes(key)).map((x) => x.key),
      lostBy: users.filter((x) => x.licences.removed.includes(key)).map((x) => x.key),
    }];
  });
}
