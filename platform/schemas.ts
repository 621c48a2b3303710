// zod schemas of the HTTP API: request bodies are validated with them and the OpenAPI document
// (platform/openapi.json) is generated from them, so the documentation cannot drift from the code.
import { z } from "zod";
import { ALL_KEYS, LICENCE_KEYS, REPORT_PERMISSIONS } from "./keys";
import { PROFILES } from "./store";
import { CONTROL_CHARS } from "./http";
import { DESCRIPTION_MAX, DISPLAY_NAME_MAX, EMAIL_MAX, NAME_MAX } from "./limits";

const roleKeysDoc = `Role keys, sorted. Known keys: ${ALL_KEYS.join(", ")} (x8.* only on 8x8 tenants). An unknown key is refused with 422 KEY-UNKNOWN.`;

export const Etag = z.string().describe("Opaque entity version; send it back as If-Match to update only what you read.");
const Id = z.string().min(1);
const noControl = (v: string) => !CONTROL_CHARS.test(v);
const NO_CONTROL = { message: "must not contain control characters (NUL, line breaks, tabs ...)", abort: true } as const;
const Email = z.string().trim().min(3).max(EMAIL_MAX).regex(/^[^@\s\u0000-\u001f\u007f]+@[^@\s\u0000-\u001f\u007f]+$/, "must be an email address");
/** A user's display name. */
const DisplayName = z.string().trim().min(1).max(DISPLAY_NAME_MAX).refine(noControl, NO_CONTROL);
/** A group's, workspace's or role's name: the manifest's limit (platform/limits.ts). */
const Name = z.string().trim().min(1).max(NAME_MAX).refine(noControl, NO_CONTROL);
/** Descriptions may hold line breaks and tabs, not other control characters. */
const Description = z.string().max(DESCRIPTION_MAX).refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v), { message: "must not contain control characters other than line breaks and tabs", abort: true });

export const Problem = z.object({
  type: z.string(), title: z.string(), status: z.number().int(), code: z.string().describe("Stable code: the rule id where the platform refuses what that rule rejects (MAIL-1, LIC-1, ...), a word code otherwise (ETAG, AUTH-MISSING-TOKEN, PERM-<permission key>, ...)"),
  detail: z.string().describe("What is wrong and what to do about it"), instance: z.string().optional(),
}).catchall(z.unknown()).meta({ id: "Problem" });

export const Profile = z.enum(PROFILES as unknown as [string, ...string[]]).meta({ id: "Profile" });
export const X8LicenceTiers = z.object({ essentials: z.array(z.string()), supervisor: z.array(z.string()) }).meta({ id: "X8LicenceTiers" });

export const Tenant = z.object({
  id: Id, name: z.string(), profile: Profile, recordingBucket: z.string().nullable(), agentAutoAssign: z.boolean(),
  realTimeWithLive: z.boolean(), x8LicenceTiers: X8LicenceTiers.optional(),
}).meta({ id: "Tenant" });
export const TenantPatch = z.strictObject({
  name: Name.optional(), recordingBucket: z.string().trim().min(1).nullable().optional(),
}).meta({ id: "TenantPatch", description: "Customer settings (needs customer.permission.settings)." });

export const Me = z.object({
  tenant: z.object({ id: Id, name: z.string(), profile: Profile }),
  user: z.object({ id: Id, email: z.string(), displayName: z.string() }),
  permissions: z.array(z.string()).describe("Permission keys the acting credential holds"),
}).meta({ id: "Me" });

export const Device = z.object({ id: Id, name: z.string(), webrtc: z.boolean() }).meta({ id: "Device" });
export const DirectoryEntry = z.object({
  extension: z.string(), displayName: z.string(), email: z.string(), serviceLicence: z.string().nullable(),
  devices: z.array(Device), acdAgent: z.boolean(),
}).meta({ id: "DirectoryEntry" });

const Cursor = z.string().nullable().describe("Pass as ?cursor= to get the next page; null on the last page");
export const page = <T extends z.ZodType>(item: T, id: string) => z.object({ items: z.array(item), nextCursor: Cursor }).meta({ id });

export const User = z.object({
  id: Id, origin: z.enum(["pbx", "manual"]), extension: z.string().nullable(), displayName: z.string(), email: z.string(),
  roles: z.array(z.string()).describe(roleKeysDoc), softphoneDevice: z.string().nullable().describe("Device id of the user's softphone (PBX users with Professional)"),
  groups: z.array(Id).describe("Group ids"), primaryGroup: Id.nullable(), etag: Etag, createdAt: z.string(), updatedAt: z.string(),
}).meta({ id: "User" });
export const UserCreate = z.strictObject({
  displayName: DisplayName, email: Email, origin: z.string().optional().describe('Only "manual" can be created; PBX users come from the directory (409 SRC-3)'),
  roles: z.array(z.string()).default([]).describe(roleKeysDoc), groups: z.array(Id).default([]), primaryGroup: Id.nullable().default(null),
  softphoneDevice: z.string().nullable().optional(),
}).meta({ id: "UserCreate" });
export const UserPatch = z.strictObject({
  displayName: DisplayName.optional(), email: Email.optional(), extension: z.string().nullable().optional().describe("Read-only; a change is refused with 409 SRC-4"),
  roles: z.array(z.string()).optional().describe(`Replaces the whole set. ${roleKeysDoc}`), softphoneDevice: z.string().nullable().optional(),
  groups: z.array(Id).optional(), primaryGroup: Id.nullable().optional(),
}).meta({ id: "UserPatch" });

