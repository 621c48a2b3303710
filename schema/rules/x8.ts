import type { EffectiveUser } from "../normalize";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

/** X8-1, X8-2 (8x8): the extension's service licence allows its analytics tier (tenant data). Skipped without tenant facts. */
export function x8Rules(u: EffectiveUser, ctx: RuleContext): Finding[] {
  const t = ctx.tenant;
  if (!t) return [];
  const entry = u.extension !== null ? ctx.directory?.get(u.extension) : undefined;
  if (!entry || u.analyticsTier === "none") return [];
  const allowed = u.analyticsTier === "essentials" ? t.x8LicenceTiers.essentials : t.x8LicenceTiers.supervisor;
  if (allowed.includes(entry.serviceLicence ?? "")) return [];
  const rule = u.analyticsTier === "essentials" ? "X8-1" : "X8-2";
  return [finding(rule, ["analyticsTier"],
    `analytics tier ${u.analyticsTier} needs a service licence of ${allowed.join(", ")}; extension ${u.extension} has ${entry.serviceLicence ?? "none"}`,
    "upgrade the extension's service licence, or choose a lower analytics tier")];
}

export const x8 = {
  name: "x8",
  rules: {
    "X8-1": {
      rejects: "Analytics Essentials on an extension whose service licence does not allow it (by default X2, X5, X6, X8, X8e; tenant data)",
      why: "8x8 ties the analytics tier to the extension's service licence",
      source: "001", scope: "resource", needs: ["directory"], severity: "error",
    },
    "X8-2": {
      rejects: "Analytics Supervisor on an extension whose service licence does not allow it (by default X6, X8, X8e; tenant data)",
      why: "8x8 ties the analytics tier to the extension's service licence",
      source: "001", scope: "resource", needs: ["directory"], severity: "error",
    },
  },
  user: (_decl, u, ctx): Finding[] => x8Rules(u, ctx),
} as const satisfies RuleFamily;
