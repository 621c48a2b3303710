import type { Manifest } from "../manifest";
import type { Role } from "../role";
import type { User } from "../user";
import { HAS_WORKSPACES_AND_GROUPS, ROLE_FIELDS, USER_FIELDS } from "../profiles";
import { OFFICEATHAND_PRESET_ROLES, type Profile } from "../vocabulary";
import { type Finding, finding, type RuleContext } from "./context";

const misfit = (profile: Profile, field: string, allowed: readonly string[]) =>
  finding("PROF-1", [field], `the ${profile} profile has no "${field}"`, `remove it; ${profile} has: ${allowed.join(", ")}`);

export function userProfileRules(decl: User, ctx: RuleContext): Finding[] {
  const allowed = USER_FIELDS[ctx.profile];
  return Object.keys(decl).filter((k) => decl[k as keyof User] !== undefined && !allowed.includes(k as keyof User)).map((k) => misfit(ctx.profile, k, allowed));
}

export function roleProfileRules(role: Role, ctx: RuleContext): Finding[] {
  const allowed = ROLE_FIELDS[ctx.profile];
  return Object.keys(role).filter((k) => role[k as keyof Role] !== undefined && !allowed.includes(k as keyof Role)).map((k) => misfit(ctx.profile, k, allowed));
}

export function manifestProfileRules(m: Pick<Manifest, "profile" | "groups" | "workspaces">): Finding[] {
  if (HAS_WORKSPACES_AND_GROUPS.has(m.profile)) return [];
  return (["groups", "workspaces"] as const)
    .filter((k) => m[k].length > 0)
    .map((k) => finding("PROF-1", [k], `the ${m.profile} profile has no ${k}`, `remove \`${k}\`; only dimensions and ooma tenants have them`));
}

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

/** ROLE-2: Office@Hand preset roles are read-only. */
export function presetRoleRules(role: Role, ctx: RuleContext): Finding[] {
  if (ctx.profile !== "officeathand") return [];
  const presets = [...Object.keys(OFFICEATHAND_PRESET_ROLES), ...(ctx.tenant?.roles ?? []).filter((r) => r.preset).map((r) => r.name)];
  const hit = presets.find((p) => p.toLowerCase() === role.name.toLowerCase());
  return hit
    ? [finding("ROLE-2", ["name"], `"${hit}" is a preset role and is read-only`, "give the custom role another name; assign the preset by name in users' `roles` instead")]
    : [];
}
