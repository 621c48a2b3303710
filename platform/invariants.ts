// What the vendor's server refuses, as small pure functions over plain data. No I/O here: the
// service layer gathers the facts (tenant, directory entry, groups, licences) and asks.
import { Problem } from "./problem";
import {
  AGENT, ALWAYS_BILLABLE, CRM, ESSENTIAL, KEY_LABELS, LICENCE_OF_KEY, PERMISSIONS, PROFESSIONAL, REALTIME,
  REC_ALL, REC_OWN, TIERS, UC_CRM, UC_DESKTOP, WEBSITE, X8_ESSENTIALS, X8_SUPERVISOR, keysForProfile, profileOfKey,
} from "./keys";
import type { DirectoryEntry, Tenant, User } from "./store";

export type UserShape = Pick<User, "origin" | "extension" | "displayName" | "email" | "roles" | "softphoneDevice" | "groups" | "primaryGroup">;

const label = (k: string) => KEY_LABELS[k] ?? k;
export const sortKeys = (keys: Iterable<string>) => [...new Set(keys)].sort();

/** KEY-UNKNOWN: keys the tenant's profile does not know. */
export function unknownKeyRefusal(roles: string[], tenant: Pick<Tenant, "profile">): Problem | null {
  const known = new Set(keysForProfile(tenant.profile));
  const unknown = roles.filter((k) => !known.has(k));
  if (unknown.length === 0) return null;
  const elsewhere = [...new Set(unknown.map(profileOfKey).filter((p) => p !== undefined))];
  return new Problem(422, "KEY-UNKNOWN",
    `Unknown role key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}` +
      elsewhere.map((p) => ` (${p === "8x8" ? "8x8" : "IntelePeer"} keys exist only on tenants with the ${p} profile, this one is "${tenant.profile}")`).join("") +
      `. Use one of the documented keys (GET /api/v1/openapi.json lists them).`,
    { keys: unknown });
}

export function tiersOf(roles: string[]): string[] {
  return roles.filter((k) => (TIERS as readonly string[]).includes(k) || k === X8_ESSENTIALS || k === X8_SUPERVISOR);
}

/** The platform's own additions: Website Access with a tier or UC client; Real-Time with Live/Contact Center where the tenant does so. */
export function normalizeRoles(roles: string[], softphoneDevice: string | null, tenant: Pick<Tenant, "profile" | "realTimeWithLive">): string[] {
  const out = new Set(roles);
  if (tiersOf(roles).length > 0 || out.has(UC_DESKTOP) || out.has(UC_CRM) || softphoneDevice) out.add(WEBSITE);
  if (tenant.realTimeWithLive && tenant.profile === "dimensions" &&
      (out.has("customer.supervisor.live") || out.has("customer.supervisor.contactcenter"))) out.add(REALTIME);
  return sortKeys(out);
}

export interface UserFacts {
  tenant: Tenant;
  directory: DirectoryEntry | null;
  groupIds: Set<string>;
}

