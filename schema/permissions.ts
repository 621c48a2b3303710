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

/** Human name of a permission key, as the portal labels it. */
export const label = (key: string): string => key.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());
