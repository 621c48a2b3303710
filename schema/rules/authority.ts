import { billableItemsOf } from "../licences";
import type { Manifest } from "../manifest";
import { emailKey, type EffectiveUser } from "../normalize";
import { AUTHORITY_PERMISSIONS, isAuthority, label, type Permission } from "../permissions";
import { PROFILES } from "../profiles";
import { place, type RuleContext, type Violation, finding } from "./context";
import type { Declared } from "./declared";
import type { RuleFamily } from "./family";

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/**
 * Whether the portal would hold the same user, compared field by field without copying. Role
 * names are left out: Dimensions/Ooma templates are expanded into the compared fields and never
 * stored, and Office@Hand/IntelePeer assignments live on the roles, not in the user's state.
 */
export function sameUser(a: EffectiveUser, b: EffectiveUser): boolean {
  const pa = a.ucClient.softphone, pb = b.ucClient.softphone;
  return a.origin === b.origin && a.extension === b.extension && a.email === b.email && a.displayName === b.displayName &&
    a.accessType === b.accessType && a.tier === b.tier && a.recordingScope === b.recordingScope && a.primaryGroup === b.primaryGroup &&
    a.analyticsTier === b.analyticsTier && a.insights === b.insights &&
    a.ucClient.desktop === b.ucClient.desktop && a.ucClient.crm === b.ucClient.crm &&
    (pa === pb || (pa !== null && pb !== null && pa.device === pb.device && pa.client === pb.client)) &&
    sameList(a.addOns, b.addOns) && sameList(a.permissions, b.permissions) && sameList(a.groups, b.groups);
}

const diffList = <T>(before: readonly T[], after: readonly T[]) => ({
  added: after.filter((x) => !before.includes(x)),
  removed: before.filter((x) => !after.includes(x)),
});

const names = (ps: readonly string[]) => ps.map((p) => label(p)).join(", ");
const itThem = (ps: readonly unknown[]) => (ps.length > 1 ? "them" : "it");

/**
 * The permission keys a change from `before` (null: a user being created) to `after` adds and takes
 * away, as the platform counts them: a wider or narrower recording scope is another key.
 */
function permissionChange(before: EffectiveUser | null, after: EffectiveUser): { added: Permission[]; removed: Permission[] } {
  const { added, removed } = diffList(before?.permissions ?? [], after.permissions);
  if (before?.recordingScope && after.recordingScope && before.recordingScope !== after.recordingScope) added.push("recordingPlayback");
  return { added, removed };
}

/** Whether `live` is the acting credential's own user (by its email, as the platform knows the token's user). */
const isOwnUser = (live: EffectiveUser | undefined, email: string | undefined): boolean =>
  !!live?.email && email !== undefined && emailKey(live.email) === emailKey(email);

/**
 * AUTH-3 for named roles (Office@Hand, IntelePeer): the credential's own user joins none. Judged on
 * every declared user, changed or not: assignments live on the roles, not in the user (sameUser).
 */
function selfAssignment(live: EffectiveUser | undefined, eff: EffectiveUser, ctx: RuleContext, email: string | undefined) {
  if (PROFILES[ctx.profile].roles !== "named" || !isOwnUser(live, email)) return [];
  const joined = diffList(live!.roles, eff.roles).added;
  return joined.length
    ? [finding("AUTH-3", ["roles"], `this is the acting credential's own user (${email}); a token cannot add its own user to a named role: ${joined.join(", ")}`,
        "ask another admin to assign the role, or leave this user's roles as they are")]
    : [];
}

/**
 * AUTH-3 and AUTH-2 for one changed user the credential may manage (Manage Users): no permission key
 * is added to the credential's own user, nor its user put in a named role (the platform's PERM-SELF),
 * and an authority permission is granted or taken away only by a credential that holds it (PERM-GRANT).
 */
