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
  // A preset declared with its exact name and nothing but `membership` manages only who holds it.
  const holdersOnly = hit === role.name && role.membership !== undefined && Object.keys(role).every((k) => k === "name" || k === "membership");
  return hit && !holdersOnly
    ? [finding("ROLE-2", ["name"], `"${hit}" is a preset role and is read-only`,
        `give the custom role another name; to assign the preset, name it in users' \`roles\` (its other holders are left alone), or declare it with only \`name: ${hit}\` and \`membership\` to choose how its holders are managed`)]
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
      rejects: "declaring or changing an Office@Hand preset role (Super Admin, Phone System Admin, Billing Admin); a declaration with only `name` and `membership` is allowed and manages only its holders",
      why: "preset roles are read-only; define a custom role instead",
      source: "002", scope: "plan", needs: [], severity: "error",
    },
  },
  role: presetRoleRules,
  user: (decl, _u, ctx): Finding[] => userRoleRules(decl, ctx),
} as const satisfies RuleFamily;
