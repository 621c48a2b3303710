import { Workspace } from "../../schema";
import { namedEntityHandler } from "./named";

// Members are reconciled as WorkspaceGrant resources, one per user, so that a grant changed in
// the portal is one resource's drift, not the whole workspace's.
export const handler = namedEntityHandler({ path: "/workspaces", schema: Workspace.omit({ members: true }), collection: "workspaces", declare: (plan, name) => plan.declareWorkspace(name) });
