import type { EffectiveUser } from "../normalize";
import { X8_DEFAULT_LICENCE_TIERS } from "../vocabulary";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

/**
 * X8-1, X8-2 (8x8): the extension's service licence allows its analytics tier (tenant data). A
 * manual user has no extension, so no service licence: any tier is refused (the platform's 422),
 * with or without tenant facts. A PBX user is skipped without tenant facts.
 */
export function x8Rules(u: EffectiveUser, ctx: RuleContext): Finding[] {
  const t = ctx.tenant;
  if (u.origin === "manual" && u.analyticsTier !== "none") {
    const table = t?.x8LicenceTiers ?? X8_DEFAULT_LICENCE_TIERS;
    const allowed = u.analyticsTier === "essentials" ? table.essentials : table.supervisor;
    return [finding(u.analyticsTier === "essentials" ? "X8-1" : "X8-2", ["analyticsTier"],
      `analytics tier ${u.analyticsTier} needs a service licence of ${allowed.join(", ") || "(none configured)"}; a manual user has none (no extension)`,
      "remove analyticsTier from the manual user, or declare the person as a PBX user by extension")];
  }
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
      rejects: "Analytics Essentials on an extension whose service licence does not allow it (by default X2, X5, X6, X8, X8e; tenant data), or on a manual user (no extension, so no service licence)",
      why: "8x8 ties the analytics tier to the extension's service licence",
      source: "001", scope: "resource", needs: ["directory"], severity: "error",
    },
    "X8-2": {
      rejects: "Analytics Supervisor on an extension whose service licence does not allow it (by default X6, X8, X8e; tenant data), or on a manual user (no extension, so no service licence)",
      why: "8x8 ties the analytics tier to the extension's service licence",
      source: "001", scope: "resource", needs: ["directory"], severity: "error",
    },
  },
  user: (_decl, u, ctx): Finding[] => x8Rules(u, ctx),
} as const satisfies RuleFamily;
