// Workspace grants: the manifest's members against the tenant's grants.
import { type Declared, type EffectiveUser, type Manifest, type RuleContext, userLookup } from "../schema";
import { byText } from "./order";
import type { GrantReview, Review } from "./types";

/**
 * Declared grants missing from the tenant are added; declared grants at another level are changed;
 * live grants to a declared workspace that the manifest does not list are removed (Pulumi deletes
 * them when the stack manages them). Grants to workspaces the manifest does not declare are left out.
 */
export function reviewGrants(m: Manifest, declared: Declared, ctx: RuleContext): Review["grants"] {
  const live = ctx.tenant?.grants ?? [];
  const users: EffectiveUser[] = [...(ctx.liveUsers?.values() ?? []), ...declared.users.map((d) => d.eff)];
  const find = userLookup(users);
  // One key per person, whichever way a grant names them (email or extension, any case).
  const who = (ref: string) => find(ref)?.key ?? `ref:${ref.toLowerCase()}`;
  const keyOf = (workspace: string, ref: string) => `${workspace}\u0000${who(ref)}`;
  const liveByKey = new Map(live.map((g) => [keyOf(g.workspace, g.user), g] as const));
  const declaredKeys = new Set<string>();
  const out: Review["grants"] = { added: [], removed: [], changed: [] };
  for (const { grant } of declared.grants) {
    const k = keyOf(grant.workspace, grant.user);
    declaredKeys.add(k);
    const was = liveByKey.get(k);
    if (!was) out.added.push({ workspace: grant.workspace, user: grant.user, userKey: find(grant.user)?.key ?? null, access: { before: null, after: grant.access } });
    else if (was.access !== grant.access) out.changed.push({ workspace: grant.workspace, user: grant.user, userKey: find(grant.user)?.key ?? null, access: { before: was.access, after: grant.access } });
  }
  const workspaces = new Set(m.workspaces.map((w) => w.name));
  for (const g of live)
    if (workspaces.has(g.workspace) && !declaredKeys.has(keyOf(g.workspace, g.user)))
      out.removed.push({ workspace: g.workspace, user: g.user, userKey: find(g.user)?.key ?? null, access: { before: g.access, after: null } });
  const order = (a: GrantReview, b: GrantReview) => byText(a.workspace, b.workspace) || byText(a.user.toLowerCase(), b.user.toLowerCase());
  return { added: out.added.sort(order), removed: out.removed.sort(order), changed: out.changed.sort(order) };
}
