import type { Role } from "./role";
import type { User } from "./user";
import type { Profile } from "./vocabulary";

// What each portal's access model has (DOMAIN.md): the fields a user and a role may declare,
// and which entities exist. PROF-1 judges declarations by it; export writes only these fields.

export const IDENTITY_FIELDS = ["email", "displayName", "origin", "extension"] as const satisfies readonly (keyof User)[];
const DIMENSIONS_USER = [...IDENTITY_FIELDS, "accessType", "addOns", "tier", "permissions", "ucClient", "groups", "primaryGroup", "roles"] as const;

export const USER_FIELDS: Record<Profile, readonly (keyof User)[]> = {
  dimensions: DIMENSIONS_USER,
  ooma: DIMENSIONS_USER,
  "8x8": [...IDENTITY_FIELDS, "analyticsTier"],
  officeathand: [...IDENTITY_FIELDS, "roles"],
  intelepeer: [...IDENTITY_FIELDS, "roles", "insights"],
};

export const ROLE_FIELDS: Record<Profile, readonly (keyof Role)[]> = {
  dimensions: ["name", "description", "tier", "permissions", "addOns"],
  ooma: ["name", "description", "tier", "permissions", "addOns"],
  "8x8": ["name", "description"],
  officeathand: ["name", "description", "reportPermissions"],
  intelepeer: ["name", "description", "accountScopes"],
};

/** Portals with groups and workspaces (Dimensions and Ooma). */
export const HAS_WORKSPACES_AND_GROUPS: ReadonlySet<Profile> = new Set(["dimensions", "ooma"]);

/** Portals whose roles are named entities held by users; elsewhere roles are manifest templates. */
export const NAMED_ROLE_PROFILES: ReadonlySet<Profile> = new Set(["officeathand", "intelepeer"]);

/** The declaration with only the fields the profile has. */
export function inProfileFields(u: User, profile: Profile): User {
  const allowed = USER_FIELDS[profile];
  return Object.fromEntries(Object.entries(u).filter(([k]) => allowed.includes(k as keyof User))) as User;
}
