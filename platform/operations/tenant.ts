// The tenant's customer settings (name, recording bucket) and who the acting credential is.
// Customer Settings is the route's to check.
import { Problem } from "../problem";
import type { Tenant } from "../store";
import { permissionsOf } from "../invariants";
import { REC_ALL, REC_OWN } from "../keys";
import { type Ctx, type Kind, write } from "./write";

export const tenantView = (t: Tenant) => ({
  id: t.id, name: t.name, profile: t.profile, recordingBucket: t.recordingBucket, agentAutoAssign: t.agentAutoAssign,
  realTimeWithLive: t.realTimeWithLive, ...(t.x8LicenceTiers ? { x8LicenceTiers: t.x8LicenceTiers } : {}),
});
export type TenantView = ReturnType<typeof tenantView>;

/** The token's tenant: it has no version (no ETag); every settings change is written and audited. */
export const TENANT: Kind<Tenant, TenantView> = {
  entity: "tenant", label: "Tenant",
  load: (ctx, id) => ctx.store.getTenant(id),
  save: (ctx, t) => ctx.store.updateTenant(t),
  view: tenantView,
};

export function patchTenant(ctx: Ctx, body: { name?: string; recordingBucket?: string | null }): TenantView {
  return write(ctx, TENANT, {
    id: ctx.tenant.id, always: true,
    update: (t) => {
      const next: Tenant = { ...t, name: body.name ?? t.name, recordingBucket: body.recordingBucket !== undefined ? body.recordingBucket : t.recordingBucket };
      if (!next.recordingBucket && t.recordingBucket) {
        const holders = ctx.store.listUsers(t.id).filter((u) => u.roles.includes(REC_OWN) || u.roles.includes(REC_ALL)).map((u) => u.id);
        if (holders.length) throw new Problem(409, "REC-1", `${holders.length} user(s) hold Recording Playback (${holders.slice(0, 10).join(", ")}${holders.length > 10 ? ", ..." : ""}); removing the recording bucket would break it. Remove the permission from them first.`, { userIds: holders });
      }
      return next;
    },
  });
}

/** GET /me: the tenant, the portal user behind the token, and the permission keys it holds. */
export function meView(ctx: Ctx) {
  return {
    tenant: { id: ctx.tenant.id, name: ctx.tenant.name, profile: ctx.tenant.profile },
    user: { id: ctx.actor.id, email: ctx.actor.email, displayName: ctx.actor.displayName },
    permissions: permissionsOf(ctx.actor.roles),
  };
}
