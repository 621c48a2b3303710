import { billableItemsOf, type EffectiveUser } from "../normalize";
import type { Permission } from "../vocabulary";
import { place, type RuleContext, type Violation, finding } from "./context";
import type { Declared } from "./declared";

/** What the portal stores for a user, compared to tell whether a declaration changes anything. */
export const portalState = ({ key: _k, websiteAccessDenied: _w, ...rest }: EffectiveUser) => rest;
export const sameUser = (a: EffectiveUser, b: EffectiveUser) => JSON.stringify(portalState(a)) === JSON.stringify(portalState(b));

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
  // With auto-assignment the platform owns the Agent add-on (AGT-1 forbids declaring it): a live
  // auto-assigned agent missing from the declaration is no change the provider makes.
  const owned = (u: EffectiveUser): EffectiveUser => (t.agentAutoAssign ? { ...u, addOns: u.addOns.filter((a) => a !== "agent") } : u);
  const out: Violation[] = [];
  for (const d of declared.users) {
    const found = ctx.liveUsers.get(d.eff.key);
    const live = found && owned(found);
    const eff = owned(d.eff);
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
