// Who may change whose permissions. The route's declared permission (Manage Users) lets a token change
// users; these rules keep it from turning that into more authority than it was given:
// - PERM-SELF: no token adds a permission key to its own user (nor its user to a named role);
// - PERM-GRANT: an authority permission (keys.ts AUTHORITY_PERMISSIONS: Manage Users, Manage Billable
//   Items, Customer Settings, Workspace Administrator, ...) is granted or taken away only by a holder of it;
// - LAST-ADMIN: the last holder of an authority permission in a tenant cannot lose it (by a change, a
//   revoke or a delete), so the tenant always keeps an admin who can restore the rest.
import { Problem } from "../problem";
import type { User } from "../store";
import { AUTHORITY_PERMISSIONS, PERMISSIONS } from "../keys";
import type { Ctx } from "./write";

const isPermission = (k: string) => Object.hasOwn(PERMISSIONS, k);
const isAuthority = (k: string) => (AUTHORITY_PERMISSIONS as readonly string[]).includes(k);
const name = (k: string) => `${PERMISSIONS[k as keyof typeof PERMISSIONS]} (${k})`;

/** A change of `target`'s roles from `before` to `after` (target null: a user being created). */
export function requirePermissionAuthority(ctx: Ctx, target: User | null, before: readonly string[], after: readonly string[]): void {
  const added = after.filter((k) => isPermission(k) && !before.includes(k));
  const removed = before.filter((k) => isPermission(k) && !after.includes(k));
  if (target && target.id === ctx.actor.id && added.length) {
    throw new Problem(403, "PERM-SELF", `A token cannot give its own user a permission: ${added.map(name).join(", ")}. Ask another admin who holds ${added.length > 1 ? "them" : "it"} to grant ${added.length > 1 ? "them" : "it"}.`, { keys: added });
  }
  const lacking = [...added, ...removed].filter((k) => isAuthority(k) && !ctx.actor.roles.includes(k));
  if (lacking.length) {
    throw new Problem(403, "PERM-GRANT", `Only a holder of an authority permission may grant it or take it away; the token's user ${ctx.actor.email} does not hold ${lacking.map(name).join(", ")}. Use a token of a user who holds ${lacking.length > 1 ? "them" : "it"}.`, { keys: lacking, missingPermission: lacking[0] });
  }
}

/** `user` keeps `after` (null: it is deleted): refused when it is the tenant's last holder of an authority permission it loses. */
export function requireAnotherHolder(ctx: Ctx, user: User, after: readonly string[] | null): void {
  const lost = user.roles.filter((k) => isAuthority(k) && !(after ?? []).includes(k));
  if (!lost.length) return;
  const holders = ctx.store.roleKeyCounts(ctx.tenant.id);
  const orphaned = lost.filter((k) => (holders.get(k) ?? 0) - 1 <= 0); // `user` is one of the holders of what it loses
  if (orphaned.length) {
    throw new Problem(409, "LAST-ADMIN", `User ${user.id} (${user.email}) is the tenant's last holder of ${orphaned.map(name).join(", ")}; ${after ? "taking it away" : "deleting it"} would leave nobody able to grant ${orphaned.length > 1 ? "them" : "it"} again. Grant ${orphaned.length > 1 ? "them" : "it"} to another user first.`, { keys: orphaned, userId: user.id });
  }
}

/** PUT /roles/{id}/assignments: a token cannot add its own user to a named role. */
export function requireNotSelfAssigned(ctx: Ctx, before: readonly string[], after: readonly string[]): void {
  if (after.includes(ctx.actor.id) && !before.includes(ctx.actor.id)) {
    throw new Problem(403, "PERM-SELF", `A token cannot add its own user (${ctx.actor.email}) to a named role. Ask another admin to assign it.`, { keys: [ctx.actor.id] });
  }
}
