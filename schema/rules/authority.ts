import { billableItemsOf } from "../licences";
import type { Manifest } from "../manifest";
import type { EffectiveUser } from "../normalize";
import type { Permission } from "../permissions";
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

/**
 * BILL-1 and AUTH-1 (users): the acting credential may make the declared changes.
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
    if (live && sameUser(live, eff)) continue;
    if (!can("manageUsers")) {
      out.push(place(finding("AUTH-1", [], `${live ? "changing" : "adding"} this user needs Manage Users, which the acting credential lacks`,
        "run with a token of a user who has Manage Users, or leave the user as it is"), d.resource, d.path));
      continue;
    }
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
  },
  plan: (m, declared, ctx): Violation[] => [...authorityRules(declared, ctx), ...workspaceAuthority(m, declared, ctx)],
} as const satisfies RuleFamily;
