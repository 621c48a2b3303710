import { z } from "zod";
import { AddOn, ReportPermission, SupervisorTier } from "./vocabulary";
import { Permissions } from "./permissions";

/**
 * Who decides a named role's holders. `additive`: the manifest's entries only; holders assigned in
 * the portal are left alone, and removing an entry removes only that holder. `authoritative`: the
 * manifest is the whole list; any other holder is removed.
 */
export const Membership = z
  .enum(["additive", "authoritative"])
  .meta({ description: "Who decides a named role's holders: `additive` (the manifest's entries only; holders assigned in the portal are left alone) or `authoritative` (the manifest is the whole list; others are removed)." });
export type Membership = z.infer<typeof Membership>;

/** The membership a role's holders are managed with: the role's own, else the manifest's, else additive. */
export const membershipOf = (role: { membership?: Membership } | undefined, manifest: { roleMembership?: Membership }): Membership =>
  role?.membership ?? manifest.roleMembership ?? "additive";

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
    membership: Membership.optional().meta({ description: "Office@Hand, IntelePeer: whether the users naming this role are its whole holder list (`authoritative`) or added to holders assigned in the portal (`additive`). Default: the manifest's `roleMembership`." }),
  })
  .meta({ description: "A role template (Dimensions/Ooma) or a named portal role (Office@Hand, IntelePeer)." });
export type Role = z.infer<typeof Role>;
