// The rules' entry points: every family's checks (catalogue.ts) at the level each judges, for
// one resource (the provider's Check) or a whole manifest (validate, preview, review).
import type { Manifest } from "../manifest";
import { describeUser, type EffectiveUser } from "../normalize";
import type { Role } from "../role";
import type { TenantFacts } from "../tenant";
import type { User } from "../user";
import type { WorkspaceGrant } from "../workspace";
import { FAMILIES, RULES, RULE_IDS, type RuleFamily, type RuleId } from "./catalogue";
import { buildContext, type Finding, normalizeIn, place, type RuleContext, type Violation } from "./context";
import { type Declared, refKey, userLookup } from "./declared";

export * from "./catalogue";
export * from "./context";
export type { Declared, DeclaredUser, DeclaredGrant } from "./declared";
export { userLookup } from "./declared";
export { authorityRules, lastHolderRules, sameUser, workspaceAuthority } from "./authority";
export { emailRules } from "./email";
export { grantRules } from "./workspaces";

/** Each level's checks, in the families' order (collected once: checkUser runs per user). */
const families: readonly RuleFamily[] = FAMILIES;
const checks = <K extends "manifest" | "role" | "user" | "grant" | "plan">(level: K): NonNullable<RuleFamily[K]>[] =>
  families.flatMap((f) => (f[level] ? [f[level]] : []));
const MANIFEST = checks("manifest");
const ROLE = checks("role");
const USER = checks("user");
const GRANT = checks("grant");
const PLAN = checks("plan");

/** Every rule that one user declaration can be judged on alone (with tenant facts when known). */
export function checkUser(decl: User, ctx: RuleContext, u: EffectiveUser = normalizeIn(ctx, decl)): Finding[] {
  const out: Finding[] = [];
  for (const check of USER) out.push(...check(decl, u, ctx));
  return out;
}

/** Every rule that one role declaration can be judged on alone. */
export function checkRole(role: Role, ctx: RuleContext): Finding[] {
  return ROLE.flatMap((check) => check(role, ctx));
}

/** Every rule that one workspace grant can be judged on; `user` is undefined when the reference matches nobody. */
export function checkGrant(grant: WorkspaceGrant, user: EffectiveUser | undefined, ctx: RuleContext): Finding[] {
  return GRANT.flatMap((check) => check(grant, user, ctx));
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
        case "credentialEmail": return tenant.credential?.email === undefined;
        case "users": return tenant.users === undefined;
        case "groups": return tenant.groups === undefined;
        case "workspaces": return tenant.workspaces === undefined;
        case "recordingBucket": return tenant.recordingBucket === undefined;
        case "licences": case "settings": case "roles": return false;
      }
    }),
  );
}

/**
 * Every rule over a whole manifest, against the live tenant when its facts are given. A caller
 * that has already built the context and the declared set from the same manifest and facts (the
 * review) passes them as `built`, so the tenant is normalized once.
 */
export function validateManifest(m: Manifest, tenant?: TenantFacts, built?: { ctx: RuleContext; declared: Declared }): ValidationResult {
  const ctx = built?.ctx ?? buildContext(m, tenant);
  const declared = built?.declared ?? declaredSet(m, ctx);
  const refs = new Set(declared.grants.map((g) => refKey(g.grant.user)));
  const find = userLookup([...(ctx.liveUsers?.values() ?? []), ...declared.users.map((d) => d.eff)], refs);
  const violations: Violation[] = [
    ...MANIFEST.flatMap((check) => check(m, ctx).map((f) => place(f, "manifest", []))),
    ...m.roles.flatMap((r, i) => checkRole(r, ctx).map((f) => place(f, `role ${r.name}`, ["roles", i]))),
    ...declared.users.flatMap((d) => checkUser(d.decl, ctx, d.eff).map((f) => place(f, d.resource, d.path))),
    ...declared.grants.flatMap((g) => checkGrant(g.grant, find(g.grant.user), ctx).map((f) => place(f, g.resource, g.path))),
    ...PLAN.flatMap((check) => check(m, declared, ctx)),
  ];
  return { violations, unchecked: uncheckedRules(tenant) };
}

export { buildContext };
