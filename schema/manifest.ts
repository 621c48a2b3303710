import { z } from "zod";
import { Group } from "./group";
import { Membership, Role } from "./role";
import { User } from "./user";
import { Profile } from "./profiles";
import { Workspace } from "./workspace";

/** An access manifest: everything one stack declares. One YAML file per stack. */
export const Manifest = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Editor hint; ignored." }),
    version: z.literal(1).default(1).meta({ description: "Manifest format version." }),
    profile: Profile,
    groups: z.array(Group).default([]),
    workspaces: z.array(Workspace).default([]),
    roleMembership: Membership.optional().meta({ description: "Office@Hand, IntelePeer: the membership of declared roles that do not set their own; default `additive`. Roles users name without declaring them (presets, roles made in the portal) are always additive." }),
    roles: z.array(Role).default([]),
    users: z.array(User).default([]),
  })
  .meta({ title: "Analytics access manifest", description: "Users, roles, groups and workspaces of one tenant, declared as code." });
export type Manifest = z.infer<typeof Manifest>;
export type ManifestInput = z.input<typeof Manifest>;
