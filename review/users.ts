// One declared user before and after the plan.
import { type DeclaredUser, describeUser, type EffectiveUser, licencesOf, normalizeIn, PROFILES, type RuleContext } from "../schema";
import { change, isEmpty, setChange } from "./diff";
import type { UserReview, UserStatus } from "./types";

/** Granted permissions; Recording Playback with its scope (`recordingPlayback:own`). */
export const permissionItems = (u: EffectiveUser): string[] =>
  u.permissions.map((p) => (p === "recordingPlayback" ? `recordingPlayback:${u.recordingScope}` : p));

/** UC client access as items: `desktop`, `crm`, `softphone:<device>:<client>`. */
export function ucClientItems(u: EffectiveUser): string[] {
  const out: string[] = [];
  if (u.ucClient.desktop) out.push("desktop");
  if (u.ucClient.crm) out.push("crm");
  if (u.ucClient.softphone) out.push(`softphone:${u.ucClient.softphone.device}:${u.ucClient.softphone.client}`);
  return out;
}

/** A PBX user as the phone system syncs it: Essential, no portal access (the Agent add-on only when the platform assigns it). */
function hasNoPortalAccess(u: EffectiveUser, agentAutoAssign: boolean): boolean {
  return u.accessType === "essential" && u.tier === "none" && u.permissions.length === 0 &&
    u.addOns.every((a) => agentAutoAssign && a === "agent") &&
    !u.ucClient.desktop && !u.ucClient.crm && u.ucClient.softphone === null &&
    u.groups.length === 0 && u.primaryGroup === null && u.analyticsTier === "none" && !u.insights;
}

/**
 * The user as the tenant holds it now. A user the live list does not have starts blank: a PBX user
 * from the directory's defaults (the provider adopts it), a manual user with no access.
 */
function before(eff: EffectiveUser, ctx: RuleContext): { user: EffectiveUser; live: boolean } {
  const live = ctx.liveUsers?.get(eff.key);
  if (live) return { user: live, live: true };
  const blank = eff.origin === "pbx" ? { origin: "pbx" as const, extension: eff.extension ?? "" } : { origin: "manual" as const, email: eff.email ?? undefined };
  return { user: normalizeIn(ctx, blank), live: false };
}

/** What the plan does to one declared user. */
export function reviewUser(d: DeclaredUser, ctx: RuleContext, loses: (role: string, key: string) => boolean = () => true): UserReview {
  const t = ctx.tenant;
  const after = d.eff;
  const { user: was, live } = before(after, ctx);
  const metered = (u: EffectiveUser) => (t ? licencesOf(u, t, ctx.roles).filter((k) => t.licences[k] !== undefined) : []);
  // Where roles are named portal entities, who holds which is a change of its own; templates are expanded into the user's fields.
  const namedRoles = PROFILES[ctx.profile].roles === "named";
  const review: UserReview = {
    key: after.key,
    resource: describeUser({ extension: after.extension ?? undefined, email: after.email ?? undefined, origin: after.origin }),
    origin: after.origin,
    extension: after.extension,
    email: after.email,
    displayName: after.displayName ?? was.displayName,
    status: "unchanged",
    rename: after.origin === "manual" && after.displayName !== null && live ? change(was.displayName, after.displayName) : null,
    accessType: change(was.accessType, after.accessType),
    tier: change(was.tier, after.tier),
    analyticsTier: change(was.analyticsTier, after.analyticsTier),
    addOns: setChange(was.addOns, after.addOns),
    permissions: setChange(permissionItems(was), permissionItems(after)),
    ucClient: setChange(ucClientItems(was), ucClientItems(after)),
    groups: setChange(was.groups, after.groups),
    primaryGroup: change(was.primaryGroup, after.primaryGroup),
    // A named role held live and not listed is lost only where its Role resource removes it
    // (authoritative, or additive and listed before); a role the manifest does not name is not managed.
    roles: namedRoles ? (({ added, removed }) => ({ added, removed: removed.filter((r) => loses(r, after.key)) }))(setChange(was.roles, after.roles)) : { added: [], removed: [] },
    insights: change(was.insights, after.insights),
    licences: setChange(metered(was), metered(after)),
  };
  const changes = [review.rename, review.accessType, review.tier, review.analyticsTier, review.primaryGroup, review.insights].some((c) => c !== null) ||
    [review.addOns, review.permissions, review.ucClient, review.groups, review.roles].some((s) => !isEmpty(s));
  review.status = statusOf(after, was, live, changes, ctx);
  return review;
}

function statusOf(after: EffectiveUser, was: EffectiveUser, live: boolean, changes: boolean, ctx: RuleContext): UserStatus {
  if (after.origin === "manual") return live ? (changes ? "changed" : "unchanged") : "added";
  // A PBX user the directory does not know cannot be adopted (SRC-3 says so): shown as added.
  if (!live && ctx.directory && after.extension !== null && !ctx.directory.has(after.extension)) return "added";
  if (!changes) return "unchanged";
  return hasNoPortalAccess(was, ctx.tenant?.agentAutoAssign ?? false) ? "adopted" : "changed";
}