function grantFindings(live: EffectiveUser | undefined, eff: EffectiveUser, ctx: RuleContext, credential: { email?: string; permissions: readonly Permission[] }) {
  const out = [];
  const { added, removed } = permissionChange(live ?? null, eff);
  if (isOwnUser(live, credential.email)) {
    if (added.length)
      out.push(finding("AUTH-3", ["permissions"], `this is the acting credential's own user (${credential.email}); a token cannot give its own user a permission: ${names(added)}`,
        `ask another admin who holds ${itThem(added)} to grant ${itThem(added)}, or leave this user's permissions as they are`));
  }
  const lacking = [...added, ...removed].filter((p) => isAuthority(p) && !credential.permissions.includes(p));
  if (lacking.length)
    out.push(finding("AUTH-2", ["permissions"], `only a holder of an authority permission may grant it or take it away; the acting credential does not hold ${names(lacking)}`,
      `run with a token of a user who holds ${itThem(lacking)}, or leave this user's ${names(lacking)} as ${lacking.length > 1 ? "they are" : "it is"}`));
  return out;
}

/**
 * AUTH-4: every authority permission held in the live tenant keeps a holder once the plan is applied
 * (the platform's LAST-ADMIN). Holders after: live users the plan does not declare, as they are, and
 * declared users as declared. Reported at the last declared user that takes the permission away.
 */
export function lastHolderRules(declared: Declared, ctx: RuleContext): Violation[] {
  if (!ctx.liveUsers) return [];
  const live = ctx.liveUsers;
  // One pass over the declared users: per authority permission, the last user taking it away, and
  // whether any declared user holds it after the plan. The live users are scanned only for a
  // permission someone takes away and no declared user keeps.
  const lastLoser = new Map<Permission, Declared["users"][number]>();
  const keptByDeclared = new Set<Permission>();
  const authority = new Set<Permission>(AUTHORITY_PERMISSIONS);
  for (const d of declared.users) {
    for (const p of d.eff.permissions) if (authority.has(p)) keptByDeclared.add(p);
    const before = live.get(d.eff.key)?.permissions;
    if (before) for (const p of before) if (authority.has(p) && !d.eff.permissions.includes(p)) lastLoser.set(p, d);
  }
  const out: Violation[] = [];
  for (const p of AUTHORITY_PERMISSIONS) {
    const last = lastLoser.get(p);
    if (!last || keptByDeclared.has(p)) continue;
    const declaredKeys = new Set(declared.users.map((d) => d.eff.key));
    if ([...live.values()].some((u) => !declaredKeys.has(u.key) && u.permissions.includes(p))) continue;
    out.push(place(finding("AUTH-4", ["permissions"], `this user is the tenant's last holder of ${label(p)} once the plan is applied; taking it away would leave nobody able to grant it again`,
      `grant ${label(p)} to another user first, or let this user keep it`), last.resource, last.path));
  }
  return out;
}

/**
 * BILL-1, AUTH-1, AUTH-2 and AUTH-3 (users): the acting credential may make the declared changes.
 * Only users whose declaration differs from the live tenant count as changes.
 */
export function authorityRules(declared: Declared, ctx: RuleContext): Violation[] {
  const t = ctx.tenant;
  if (!t?.credential || !ctx.liveUsers) return [];
  const can = (p: Permission) => t.credential!.permissions.includes(p);
  const out: Violation[] = [];
  for (const d of declared.users) {
    // Under auto-assignment both sides carry the platform's Agent add-on (normalizeUser), so it is no change.
    const live = ctx.liveUsers.get(d.eff.key);
    const eff = d.eff;
    out.push(...selfAssignment(live, eff, ctx, t.credential.email).map((f) => place(f, d.resource, d.path)));
    if (live && sameUser(live, eff)) continue;
    if (!can("manageUsers")) {
      out.push(place(finding("AUTH-1", [], `${live ? "changing" : "adding"} this user needs Manage Users, which the acting credential lacks`,
        "run with a token of a user who has Manage Users, or leave the user as it is"), d.resource, d.path));
      continue;
    }
    out.push(...grantFindings(live, eff, ctx, t.credential).map((f) => place(f, d.resource, d.path)));
    const before = live ? billableItemsOf(live, t, ctx.roles) : [];
    const { added, removed } = diffList(before, billableItemsOf(eff, t, ctx.roles));
    if ((added.length || removed.length) && !can("manageBillableItems")) {
      const change = [...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)].join(", ");
      out.push(place(finding("BILL-1", [], `billable change (${change}) needs Manage Users and Manage Billable Items; the acting credential lacks Manage Billable Items`,
        "run with a token of a user who has Manage Billable Items, or keep the user's licences, add-ons and tier as they are"), d.resource, d.path));
    }
  }
  return out;
}

