import { z } from "zod";
import { RecordingScope } from "./vocabulary";

/**
 * The eleven Dimensions/Ooma permissions, in the portal's order, as a map: `true` grants, `false`
 * denies explicitly, absent leaves the default. The one list of permissions: `PERMISSIONS`, the
 * `Permission` enum, normalization, the provider's key table and the docs all derive from it.
 */
export const Permissions = z
  .strictObject({
    websiteAccess: z.boolean().optional().meta({ description: "Log in to the web portal. Granted automatically with a supervisor tier or UC client access." }),
    manageUsers: z.boolean().optional().meta({ description: "Create and manage other users." }),
    manageBillableItems: z.boolean().optional().meta({ description: "Make changes that affect the cost of the system (with Manage Users)." }),
    customerSettings: z.boolean().optional().meta({ description: "Change organisation-wide settings." }),
    manageContactDirectories: z.boolean().optional().meta({ description: "Create, edit and delete contact directories." }),
    workspaceAdministrator: z.boolean().optional().meta({ description: "Manage workspaces." }),
    restApiAdministrator: z.boolean().optional().meta({ description: "Enable REST API access and generate tokens." }),
    supervisorAgentControl: z.boolean().optional().meta({ description: "Change another user's agent state from a dashboard." }),
    silentMonitor: z.boolean().optional().meta({ description: "Listen to, whisper into or barge into other users' calls." }),
    webhooksAdministrator: z.boolean().optional().meta({ description: "Manage webhooks." }),
    recordingPlayback: z
      .union([z.literal(false), RecordingScope])
      .optional()
      .meta({ description: "Play recordings from the call segmentation view: own, all, or false." }),
  })
  .meta({ description: "Portal permissions. Every permission but Website Access needs Website Access." });
export type Permissions = z.infer<typeof Permissions>;

/** A permission's name: the keys of `Permissions`, in the portal's order. */
export const Permission = Permissions.keyof();
export type Permission = z.infer<typeof Permission>;

/** Every permission, in the portal's order (derived from `Permissions`: there is no second list). */
export const PERMISSIONS: readonly Permission[] = Permission.options;

/**
 * Which permissions are authority permissions: the ones that give power over the portal itself (its
 * users and what they cost, its settings, directories, workspaces, API and webhooks). The platform
 * lets only a holder of one grant it or take it away, and keeps its last holder (platform/keys.ts
 * AUTHORITY_PERMISSIONS; schema/permissions.test.ts keeps the two in step). The one table: a
 * permission added to `Permissions` must be classified here, or the type check fails.
 */
const AUTHORITY: Readonly<Record<Permission, boolean>> = {
  websiteAccess: false,
  manageUsers: true,
  manageBillableItems: true,
  customerSettings: true,
  manageContactDirectories: true,
  workspaceAdministrator: true,
  restApiAdministrator: true,
  supervisorAgentControl: false,
  silentMonitor: false,
  webhooksAdministrator: true,
  recordingPlayback: false,
};

/** The authority permissions, in the portal's order. */
export const AUTHORITY_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter((p) => AUTHORITY[p]);
export const isAuthority = (p: Permission): boolean => AUTHORITY[p];

/** Human name of a permission key, as the portal labels it. */
export const label = (key: string): string => key.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());
