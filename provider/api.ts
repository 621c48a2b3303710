// The platform API's entities as the provider reads them (platform/README.md, platform/openapi.json).
// These describe the vendor's wire format, which the provider does not own: the model's own types
// come from schema/.
import type { Profile } from "../schema";

export interface ApiUser {
  id: string;
  origin: "pbx" | "manual";
  extension: string | null;
  displayName: string;
  email: string;
  roles: string[];
  softphoneDevice: string | null;
  groups: string[];
  primaryGroup: string | null;
  etag: string;
}
export interface ApiGroup { id: string; name: string; description?: string | null; etag: string }
export interface ApiWorkspace { id: string; name: string; description?: string | null; etag: string }
export interface ApiGrant { id: string; workspaceId: string; userId: string; access: "admin" | "view"; etag: string }
export interface ApiRole { id: string; name: string; description?: string | null; permissions: string[]; accountScopes: string[]; preset: boolean; etag: string }
export interface ApiLicence { key: string; capacity: number; inUse: number }
export interface ApiDirectoryEntry {
  extension: string;
  displayName: string;
  email: string | null;
  serviceLicence: string | null;
  acdAgent?: boolean;
  devices: { id: string; name?: string; webrtc: boolean }[];
}
export interface ApiTenant {
  id: string;
  name: string;
  profile: Profile;
  recordingBucket: string | null;
  agentAutoAssign: boolean;
  realTimeWithLive: boolean;
  x8LicenceTiers?: { essentials: string[]; supervisor: string[] };
}
export interface ApiMe { tenant: { id: string; name: string; profile: string }; user: { id: string; email: string; displayName: string }; permissions: string[] }