/** 422 rules on one user's final state (after the platform's additions). Returns every violation. */
export function userViolations(u: UserShape, f: UserFacts): Problem[] {
  const out: Problem[] = [];
  const has = (k: string) => u.roles.includes(k);
  const tiers = tiersOf(u.roles);
  if (tiers.length > 1) {
    out.push(new Problem(422, "TIER-MULTIPLE", `A user holds at most one supervisor tier; this request sets ${tiers.join(" and ")}. Keep only one.`, { keys: tiers }));
  }
  if (u.origin === "manual") {
    const bad = [ESSENTIAL, PROFESSIONAL, AGENT, CRM, UC_DESKTOP, UC_CRM].filter(has);
    if (bad.length || u.softphoneDevice) {
      const what = [...bad.map(label), ...(u.softphoneDevice ? ["a softphone"] : [])];
      out.push(new Problem(422, "SRC-1", `${what.join(", ")} cannot be given to a manual user: manual users have portal access only (no extension). Remove ${bad.length + (u.softphoneDevice ? 1 : 0) > 1 ? "them" : "it"}, or manage the person as a PBX user.`, { keys: bad }));
    }
  } else if (!has(ESSENTIAL)) {
    out.push(new Problem(422, "SRC-2", `Essential user access (${ESSENTIAL}) is always on for PBX users and cannot be removed. Keep "${ESSENTIAL}" in roles; to take portal access away use POST /users/{id}/revoke.`, { keys: [ESSENTIAL] }));
  }
  const needsWebsite = Object.keys(PERMISSIONS).filter((k) => k !== WEBSITE && has(k));
  if (needsWebsite.length && !has(WEBSITE)) {
    out.push(new Problem(422, "WEB-2", `${needsWebsite.map(label).join(", ")} require${needsWebsite.length === 1 ? "s" : ""} Website Access (${WEBSITE}). Add "${WEBSITE}" to roles or remove ${needsWebsite.length === 1 ? "it" : "them"}.`, { keys: needsWebsite }));
  }
  if (u.softphoneDevice && u.origin === "pbx") {
    if (!has(PROFESSIONAL)) {
      out.push(new Problem(422, "UC-1", `A softphone needs Professional user access (${PROFESSIONAL}). Add "${PROFESSIONAL}" or clear softphoneDevice.`, { keys: [PROFESSIONAL] }));
    }
    const device = f.directory?.devices.find((d) => d.id === u.softphoneDevice);
    if (!device) {
      const owned = f.directory?.devices.map((d) => d.id) ?? [];
      out.push(new Problem(422, "UC-2", `Device "${u.softphoneDevice}" does not belong to extension ${u.extension}. Pick one of its devices: ${owned.length ? owned.join(", ") : "(it has none)"}.`, { device: u.softphoneDevice, ownedDevices: owned }));
    } else if (has(UC_CRM) && !device.webrtc) {
      const webrtc = f.directory!.devices.filter((d) => d.webrtc).map((d) => d.id);
      out.push(new Problem(422, "UC-2", `The CRM client's softphone needs a WebRTC-enabled device; "${device.id}" (${device.name}) is not. Pick a WebRTC device${webrtc.length ? ` (${webrtc.join(", ")})` : " (this extension has none)"} or remove the CRM client.`, { device: device.id, webrtcDevices: webrtc }));
    }
  }
  if (has(UC_CRM) && !has(CRM) && u.origin === "pbx") {
    out.push(new Problem(422, "UC-3", `The CRM client (${UC_CRM}) needs the CRM add-on (${CRM}). Add "${CRM}" or remove "${UC_CRM}".`, { keys: [CRM] }));
  }
  if ((has(REC_OWN) || has(REC_ALL)) && !f.tenant.recordingBucket) {
    out.push(new Problem(422, "REC-1", `Recording Playback needs a call-recording bucket, and tenant "${f.tenant.id}" has none. Configure recordingBucket (PATCH /tenant) first, or remove the recording permission.`, { keys: [REC_OWN, REC_ALL].filter(has) }));
  }
  const unknownGroups = u.groups.filter((g) => !f.groupIds.has(g));
  if (unknownGroups.length) {
    out.push(new Problem(422, "GRP-1", `Group${unknownGroups.length > 1 ? "s" : ""} ${unknownGroups.join(", ")} do${unknownGroups.length > 1 ? "" : "es"} not exist in this tenant. Create the group first (POST /groups) or remove it from groups.`, { groups: unknownGroups }));
  }
  if (u.primaryGroup && !u.groups.includes(u.primaryGroup)) {
    out.push(new Problem(422, "GRP-1", `Primary group "${u.primaryGroup}" is not one of the user's groups. Add it to groups or choose a group the user is a member of.`, { primaryGroup: u.primaryGroup }));
  }
  if (f.tenant.profile === "8x8") {
    const tiersTable = f.tenant.x8LicenceTiers ?? { essentials: [], supervisor: [] };
    const lic = f.directory?.serviceLicence ?? null;
    if (has(X8_ESSENTIALS) && (!lic || !tiersTable.essentials.includes(lic))) {
      out.push(new Problem(422, "X8-1", `Analytics Essentials needs a service licence of ${tiersTable.essentials.join(", ") || "(none configured)"}; ${u.extension ? `extension ${u.extension} has ${lic ?? "none"}` : "a manual user has none"}. Upgrade the extension's licence or remove "${X8_ESSENTIALS}".`, { serviceLicence: lic, allowed: tiersTable.essentials }));
    }
    if (has(X8_SUPERVISOR) && (!lic || !tiersTable.supervisor.includes(lic))) {
      out.push(new Problem(422, "X8-2", `Analytics Supervisor needs a service licence of ${tiersTable.supervisor.join(", ") || "(none configured)"}; ${u.extension ? `extension ${u.extension} has ${lic ?? "none"}` : "a manual user has none"}. Upgrade the extension's licence or remove "${X8_SUPERVISOR}".`, { serviceLicence: lic, allowed: tiersTable.supervisor }));
    }
  }
  return out;
}

