import type { EffectiveUser, User } from "../schema";

/**
 * The explicit declaration of a normalized user: every default applied, sets sorted, Website
 * Access written out where the portal adds it by itself. Check returns this as the resource's
 * inputs and Read returns it from the platform, so the two compare equal when nothing changed.
 */
export function canonicalUser(u: EffectiveUser): User {
  const permissions: NonNullable<User["permissions"]> = {};
  for (const p of u.permissions) if (p !== "recordingPlayback") permissions[p] = true;
  if (u.recordingScope) permissions.recordingPlayback = u.recordingScope;
  const ucClient: NonNullable<User["ucClient"]> = {};
  if (u.ucClient.desktop) ucClient.desktop = true;
  if (u.ucClient.crm) ucClient.crm = true;
  if (u.ucClient.softphone) ucClient.softphone = u.ucClient.softphone;
  return {
    ...(u.email !== null ? { email: u.email } : {}),
    ...(u.displayName !== null ? { displayName: u.displayName } : {}),
    origin: u.origin,
    ...(u.extension !== null ? { extension: u.extension } : {}),
    accessType: u.accessType,
    addOns: u.addOns,
    tier: u.tier,
    permissions,
    ucClient,
    groups: u.groups,
    ...(u.primaryGroup !== null ? { primaryGroup: u.primaryGroup } : {}),
    ...(u.analyticsTier !== "none" ? { analyticsTier: u.analyticsTier } : {}),
  };
}
