// Workspace grants: one user's access (admin or view) to one workspace. Workspace Administrator is the route's to check.
import { Problem } from "../problem";
import type { Grant } from "../store";
import { etagOf } from "../store";
import { grantRefusal } from "../invariants";
import { type Ctx, type Kind, write } from "./write";

export const grantView = (g: Grant) => ({ id: g.id, workspaceId: g.workspaceId, userId: g.userId, access: g.access, etag: etagOf(g.version) });
export type GrantView = ReturnType<typeof grantView>;

export const GRANTS: Kind<Grant, GrantView> = {
  entity: "workspaceGrant", label: "Workspace grant", idPrefix: "wsg",
  load: (ctx, id) => ctx.store.getGrant(ctx.tenant.id, id),
  insert: (ctx, g) => ctx.store.insertGrant(g),
  save: (ctx, g) => ctx.store.updateGrant(g),
  remove: (ctx, g) => ctx.store.deleteGrant(g.id),
  view: grantView,
};

export function createGrant(ctx: Ctx, body: { workspaceId: string; userId: string; access: Grant["access"] }): GrantView {
  return write(ctx, GRANTS, {
    create: () => {
      const ws = ctx.store.getNamed("workspaces", ctx.tenant.id, body.workspaceId);
      const user = ctx.store.getUser(ctx.tenant.id, body.userId);
      const refusal = grantRefusal(user, body.userId, !!ws, body.workspaceId, ctx.tenant);
      if (refusal) throw refusal;
      const existing = ctx.store.findGrant(body.workspaceId, body.userId);
      if (existing) throw new Problem(409, "GRANT-EXISTS", `User ${body.userId} already has a grant on workspace ${body.workspaceId} (id ${existing.id}, access ${existing.access}). PATCH /workspace-grants/${existing.id} to change its access.`, { existingId: existing.id });
      return { workspaceId: body.workspaceId, userId: body.userId, access: body.access };
    },
  });
}

export function patchGrant(ctx: Ctx, id: string, body: { access: Grant["access"] }, ifMatch?: string): GrantView {
  return write(ctx, GRANTS, { id, ifMatch, update: (g) => ({ ...g, access: body.access }) });
}

export function deleteGrant(ctx: Ctx, id: string, ifMatch?: string): void {
  write(ctx, GRANTS, { id, ifMatch, delete: () => {} });
}