/** AUTH-1 for workspaces: changing them needs Workspace Administrator. */
export function workspaceAuthority(m: Pick<Manifest, "workspaces">, declared: Declared, ctx: RuleContext): Violation[] {
  const t = ctx.tenant;
  if (!t?.credential || t.credential.permissions.includes("workspaceAdministrator") || !t.workspaces || !t.grants) return [];
  const fix = "run with a token of a user who has Workspace Administrator, or leave workspaces as they are";
  const liveGrants = new Set(t.grants.map((g) => `${g.workspace}\u0000${g.user.toLowerCase()}\u0000${g.access}`));
  return [
    ...m.workspaces.flatMap((w, i) => (t.workspaces!.includes(w.name) ? [] : [place(finding("AUTH-1", [], `creating workspace "${w.name}" needs Workspace Administrator, which the acting credential lacks`, fix), `workspace ${w.name}`, ["workspaces", i])])),
    ...declared.grants.flatMap((g) => (liveGrants.has(`${g.grant.workspace}\u0000${g.grant.user.toLowerCase()}\u0000${g.grant.access}`) ? [] : [place(finding("AUTH-1", [], `changing this grant needs Workspace Administrator, which the acting credential lacks`, fix), g.resource, g.path)])),
  ];
}

export const authority = {
  name: "authority",
  rules: {
    "BILL-1": {
      rejects: "a change to a billable item (Professional, Agent add-on, CRM add-on, a metered supervisor tier, Real-Time) when the acting credential lacks Manage Users and Manage Billable Items",
      why: "Manage Users alone cannot make changes that raise the cost of the system",
      source: "004", scope: "plan", needs: ["credential", "users"], severity: "error",
    },
    "AUTH-1": {
      rejects: "a change to users when the acting credential lacks Manage Users, or to workspaces and grants when it lacks Workspace Administrator",
      why: "the portal refuses the write; better to learn it at preview",
      source: "004", scope: "plan", needs: ["credential", "users"], severity: "error",
    },
    "AUTH-2": {
      rejects: `granting or taking away an authority permission (${names(AUTHORITY_PERMISSIONS)}) the acting credential does not hold`,
      why: "only a holder of an authority permission may pass it on or take it away, so a token cannot turn Manage Users into more authority than it was given",
      source: "004", scope: "plan", needs: ["credential", "users"], severity: "error",
    },
    "AUTH-3": {
      rejects: "adding a permission (or another recording scope) to the acting credential's own user, or adding that user to a named role",
      why: "no token raises its own user's permissions; another admin must grant them",
      source: "004", scope: "plan", needs: ["credential", "credentialEmail", "users"], severity: "error",
    },
    "AUTH-4": {
      rejects: "a plan that takes an authority permission away from every user who holds it, counting live users outside the plan",
      why: "the portal keeps the last holder of an authority permission, so the tenant always has an admin who can grant it again",
      source: "004", scope: "plan", needs: ["users"], severity: "error",
    },
  },
  plan: (m, declared, ctx): Violation[] => [...authorityRules(declared, ctx), ...workspaceAuthority(m, declared, ctx), ...lastHolderRules(declared, ctx)],
} as const satisfies RuleFamily;