export const Group = z.object({ id: Id, name: z.string(), description: z.string(), etag: Etag }).meta({ id: "Group" });
export const GroupCreate = z.strictObject({ name: Name, description: Description.default("") }).meta({ id: "GroupCreate" });
export const GroupPatch = z.strictObject({ name: Name.optional(), description: Description.optional() }).meta({ id: "GroupPatch" });
export const Workspace = Group.meta({ id: "Workspace" });
export const WorkspaceCreate = GroupCreate.meta({ id: "WorkspaceCreate" });
export const WorkspacePatch = GroupPatch.meta({ id: "WorkspacePatch" });

export const Access = z.enum(["admin", "view"]);
export const Grant = z.object({ id: Id, workspaceId: Id, userId: Id, access: Access, etag: Etag }).meta({ id: "WorkspaceGrant" });
export const GrantCreate = z.strictObject({ workspaceId: Id, userId: Id, access: Access }).meta({ id: "WorkspaceGrantCreate" });
export const GrantPatch = z.strictObject({ access: Access }).meta({ id: "WorkspaceGrantPatch" });

export const Role = z.object({
  id: Id, name: z.string(), description: z.string(),
  permissions: z.array(z.string()).describe(`On officeathand tenants, from: ${REPORT_PERMISSIONS.join(", ")}`),
  accountScopes: z.array(z.string()).describe("IntelePeer accounts / packages whose data the role may see"),
  preset: z.boolean().describe("Preset roles are read-only (409 ROLE-PRESET-READONLY)"), etag: Etag,
}).meta({ id: "Role" });
export const RoleCreate = z.strictObject({
  name: Name, description: Description.default(""), permissions: z.array(z.string()).default([]), accountScopes: z.array(z.string()).default([]),
}).meta({ id: "RoleCreate" });
export const RolePatch = z.strictObject({
  name: Name.optional(), description: Description.optional(), permissions: z.array(z.string()).optional(), accountScopes: z.array(z.string()).optional(),
}).meta({ id: "RolePatch" });
export const RoleAssignments = z.strictObject({ userIds: z.array(Id) }).meta({ id: "RoleAssignments", description: "The complete set of users holding the role (PUT replaces it)." });
export const RoleAssignmentsView = z.object({ roleId: Id, userIds: z.array(Id), etag: Etag }).meta({ id: "RoleAssignmentsView" });

export const LicenceKey = z.enum(LICENCE_KEYS as unknown as [string, ...string[]]);
export const Licence = z.object({ key: LicenceKey, capacity: z.number().int(), inUse: z.number().int() }).meta({ id: "Licence" });
export const Licences = z.object({ items: z.array(Licence) }).meta({ id: "Licences" });
export const LicencesPut = z.strictObject({
  items: z.array(z.strictObject({ key: LicenceKey, capacity: z.number().int().min(0).nullable().describe("null stops metering the key") })),
}).meta({ id: "LicencesPut" });

export const AuditEntry = z.object({
  seq: z.number().int(), at: z.string(), actor: z.string().describe("Email of the portal user behind the token, or \"platform\""),
  action: z.string(), entity: z.string(), entityId: z.string(), before: z.unknown(), after: z.unknown(), requestId: z.string().nullable(),
}).meta({ id: "AuditEntry" });

export const FaultRule = z.strictObject({
  route: z.string().optional().describe('Prefix of "/path" or "METHOD /path" (after /api/v1); omitted = every API route'),
  error500: z.number().min(0).max(1).optional(), error503: z.number().min(0).max(1).optional(),
  dropConnection: z.number().min(0).max(1).optional(),
  dropAfterWrite: z.number().min(0).max(1).optional().describe("Probability that a write (POST/PUT/PATCH/DELETE) is committed and then the connection is dropped without a response: the case idempotency keys and If-Match exist for"),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
}).meta({ id: "FaultRule" });
export const FaultsView = z.object({ rules: z.array(FaultRule) }).meta({ id: "Faults" });
export const RateLimitConfig = z.strictObject({
  perMinute: z.number().int().min(1).max(1_000_000), burst: z.number().int().min(1).max(1_000_000).optional(),
  enabled: z.boolean().optional(),
}).meta({ id: "RateLimitConfig" });
export const Stats = z.object({
  total: z.number().int(), reads: z.number().int(), writes: z.number().int(),
  rateLimited: z.number().int().describe("Requests answered 429 (counted in total too)"),
  byRoute: z.record(z.string(), z.number().int()).describe('Counts keyed "METHOD /route/{param}"'),
}).meta({ id: "Stats" });

export const TokenInfo = z.object({
  id: z.string().describe("tok_…: names the token for `platform token revoke`; not a secret"),
  tenantId: z.string(), userId: z.string(), user: z.string().nullable().describe("The portal user's email (null when the user was deleted)"),
  label: z.string(), createdAt: z.string(), expiresAt: z.string(), revokedAt: z.string().nullable(),
  status: z.enum(["active", "expired", "revoked", "orphaned"]),
}).meta({ id: "TokenInfo" });
export const TokenList = z.object({ items: z.array(TokenInfo) }).meta({ id: "TokenList" });

export type UserCreateT = z.infer<typeof UserCreate>;
export type UserPatchT = z.infer<typeof UserPatch>;
export type FaultRuleT = z.infer<typeof FaultRule>;
