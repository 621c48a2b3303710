import { z } from "zod";
import type { Role } from "./role";
import type { User } from "./user";
import { REPORT_PERMISSIONS, type ReportPermission } from "./vocabulary";

// What each portal's access model has (docs/domain.md), one capability table per profile. Everything
// that differs by portal and is not a rule of its own is looked up here: PROF-1 judges declarations
// by it, ROLE-2 takes the presets from it, the provider registers named roles and export writes
// fields by it, the review lists role changes by it. A profile is added here (and in the reference
// platform); the compiler then asks for it wherever a `Record<Profile, …>` is kept.

/** What one portal's access model has. */
export interface Capabilities {
  /** Fields a user may declare (identity included); others are PROF-1, and export writes only these. */
  userFields: readonly (keyof User)[];
  /** Fields a role may declare; others are PROF-1. */
  roleFields: readonly (keyof Role)[];
  /** Groups and workspaces exist (elsewhere declaring them is PROF-1, and export leaves them out). */
  groupsAndWorkspaces: boolean;
  /**
   * `templates`: a role is a manifest template expanded into its users' keys, nothing in the portal.
   * `named`: a role is a portal entity that users hold (the provider's Role resource; the review
   * lists who gains and loses it).
   */
  roles: "templates" | "named";
  /** Read-only roles every tenant has, with their report permissions (ROLE-2); null: the portal has none. */
  presetRoles: Readonly<Record<string, readonly ReportPermission[]>> | null;
}

export const IDENTITY_FIELDS = ["email", "displayName", "origin", "extension"] as const satisfies readonly (keyof User)[];

/** Dimensions (seed 004) and Ooma (seed 000, the same engine). */
const DIMENSIONS: Capabilities = {
  userFields: [...IDENTITY_FIELDS, "accessType", "addOns", "tier", "permissions", "ucClient", "groups", "primaryGroup", "roles"],
  roleFields: ["name", "description", "tier", "permissions", "addOns"],
  groupsAndWorkspaces: true,
  roles: "templates",
  presetRoles: null,
};

const TABLE = {
  dimensions: DIMENSIONS,
  ooma: DIMENSIONS,
  /** 8x8 Virtual Office Analytics (seed 001): a per-extension analytics tier. */
  "8x8": {
    userFields: [...IDENTITY_FIELDS, "analyticsTier"],
    roleFields: ["name", "description"],
    groupsAndWorkspaces: false,
    roles: "templates",
    presetRoles: null,
  },
  /** AT&T Office@Hand (seed 002): named roles carrying report permissions; three read-only presets. */
  officeathand: {
    userFields: [...IDENTITY_FIELDS, "roles"],
    roleFields: ["name", "description", "reportPermissions", "membership"],
    groupsAndWorkspaces: false,
    roles: "named",
    presetRoles: {
      "Super Admin": REPORT_PERMISSIONS,
      "Phone System Admin": ["companyNumbers", "performance"],
      "Billing Admin": ["companyNumbers", "performance"],
    },
  },
  /** IntelePeer Atmosphere Insights (seed 003): users enabled for Insights, named roles scoped to accounts. */
  intelepeer: {
    userFields: [...IDENTITY_FIELDS, "roles", "insights"],
    roleFields: ["name", "description", "accountScopes", "membership"],
    groupsAndWorkspaces: false,
    roles: "named",
    presetRoles: null,
  },
} satisfies Record<string, Capabilities>;

export type Profile = keyof typeof TABLE;

/** Every profile's capabilities. */
export const PROFILES: Readonly<Record<Profile, Capabilities>> = TABLE;

export const Profile = z
  .enum(Object.keys(TABLE) as [Profile, ...Profile[]])
  .meta({ description: "Which portal's access model the tenant follows (docs/domain.md)." });

/** The profiles that have a capability, in the table's order. */
export const profilesWith = (has: (c: Capabilities) => boolean): Profile[] => Profile.options.filter((p) => has(PROFILES[p]));

/** The declaration with only the fields the profile has. */
export function inProfileFields(u: User, profile: Profile): User {
  const allowed = PROFILES[profile].userFields;
  return Object.fromEntries(Object.entries(u).filter(([k]) => allowed.includes(k as keyof User))) as User;
}