/** SRC-4: fields of a PBX user that belong to the phone system. */
export function pbxReadOnlyRefusal(current: UserShape, patch: { displayName?: string; email?: string; extension?: string | null }): Problem | null {
  const changed: string[] = [];
  if (current.origin === "pbx") {
    if (patch.displayName !== undefined && patch.displayName !== current.displayName) changed.push("displayName");
    if (patch.email !== undefined && patch.email.toLowerCase() !== current.email.toLowerCase()) changed.push("email");
    if (patch.extension !== undefined && patch.extension !== current.extension) changed.push("extension");
  } else if (patch.extension !== undefined && patch.extension !== null) changed.push("extension");
  if (!changed.length) return null;
  return current.origin === "pbx"
    ? new Problem(409, "SRC-4", `${changed.join(", ")} of a PBX user come${changed.length > 1 ? "" : "s"} from the phone system and cannot be changed here. Change ${changed.length > 1 ? "them" : "it"} in the PBX; the directory sync updates the portal.`, { fields: changed })
    : new Problem(409, "SRC-4", "Manual users have no extension. Remove extension from the request.", { fields: changed });
}

/** AGT-1: where the tenant assigns Agent from PBX config, clients may not change it. */
export function agentRefusal(tenant: Pick<Tenant, "agentAutoAssign">, before: string[], requested: string[]): Problem | null {
  if (!tenant.agentAutoAssign) return null;
  if (before.includes(AGENT) === requested.includes(AGENT)) return null;
  return new Problem(409, "AGT-1", `This tenant assigns the Agent add-on (${AGENT}) automatically from the PBX's ACD configuration, so it cannot be ${requested.includes(AGENT) ? "added" : "removed"} here. Leave "${AGENT}" as the platform set it (${before.includes(AGENT) ? "present" : "absent"}); change ACD membership in the PBX instead.`, { keys: [AGENT] });
}

/** Billable items that differ between two role sets. Tiers count only where the tenant meters their licence. */
export function billableChanges(before: string[], after: string[], metered: Set<string>): string[] {
  const billable = (k: string) => ALWAYS_BILLABLE.includes(k) || (LICENCE_OF_KEY[k] !== undefined && metered.has(LICENCE_OF_KEY[k]));
  const b = new Set(before), a = new Set(after);
  return sortKeys([...before.filter((k) => !a.has(k)), ...after.filter((k) => !b.has(k))].filter(billable));
}

/** Licences in use: one per user holding a key that consumes it. */
export function licenceUsage(users: { roles: string[] }[]): Map<string, number> {
  const used = new Map<string, number>();
  for (const u of users) for (const k of new Set(u.roles)) {
    const lic = LICENCE_OF_KEY[k];
    if (lic) used.set(lic, (used.get(lic) ?? 0) + 1);
  }
  return used;
}

/** The same from how many users hold each key (the store's `roleKeyCounts`), leaving out `except`'s keys (a user being changed). */
export function licenceUsageOfCounts(counts: ReadonlyMap<string, number>, except: readonly string[] = []): Map<string, number> {
  const used = new Map<string, number>();
  for (const [k, n] of counts) {
    const lic = LICENCE_OF_KEY[k];
    const held = n - (except.includes(k) ? 1 : 0);
    if (lic && held > 0) used.set(lic, (used.get(lic) ?? 0) + held);
  }
  return used;
}

