// Workspaces: dashboards' homes, shared through workspace grants (grants.ts). Workspace Administrator
// is the route's to check.
import type { Group } from "../store";
import { grantView } from "./grants";
import { namedKind, namedOperations, namedView } from "./named";
import type { Ctx } from "./write";

export const WORKSPACES = namedKind("workspaces", "workspace", "Workspace", "wsp");

const ops = namedOperations(WORKSPACES, "WS-EXISTS", {
  // The store deletes its grants with it; the audit entry keeps them.
  record: (w: Group, ctx: Ctx) => ({ ...namedView(w), workspaceGrants: ctx.store.listGrants(ctx.tenant.id).filter((g) => g.workspaceId === w.id).map(grantView) }),
});

export const createWorkspace = ops.create;
export const patchWorkspace = ops.patch;
export const deleteWorkspace = ops.remove;
