import { z } from "zod";
import { AddOn, ReportPermission, SupervisorTier } from "./vocabulary";
import { Permissions } from "./permissions";

/**
 * A role. In Dimensions/Ooma there are no named roles in the portal: a role is a template that
 * expands into a user's keys (tier, permissions, add-ons). Office@Hand roles carry report
 * permissions and IntelePeer roles carry account scopes; both are named entities in the portal.
 */
export const Role = z
  .strictObject({
    name: z.string().min(1).max(100),
    description: z.string().max(500).optional(),
    tier: SupervisorTier.optional().meta({ description: "Template: the tier a user gets unless they declare one." }),
    permissions: Permissions.optional().meta({ description: "Template: permissions merged under the user's own." }),
    addOns: z.array(AddOn).optional().meta({ description: "Template: add-ons added to the user's." }),
    reportPermissions: z.array(ReportPermission).optional().meta({ description: "Office@Hand: report permissions the role carries." }),
    accountScopes: z.array(z.string().min(1)).optional().meta({ description: "IntelePeer: accounts and sub-accounts (packages) whose data the role may see." }),
  })
  .meta({ description: "A role template (Dimensions/Ooma) or a named portal role (Office@Hand, IntelePeer)." });
export type Role = z.infer<typeof Role>;
