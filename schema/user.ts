import { z } from "zod";
import { DISPLAY_NAME_MAX, EMAIL_MAX } from "../platform/limits";
import { Permissions } from "./permissions";
import { AccessType, AddOn, Origin, SupervisorTier, X8AnalyticsTier } from "./vocabulary";

export const Softphone = z.strictObject({
  device: z.string().min(1).meta({ description: "Id of one of the user's PBX devices the softphone registers as." }),
  client: z.enum(["desktop", "mobile", "crm"]).default("desktop").meta({ description: "Which client runs the softphone. A CRM softphone needs a WebRTC-enabled device." }),
});
export type Softphone = z.infer<typeof Softphone>;

export const UcClient = z
  .strictObject({
    desktop: z.boolean().optional().meta({ description: "Access to the desktop client." }),
    crm: z.boolean().optional().meta({ description: "Access to the CRM client (needs the CRM add-on)." }),
    softphone: Softphone.optional().meta({ description: "Softphone bound to one of the user's devices (needs Professional)." }),
  })
  .meta({ description: "Unified-communications client access (desktop client 'Connect')." });
export type UcClient = z.infer<typeof UcClient>;

// The platform's limits (platform/limits.ts, shared so that what validates is what the platform stores).
// An email with spaces around it is refused with the hint to remove them, not silently trimmed: the
// manifest says exactly what is written, and emails compare trimmed everywhere (emailKey).
const Email = z
  .email({
    error: (iss) =>
      typeof iss.input === "string" && iss.input.trim() !== iss.input && z.email().safeParse(iss.input.trim()).success
        ? `must be an email address without spaces: remove the spaces around "${iss.input.trim()}"`
        : "must be an email address, e.g. ann@example.com",
  })
  .max(EMAIL_MAX, `must be at most ${EMAIL_MAX} characters (the platform's limit for an email address)`);

/** A user as declared in a manifest or a resource's inputs. Optional fields take the defaults in normalize.ts. */
export const User = z
  .strictObject({
    email: Email.optional().meta({ description: "Login name and natural key. Required for manual users; PBX users take it from the directory." }),
    displayName: z.string().min(1).max(DISPLAY_NAME_MAX, `must be at most ${DISPLAY_NAME_MAX} characters (the platform's limit for a display name)`).optional().meta({ description: "Name shown in reports. PBX users take it from the directory." }),
    origin: Origin.optional().meta({ description: "pbx when an extension is given, manual otherwise." }),
    extension: z.string().regex(/^[0-9A-Za-z*#+-]{1,20}$/, "must be a phone extension such as 201").optional().meta({ description: "PBX extension (PBX users only; their natural key)." }),
    accessType: AccessType.optional(),
    addOns: z.array(AddOn).optional().meta({ description: "Billable add-ons: agent (ACD agent state; PBX users only), crm (CRM client integrations)." }),
    tier: SupervisorTier.optional(),
    permissions: Permissions.optional(),
    ucClient: UcClient.optional(),
    groups: z.array(z.string().min(1)).optional().meta({ description: "Names of the groups the user belongs to." }),
    primaryGroup: z.string().min(1).optional().meta({ description: "Group the user's calls are attributed to; one of `groups`." }),
    roles: z.array(z.string().min(1)).optional().meta({ description: "Names of roles (templates or named roles) assigned to the user." }),
    analyticsTier: X8AnalyticsTier.optional(),
    insights: z.boolean().optional().meta({ description: "IntelePeer: enabled for Atmosphere Insights (pending until the user activates)." }),
  })
  .superRefine((u, ctx) => {
    // Identity must be decidable from the declaration alone.
    if (u.origin === "pbx" && u.extension === undefined)
      ctx.addIssue({ code: "custom", path: ["extension"], message: "a PBX user needs its extension (its key in the phone system)" });
    if (u.origin === "manual" && u.extension !== undefined)
      ctx.addIssue({ code: "custom", path: ["extension"], message: "a manual user has no extension; remove it or set origin: pbx" });
    if (u.extension === undefined && u.email === undefined)
      ctx.addIssue({ code: "custom", path: ["email"], message: "a manual user needs an email (its login and key)" });
  })
  .meta({ description: "A portal user: licences, supervisor tier, permissions, UC clients, groups and roles." });
export type User = z.infer<typeof User>;
