import { type EffectiveUser, hasPermission } from "../normalize";
import { label } from "../permissions";
import { type Finding, finding } from "./context";
import type { RuleFamily } from "./family";

const hasUcClient = (u: EffectiveUser) => u.ucClient.desktop || u.ucClient.crm || u.ucClient.softphone !== null;

/** WEB-1, WEB-2: Website Access is the gate to every other permission. */
export function websiteRules(u: EffectiveUser): Finding[] {
  const out: Finding[] = [];
  if (u.websiteAccessDenied && (u.tier !== "none" || hasUcClient(u))) {
    const what = u.tier !== "none" ? `supervisor tier "${u.tier}"` : "UC client access";
    out.push(finding("WEB-1", ["permissions", "websiteAccess"],
      `${what} is declared with Website Access denied, but the portal grants Website Access automatically with it`,
      u.tier !== "none" ? "remove `websiteAccess: false`, or set `tier: none`" : "remove `websiteAccess: false`, or remove `ucClient`"));
  }
  if (!hasPermission(u, "websiteAccess")) {
    for (const p of u.permissions) {
      out.push(finding("WEB-2", ["permissions", p],
        `permission ${label(p)} needs Website Access, which this user does not have`,
        "add `websiteAccess: true` to the user's permissions, or remove the permission"));
    }
  }
  return out;
}

export const website = {
  name: "website",
  rules: {
    "WEB-1": {
      rejects: "a supervisor tier other than none, or UC client access, with Website Access explicitly denied",
      why: "the portal grants Website Access automatically with a tier or UC client access; denying it cannot stick",
      source: "004", scope: "resource", needs: [], severity: "error",
    },
    "WEB-2": {
      rejects: "any permission other than Website Access on a user without Website Access",
      why: "every other permission is greyed out until Website Access is granted",
      source: "004", scope: "resource", needs: [], severity: "error",
    },
  },
  user: (_decl, u): Finding[] => websiteRules(u),
} as const satisfies RuleFamily;