/** LIC-1: a key newly added to this user would take a metered licence past its capacity. */
export function licenceRefusal(before: string[], after: string[], capacity: Map<string, number>, inUseOf: Map<string, number> | (() => Map<string, number>)): Problem | null {
  let inUse: Map<string, number> | null = typeof inUseOf === "function" ? null : inUseOf;
  for (const k of after) {
    if (before.includes(k)) continue;
    const lic = LICENCE_OF_KEY[k];
    if (!lic || !capacity.has(lic)) continue;
    inUse ??= (inUseOf as () => Map<string, number>)();
    const cap = capacity.get(lic)!, used = inUse.get(lic) ?? 0;
    if (used + 1 > cap) {
      return new Problem(409, "LIC-1", `No ${lic} licence left for ${label(k)}: capacity ${cap}, in use ${used}. Free one (remove "${k}" from another user) or raise the capacity.`, { licence: lic, capacity: cap, inUse: used, key: k });
    }
  }
  return null;
}

/** Ranks for the WS-2 rule: workspaces hold dashboards, which start at the Analytics tier. */
export function meetsWorkspaceTier(roles: string[], tenant: Pick<Tenant, "profile">): boolean {
  if (tenant.profile !== "dimensions" && tenant.profile !== "ooma") return true;
  return roles.some((k) => k === "customer.supervisor.analytics" || k === "customer.supervisor.live" || k === "customer.supervisor.contactcenter");
}

/** WS-1 / WS-2 for a grant to this user. */
export function grantRefusal(user: Pick<User, "id" | "roles" | "email"> | undefined, userId: string, workspaceExists: boolean, workspaceId: string, tenant: Pick<Tenant, "profile">): Problem | null {
  if (!workspaceExists) return new Problem(422, "WS-1", `Workspace "${workspaceId}" does not exist in this tenant. Create it first (POST /workspaces).`, { workspaceId });
  if (!user) return new Problem(422, "WS-1", `User "${userId}" does not exist in this tenant.`, { userId });
  if (!user.roles.includes(WEBSITE)) return new Problem(422, "WS-1", `User ${user.email} has no Website Access (${WEBSITE}), so a workspace grant would not be usable. Give the user Website Access (or a supervisor tier) first.`, { userId: user.id });
  if (!meetsWorkspaceTier(user.roles, tenant)) return new Problem(422, "WS-2", `User ${user.email} is below the Analytics tier; workspaces hold dashboards, which start at Analytics. Give the user customer.supervisor.analytics (or higher) first.`, { userId: user.id });
  return null;
}

/** A user change that would strand the user's existing workspace grants (WS-1 / WS-2 on the user side). */
export function strandedGrantsRefusal(user: Pick<User, "email">, after: string[], grantIds: string[], tenant: Pick<Tenant, "profile">): Problem | null {
  if (!grantIds.length) return null;
  if (!after.includes(WEBSITE)) return new Problem(409, "WS-1", `${user.email} has ${grantIds.length} workspace grant(s) (${grantIds.join(", ")}); removing Website Access would strand them. Delete the grants first (DELETE /workspace-grants/{id}).`, { grantIds });
  if (!meetsWorkspaceTier(after, tenant)) return new Problem(409, "WS-2", `${user.email} has ${grantIds.length} workspace grant(s) (${grantIds.join(", ")}); going below the Analytics tier would strand them. Delete the grants first (DELETE /workspace-grants/{id}).`, { grantIds });
  return null;
}

/** The permission keys a portal user holds (the ones that gate the API). */
export function permissionsOf(roles: string[]): string[] {
  return sortKeys(roles.filter((k) => k in PERMISSIONS));
}

/** The baseline a revoke resets a user to. */
export function revokedRoles(u: Pick<User, "origin">, directory: DirectoryEntry | null, tenant: Pick<Tenant, "agentAutoAssign">): string[] {
  if (u.origin === "manual") return [];
  return sortKeys([ESSENTIAL, ...(tenant.agentAutoAssign && directory?.acdAgent ? [AGENT] : [])]);
}

