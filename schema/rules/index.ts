import type { Manifest } from "../manifest";
import { describeUser, type EffectiveUser } from "../normalize";
import type { Role } from "../role";
import type { TenantFacts } from "../tenant";
import type { User } from "../user";
import { authorityRules } from "./authority";
import { RULES, RULE_IDS, type RuleId } from "./catalogue";
import { buildContext, type Finding, normalizeIn, place, type RuleContext, type Violation, finding } from "./context";
import { type Declared, userLookup } from "./declared";
import { emailRules } from "./email";
import { groupRules } from "./groups";
import { licenceRules } from "./licences";
import { nameRules } from "./names";
import { originRules } from "./origin";
import { manifestProfileRules, presetRoleRules, roleProfileRules, userProfileRules, userRoleRules } from "./profile";
import { roleScopeRules, settingsRules } from "./settings";
import { ucClientRules } from "./ucClient";
import { websiteRules } from "./website";
import { grantRules } from "./workspaces";

export * from "./catalogue";
export * from "./context";
export type { Declared, DeclaredUser, DeclaredGrant } from "./declared";
export { userLookup } from "./declared";
export { licenceUse, type LicenceUse } from "./licences";
export { authorityRules, sameUser } from "./authority";
export { emailRules } from "./email";

/** Every rule that one user declaration can be judged on alone (with tenant facts when known). */
export function checkUser(decl: User, ctx: RuleContext, u: EffectiveUser = normalizeIn(ctx, decl)): Finding[] {
  return [
    ...userProfileRules(decl, ctx),
    ...userRoleRules(decl, ctx),
    ...websiteRules(u),
    ...originRules(u, ctx),
    ...ucClientRules(u, ctx),
    ...groupRules(u, ctx),
    ...settingsRules(u, ctx),
  ];
}

export function checkRole(role: Role, ctx: RuleContext): Finding[] {
  return [...roleProfileRules(role, ctx), ...presetRoleRules(role, ctx), ...roleScopeRules(role, ctx)];
}

/** The manifest as the declared set the plan rules judge. */
export function declaredSet(m: Manifest, ctx: RuleContext): Declared {
  return {
    users: m.users.map((decl, i) => ({
      decl,
      eff: normalizeIn(ctx, decl),
      path: ["users", i],
      resource: describeUser(decl),
    })),
    grants: m.workspaces.flatMap((w, i) =>
      (w.members ?? []).map((mem, j) => ({
        grant: { user: mem.user, workspace: w.name, access: mem.access },
        path: ["workspaces", i, "members", j],
        resource: `grant ${mem.user} → workspace ${w.name}`,
      })),
    ),
  };
}

/** AUTH-1 for workspaces: changing them needs Workspace Administrator. */
function workspaceAuthority(m: Manifest, declared: Declared, ctx: RuleContext): Violation[] {
  const t = ctx.tenant;
  if (!t?.credential || t.credential.permissions.includes("workspaceAdministrator") || !t.workspaces || !t.grants) return [];
  const fix = "run with a token of a user who has Workspace Administrator, or leave workspaces as they are";
  const liveGrants = new Set(t.grants.map((g) => `${g.workspace}\u0000${g.user.toLowerCase()}\u0000${g.access}`));
  return [
    ...m.workspaces.flatMap((w, i) => (t.workspaces!.includes(w.name) ? [] : [place(finding("AUTH-1", [], `creating workspace "${w.name}" needs Workspace Administrator, which the acting credential lacks`, fix), `workspace ${w.name}`, ["workspaces", i])])),
    ...declared.grants.flatMap((g) => (liveGrants.has(`${g.grant.workspace}\u0000${g.grant.user.toLowerCase()}\u0000${g.grant.access}`) ? [] : [place(finding("AUTH-1", [], `changing this grant needs Workspace Administrator, which the acting credential lacks`, fix), g.resource, g.path)])),
  ];
}

export interface ValidationResult {
  violations: Violation[];
  /** Rules that could not be judged for lack of tenant facts. */
  unchecked: RuleId[];
}

/** Rules whose tenant facts are missing. */
export function uncheckedRules(tenant?: TenantFacts): RuleId[] {
  return RULE_IDS.filter((id) =>
    RULES[id].needs.some((need) => {
      if (!tenant) return true;
      switch (need) {
        case "directory": return tenant.directory === undefined;
        case "credential": return tenant.credential === undefined;
        case "users": return tenant.users === undefined;
        case "groups": return tenant.groups === undefined;
        case "workspaces": return tenant.workspaces === undefined;
        case "recordingBucket": return tenant.recordingBucket === undefined;
        case "licences": case "settings": return false;
      }
    }),
  );
}

/** Every rule over a whole manifest, against the live tenant when its facts are given. */
export function validateManifest(m: Manifest, tenant?: TenantFacts): ValidationResult {
  const ctx = buildContext(m, tenant);
  const declared = declaredSet(m, ctx);
  const refs = new Set(declared.grants.map((g) => g.grant.user.toLowerCase()));
  const find = userLookup([...(ctx.liveUsers?.values() ?? []), ...declared.users.map((d) => d.eff)], refs);
  const violations: Violation[] = [
    ...manifestProfileRules(m).map((f) => place(f, "manifest", [])),
    ...m.roles.flatMap((r, i) => checkRole(r, ctx).map((f) => place(f, `role ${r.name}`, ["roles", i]))),
    ...declared.users.flatMap((d) => checkUser(d.decl, ctx, d.eff).map((f) => place(f, d.resource, d.path))),
    ...declared.grants.flatMap((g) => grantRules(g.grant, find(g.grant.user), ctx).map((f) => place(f, g.resource, g.path))),
    ...nameRules(m, declared),
    ...emailRules(declared, ctx),
    ...authorityRules(declared, ctx),
    ...workspaceAuthority(m, declared, ctx),
    ...licenceRules(declared, ctx),
  ];
  return { violations, unchecked: uncheckedRules(tenant) };
}

export { buildContext, grantRules };
