import { licencesOf, licenceUse } from "../licences";
import type { LicenceKey } from "../vocabulary";
import { place, type PathSegment, type RuleContext, type Violation, finding } from "./context";
import type { Declared } from "./declared";
import type { RuleFamily } from "./family";

const FIELD: Record<LicenceKey, PathSegment> = {
  professional: "accessType", agent: "addOns", crm: "addOns", realtime: "tier", reports: "tier", analytics: "tier",
  liveAnalytics: "tier", contactCenter: "tier", x8Essentials: "analyticsTier", x8Supervisor: "analyticsTier", liveReports: "roles",
};

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

export const licences = {
  name: "licences",
  rules: {
    "LIC-1": {
      rejects: "more users on a licensed tier or add-on than the tenant has licences for, counting live users outside the plan",
      why: "the portal refuses the assignment once capacity is reached; swaps within capacity are fine",
      source: "000, 004", scope: "plan", needs: ["licences"], severity: "error",
    },
  },
  plan: (_m, declared, ctx): Violation[] => licenceRules(declared, ctx),
} as const satisfies RuleFamily;
