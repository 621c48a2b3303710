import { PROFILES } from "../profiles";
import type { Role } from "../role";
import type { User } from "../user";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

/** ROLE-1: every role a user names exists. */
export function userRoleRules(decl: User, ctx: RuleContext): Finding[] {
  const live = ctx.tenant?.roles?.map((r) => r.name) ?? [];
  return (decl.roles ?? []).flatMap((name, i) =>
    ctx.roles.has(name) || live.includes(name)
      ? []
      : [finding("ROLE-1", ["roles", i], `role "${name}" is not declared${ctx.tenant?.roles ? " and does not exist in the tenant" : ""}`,
          `declare it under \`roles\`, or use one of: ${[...ctx.roles.keys(), ...live].join(", ") || "(none declared)"}`)],
  );
}

/** ROLE-2: preset roles (Office@Hand's, from the profile's capability table, and any the tenant marks) are read-only. */
export function presetRoleRules(role: Role, ctx: RuleContext): Finding[] {
  const known = PROFILES[ctx.profile].presetRoles;
  if (!known) return [];
  const presets = [...Object.keys(known), ...(ctx.tenant?.roles ?? []).filter((r) => r.preset).map((r) => r.name)];
  const hit = presets.find((p) => p.toLowerCase() === role.name.toLowerCase());
  return hit
    ? [finding("ROLE-2", ["name"], `"${hit}" is a preset role and is read-only`, "give the custom role another name; assign the preset by name in users' `roles` instead")]
    : [];
}

export const roles = {
  name: "roles",
  rules: {
    "ROLE-1": {
      rejects: "assigning a role that is not declared (and, with tenant facts, does not exist in the tenant)",
      why: "a misspelt role name would silently grant nothing",
      source: "002, 003", scope: "resource", needs: [], severity: "error",
    },
    "ROLE-2": {
      rejects: "declaring or changing an Office@Hand preset role (Super Admin, Phone System Admin, Billing Admin)",
      why: "preset roles are read-only; define a custom role instead",
      source: "002", scope: "plan", needs: [], severity: "error",
    },
  },
  role: presetRoleRules,
  user: (decl, _u, ctx): Finding[] => userRoleRules(decl, ctx),
} as const satisfies RuleFamily;
