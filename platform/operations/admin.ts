// The service provider's administration acting on a tenant (PUT /admin/tenants/{id}/licences): not a
// portal user, so the write path gets a stand-in actor that holds no permission and the audit log
// records "platform admin" as the actor.
import { Problem } from "../problem";
import type { Store, User } from "../store";
import type { Ctx } from "./write";

export const PLATFORM_ADMIN = "platform admin";

export function adminCtx(store: Store, tenantId: string, requestId: string | null): Ctx {
  const tenant = store.getTenant(tenantId);
  if (!tenant) throw new Problem(404, "NOT-FOUND", `Tenant "${tenantId}" does not exist on this platform.`, { id: tenantId });
  const actor: User = {
    id: "platform-admin", tenantId, origin: "manual", extension: null, displayName: PLATFORM_ADMIN, email: PLATFORM_ADMIN, roles: [],
    softphoneDevice: null, groups: [], primaryGroup: null, version: 0, createdAt: tenant.createdAt, updatedAt: tenant.createdAt,
  };
  return { store, tenant, actor, requestId };
}
