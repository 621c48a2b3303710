import { z } from "zod";
import { Permission } from "./permissions";
import { Profile } from "./profiles";
import { LicenceKey, X8_DEFAULT_LICENCE_TIERS } from "./vocabulary";
import { User } from "./user";
import { WorkspaceGrant } from "./workspace";

export const Device = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  webrtc: z.boolean().default(false).meta({ description: "WebRTC-enabled: may host a CRM softphone." }),
});
export type Device = z.infer<typeof Device>;

/** One entry of the phone system's directory, from which PBX users are synced. */
export const DirectoryEntry = z.strictObject({
  extension: z.string().min(1),
  displayName: z.string(),
  email: z.string().nullable().default(null),
  serviceLicence: z.string().nullable().default(null).meta({ description: "8x8 service licence of the extension (X2 … X8e)." }),
  acdAgent: z.boolean().default(false).meta({ description: "PBX config marks the extension as an ACD agent (auto-assignment source)." }),
  devices: z.array(Device).default([]),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

export const Licence = z.strictObject({
  capacity: z.int().min(0),
  inUse: z.int().min(0).optional().meta({ description: "Licences in use in the live tenant, including users outside the plan." }),
});
export type Licence = z.infer<typeof Licence>;

/**
 * What the rules need to know about the live tenant. Read from a platform (provider, `validate
 * --endpoint`) or from a facts file (`validate --tenant`). Every field the rules use has a
 * default meaning "unknown or none", and rules that need absent facts are reported as unchecked.
 */
export const TenantFacts = z
  .strictObject({
    profile: Profile,
    licences: z.partialRecord(LicenceKey, Licence).default({}).meta({ description: "Licence table; a key that is absent is not metered." }),
    recordingBucket: z.boolean().optional().meta({ description: "A call-recording bucket is configured; absent = unknown (REC-1 unchecked)." }),
    agentAutoAssign: z.boolean().default(false).meta({ description: "The service provider assigns the Agent add-on from PBX config." }),
    realTimeWithLive: z.boolean().default(false).meta({ description: "Live Analytics and Contact Center also provision a Real-Time licence (Xarios)." }),
    x8LicenceTiers: z
      .strictObject({ essentials: z.array(z.string()), supervisor: z.array(z.string()) })
      .default(() => ({ essentials: [...X8_DEFAULT_LICENCE_TIERS.essentials], supervisor: [...X8_DEFAULT_LICENCE_TIERS.supervisor] }))
      .meta({ description: "8x8: service licences that allow each analytics tier." }),
    masterAccount: z.string().optional().meta({ description: "IntelePeer: the master account's id (its role scope sees all messaging data)." }),
    directory: z.array(DirectoryEntry).optional().meta({ description: "PBX directory; absent = unknown." }),
    credential: z
      .strictObject({ email: z.string().optional(), permissions: z.array(Permission) })
      .optional()
      .meta({ description: "The acting credential's permissions; absent = unknown." }),
    users: z.array(User).optional().meta({ description: "Live users in manifest terms; absent = unknown." }),
    groups: z.array(z.string()).optional(),
    workspaces: z.array(z.string()).optional(),
    grants: z.array(WorkspaceGrant).optional(),
    roles: z.array(z.strictObject({ name: z.string(), preset: z.boolean().default(false) })).optional(),
  })
  .meta({ description: "Facts about the live tenant the plan rules are judged against." });
export type TenantFacts = z.infer<typeof TenantFacts>;
export type TenantFactsInput = z.input<typeof TenantFacts>;
