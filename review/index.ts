// The access review: a manifest against a live tenant, as what changes for people and licences.
import { buildContext, declaredSet, type Manifest, type TenantFacts, validateManifest } from "../schema";
import { reviewGrants } from "./grants";
import { reviewLicences } from "./licences";
import { reviewNotes } from "./notes";
import { reviewRoles } from "./roles";
import { byUser } from "./order";
import type { Review } from "./types";
import { reviewUser } from "./users";
import { reviewViolations } from "./violations";

export type * from "./types";
export { permissionItems, ucClientItems } from "./users";
export { byExtension, byUser } from "./order";
export { headline, renderMarkdown } from "./markdown";
export { renderJson } from "./json";
export { roleLine, roleMemberships } from "./roles";

/**
 * What applying `manifest` to the tenant described by `facts` would change: per user, per grant
 * and per licence, with every rule violation. Pure and deterministic: the same inputs give the
 * same review, in the same order.
 *
 * Live users the manifest does not declare are unmanaged and not listed (the provider leaves
 * them alone, except that an authoritative named role takes itself from holders it does not list:
 * `roles` says who). `previous`, the manifest the stack applied last, lets the review name the
 * holders an additive role loses because the manifest stopped listing them. A user dropped from a stack's manifest is revoked or deleted by Pulumi when the
 * stack's state holds it; the review cannot see state, so it cannot list those.
 */
export function reviewPlan(manifest: Manifest, facts: TenantFacts, opts: { previous?: Manifest } = {}): Review {
  const ctx = buildContext(manifest, facts);
  const declared = declaredSet(manifest, ctx);
  const validation = validateManifest(manifest, facts, { ctx, declared });
  const roles = reviewRoles(manifest, declared, ctx, opts.previous);
  // A role a user does not list any more is taken away only where its Role resource removes them.
  const removes = new Set(roles.flatMap((r) => r.removed.map((k) => `${r.name}\u0000${k}`)));
  const all = declared.users.map((d) => reviewUser(d, ctx, (role, key) => removes.has(`${role}\u0000${key}`)));
  const users = all.filter((u) => u.status !== "unchanged").sort(byUser);
  const declaredKeys = new Set(declared.users.map((d) => d.eff.key));
  const unmanaged = ctx.liveUsers ? [...ctx.liveUsers.keys()].filter((k) => !declaredKeys.has(k)).length : null;
  const grants = reviewGrants(manifest, declared, ctx);
  const licences = reviewLicences(declared, ctx, users);
  const violations = reviewViolations(validation.violations);
  const count = (s: Review["users"][number]["status"]) => all.filter((u) => u.status === s).length;
  const errors = violations.filter((v) => v.severity === "error").length;
  return {
    profile: manifest.profile,
    summary: {
      usersChanging: users.length,
      added: count("added"),
      adopted: count("adopted"),
      changed: count("changed"),
      unchanged: count("unchanged"),
      unmanaged,
      licencesChanging: licences.filter((l) => l.delta !== null && l.delta !== 0).length,
      licencesOverCapacity: licences.filter((l) => l.overCapacity).length,
      grantsChanging: grants.added.length + grants.removed.length + grants.changed.length,
      errors,
      warnings: violations.length - errors,
    },
    users,
    grants,
    ...(roles.length ? { roles } : {}),
    licences,
    violations,
    unchecked: validation.unchecked,
    notes: reviewNotes(users, violations, ctx, unmanaged, roles.some((r) => r.removed.some((k) => !declaredKeys.has(k)))),
  };
}
