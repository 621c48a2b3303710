// Small builders for rule tests: manifests and tenant facts go through their zod schemas, so the
// tests see exactly what `validate` and the provider see (defaults applied, bad input rejected).
import {
  type DirectoryEntry,
  Manifest,
  type ManifestInput,
  PERMISSIONS,
  type RuleId,
  TenantFacts,
  type TenantFactsInput,
  validateManifest,
} from "../../schema";

/** A user as written in a manifest (defaults not yet applied). */
export type UserInput = NonNullable<ManifestInput["users"]>[number];

export const manifest = (m: Partial<ManifestInput> = {}): Manifest => Manifest.parse({ profile: "dimensions", ...m });

export const tenant = (t: Partial<TenantFactsInput> = {}): TenantFacts => TenantFacts.parse({ profile: "dimensions", ...t });

type DirectoryInput = Partial<Omit<DirectoryEntry, "devices">> & { devices?: { id: string; webrtc?: boolean }[] };

/** A directory entry for extension `ext`: "User <ext>", u<ext>@example.com, one non-WebRTC device d<ext>. */
export const dir = (ext: string, e: DirectoryInput = {}) => ({
  extension: ext,
  displayName: `User ${ext}`,
  email: `u${ext}@example.com`,
  devices: [{ id: `d${ext}` }],
  ...e,
});

/** The phone system's directory used by default: extensions 201 … 205. */
export const DIRECTORY = ["201", "202", "203", "204", "205"].map((ext) => dir(ext));

/**
 * A tenant whose every fact is known (so no rule is unchecked) and that allows everything:
 * the acting credential (admin@example.com, a user not live) holds every permission, nothing is
 * metered, nothing is live yet.
 */
export const knownTenant = (t: Partial<TenantFactsInput> = {}): TenantFacts =>
  tenant({
    directory: DIRECTORY,
    credential: { email: "admin@example.com", permissions: [...PERMISSIONS] },
    users: [],
    groups: [],
    workspaces: [],
    grants: [],
    roles: [],
    recordingBucket: false,
    ...t,
  });

/** A PBX user by extension (identity, name and email come from the directory). */
export const pbx = (extension: string, u: Omit<UserInput, "extension"> = {}): UserInput => ({ extension, ...u });

/** A manual (portal-only) user by email. */
export const manual = (email: string, u: Omit<UserInput, "email"> = {}): UserInput => ({ email, ...u });

/** validateManifest, and the violations of one rule. */
export function violationsOf(rule: RuleId, m: Manifest, t?: TenantFacts) {
  return validateManifest(m, t).violations.filter((v) => v.rule === rule);
}
