import type { AddOn, EffectiveUser, Permission, ReportPermission, SupervisorTier, User } from "../../../schema";
import type { UserRecord } from "../backend";

// The embedded platform's vocabulary: the mapping between the model and its role keys (Xarios
// onboarding API style). Pure functions both ways, so that what the provider writes reads back
// equal: no perpetual diff.

export const ESSENTIAL = "customer.user.pbx";
export const PROFESSIONAL = "customer.user.uc.remote";
export const REALTIME = "customer.user.pbx.realtime";
const ADD_ON_KEY: Record<AddOn, string> = { agent: "customer.user.acd", crm: "customer.user.crm" };
const TIER_KEY: Record<Exclude<SupervisorTier, "none">, string> = {
  reports: "customer.supervisor.reports",
  analytics: "customer.supervisor.analytics",
  liveAnalytics: "customer.supervisor.live",
  contactCenter: "customer.supervisor.contactcenter",
};
const PERMISSION_KEY: Record<Exclude<Permission, "recordingPlayback">, string> = {
  websiteAccess: "customer.permission.website",
  manageUsers: "customer.permission.users",
  manageBillableItems: "customer.permission.billable",
  customerSettings: "customer.permission.settings",
  manageContactDirectories: "customer.permission.directories",
  workspaceAdministrator: "customer.permission.workspaces",
  restApiAdministrator: "customer.permission.restapi",
  supervisorAgentControl: "customer.permission.agentcontrol",
  silentMonitor: "customer.permission.silentmonitor",
  webhooksAdministrator: "customer.permission.webhooks",
};
const RECORDING_KEY = { own: "customer.permission.recording.own", all: "customer.permission.recording.all" } as const;
const UC_KEY = { desktop: "customer.uc.desktop", crm: "customer.uc.crm" } as const;
const X8_KEY = { essentials: "x8.analytics.essentials", supervisor: "x8.analytics.supervisor" } as const;
/** IntelePeer Atmosphere Insights (seed 003); the platform knows it on intelepeer tenants only. */
export const INSIGHTS = "intelepeer.insights";

const invert = <K extends string>(m: Record<K, string>) => new Map(Object.entries(m).map(([k, v]) => [v as string, k as K]));
const TIER_OF = invert(TIER_KEY);
const PERMISSION_OF = invert(PERMISSION_KEY);
const ADD_ON_OF = invert(ADD_ON_KEY);

/** The permissions a set of role keys grants (a credential's, from GET /me). */
export function permissionsOfKeys(keys: readonly string[]): Permission[] {
  const out: Permission[] = keys.flatMap((k) => PERMISSION_OF.get(k) ?? []);
  if (keys.includes(RECORDING_KEY.own) || keys.includes(RECORDING_KEY.all)) out.push("recordingPlayback");
  return out;
}

/** The role keys a normalized user holds on the platform. Server-computed keys (Real-Time) are left out. */
export function roleKeys(u: EffectiveUser): string[] {
  const keys: string[] = [];
  if (u.origin === "pbx") keys.push(ESSENTIAL); // Essential is always on for PBX users
  if (u.accessType === "professional") keys.push(PROFESSIONAL);
  for (const a of u.addOns) keys.push(ADD_ON_KEY[a]);
  if (u.tier !== "none") keys.push(TIER_KEY[u.tier]);
  for (const p of u.permissions) if (p !== "recordingPlayback") keys.push(PERMISSION_KEY[p]);
  if (u.recordingScope) keys.push(RECORDING_KEY[u.recordingScope]);
  if (u.ucClient.desktop) keys.push(UC_KEY.desktop);
  if (u.ucClient.crm) keys.push(UC_KEY.crm);
  if (u.analyticsTier !== "none") keys.push(X8_KEY[u.analyticsTier]);
  if (u.insights) keys.push(INSIGHTS);
  return keys.sort();
}

/**
 * A platform user as a declaration, fully explicit (every field the platform stores), with group
 * ids mapped to names. Declared as the portal shows it, so normalizing it gives back the same state.
 */
export function userFromApi(a: UserRecord, groupName: (id: string) => string): User {
  const has = (k: string) => a.roles.includes(k);
  const tier = a.roles.map((k) => TIER_OF.get(k)).find((t) => t !== undefined) ?? "none";
  const permissions: NonNullable<User["permissions"]> = {};
  for (const k of a.roles) {
    const p = PERMISSION_OF.get(k);
    if (p) permissions[p] = true;
  }
  if (has(RECORDING_KEY.all)) permissions.recordingPlayback = "all";
  else if (has(RECORDING_KEY.own)) permissions.recordingPlayback = "own";
  const addOns = a.roles.map((k) => ADD_ON_OF.get(k)).filter((x): x is AddOn => x !== undefined).sort();
  const ucClient: NonNullable<User["ucClient"]> = {};
  if (has(UC_KEY.desktop)) ucClient.desktop = true;
  if (has(UC_KEY.crm)) ucClient.crm = true;
  if (a.softphoneDevice) ucClient.softphone = { device: a.softphoneDevice, client: "desktop" };
  const analyticsTier = has(X8_KEY.supervisor) ? "supervisor" : has(X8_KEY.essentials) ? "essentials" : undefined;
  const user: User = {
    email: a.email,
    displayName: a.displayName,
    origin: a.origin,
    ...(a.extension !== null ? { extension: a.extension } : {}),
    accessType: has(PROFESSIONAL) ? "professional" : has(ESSENTIAL) ? "essential" : "none",
    ...(addOns.length ? { addOns } : {}),
    ...(tier !== "none" ? { tier } : {}),
    ...(Object.keys(permissions).length ? { permissions } : {}),
    ...(Object.keys(ucClient).length ? { ucClient } : {}),
    ...(a.groups.length ? { groups: a.groups.map(groupName).sort() } : {}),
    ...(a.primaryGroup ? { primaryGroup: groupName(a.primaryGroup) } : {}),
    ...(analyticsTier ? { analyticsTier } : {}),
    ...(has(INSIGHTS) ? { insights: true } : {}),
  };
  return user;
}

/** Office@Hand report permissions: the model's names and the platform's dictionary (seed 002). */
export const REPORT_PERMISSION_KEY: Record<ReportPermission, string> = {
  adoptionAndUsage: "adoption-and-usage",
  companyNumbers: "company-numbers",
  liveReportsFullAccess: "live-reports.full",
  liveReportsViewOnly: "live-reports.view",
  performance: "performance",
  qualityOfServiceAlerts: "qos.alerts",
  qualityOfServiceFullAccess: "qos.full",
};
export const REPORT_PERMISSION_OF = invert(REPORT_PERMISSION_KEY);
