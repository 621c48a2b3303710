import { z } from "zod";
import { WorkspaceAccess } from "./vocabulary";

export const WorkspaceMember = z.strictObject({
  user: z.string().min(1).meta({ description: "Email (or extension) of the user." }),
  access: WorkspaceAccess.default("view"),
});
export type WorkspaceMember = z.infer<typeof WorkspaceMember>;

export const Workspace = z
  .strictObject({
    name: z.string().min(1).max(100),
    description: z.string().max(500).optional(),
    members: z.array(WorkspaceMember).optional().meta({ description: "Users granted access to the workspace, with their level." }),
  })
  .meta({ description: "A workspace holding dashboards and wallboards." });
export type Workspace = z.infer<typeof Workspace>;

/** One user's access to one workspace: the unit the provider reconciles. */
export const WorkspaceGrant = z
  .strictObject({
    user: z.string().min(1),
    workspace: z.string().min(1),
    access: WorkspaceAccess.default("view"),
  })
  .meta({ description: "A user's access level in a workspace." });
export type WorkspaceGrant = z.infer<typeof WorkspaceGrant>;
