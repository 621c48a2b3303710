import { z } from "zod";
import { Group } from "./group";
import { Role } from "./role";
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
    roles: z.array(Role).default([]),
    users: z.array(User).default([]),
  })
  .meta({ title: "Analytics access manifest", description: "Users, roles, groups and workspaces of one tenant, declared as code." });
export type Manifest = z.infer<typeof Manifest>;
export type ManifestInput = z.input<typeof Manifest>;
