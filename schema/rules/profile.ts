import type { Manifest } from "../manifest";
import { type Profile, PROFILES, profilesWith } from "../profiles";
import type { Role } from "../role";
import type { User } from "../user";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

// PROF-1: a declaration in the profile's terms. What each portal has is its capability table
// (../profiles.ts); nothing here names a profile.

const misfit = (profile: Profile, field: string, allowed: readonly string[]) =>
  finding("PROF-1", [field], `the ${profile} profile has no "${field}"`, `remove it; ${profile} has: ${allowed.join(", ")}`);

export function userProfileRules(decl: User, ctx: RuleContext): Finding[] {
  const allowed = PROFILES[ctx.profile].userFields;
  return Object.keys(decl).filter((k) => decl[k as keyof User] !== undefined && !allowed.includes(k as keyof User)).map((k) => misfit(ctx.profile, k, allowed));
}

export function roleProfileRules(role: Role, ctx: RuleContext): Finding[] {
  const allowed = PROFILES[ctx.profile].roleFields;
  return Object.keys(role).filter((k) => role[k as keyof Role] !== undefined && !allowed.includes(k as keyof Role)).map((k) => misfit(ctx.profile, k, allowed));
}

export function manifestProfileRules(m: Pick<Manifest, "profile" | "groups" | "workspaces">): Finding[] {
  if (PROFILES[m.profile].groupsAndWorkspaces) return [];
  const having = profilesWith((c) => c.groupsAndWorkspaces).join(" and ");
  return (["groups", "workspaces"] as const)
    .filter((k) => m[k].length > 0)
    .map((k) => finding("PROF-1", [k], `the ${m.profile} profile has no ${k}`, `remove \`${k}\`; only ${having} tenants have them`));
}

export const profile = {
  name: "profile",
  rules: {
    "PROF-1": {
      rejects: "a field the tenant's profile does not have (e.g. a supervisor tier on 8x8, report permissions on Dimensions)",
      why: "each portal has its own access model; a field it does not know would be dropped",
      source: "000–004", scope: "resource", needs: [], severity: "error",
    },
  },
  manifest: (m): Finding[] => manifestProfileRules(m),
  role: roleProfileRules,
  user: (decl, _u, ctx): Finding[] => userProfileRules(decl, ctx),
} as const satisfies RuleFamily;
