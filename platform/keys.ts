// The role keys the platform knows, in the shape of Xarios's onboarding API, and what each one means.
// The platform's own catalogue: it deliberately does not import the project's schema/ package.
import type { Profile } from "./store";

export const ESSENTIAL = "customer.user.pbx";
export const PROFESSIONAL = "customer.user.uc.remote";
export const AGENT = "customer.user.acd";
export const CRM = "customer.user.crm";
export const REALTIME = "customer.user.pbx.realtime";
export const WEBSITE = "customer.permission.website";
export const UC_DESKTOP = "customer.uc.desktop";
export const UC_CRM = "customer.uc.crm";
export const REC_OWN = "customer.permission.recording.own";
export const REC_ALL = "customer.permission.recording.all";
export const X8_ESSENTIALS = "x8.analytics.essentials";
export const X8_SUPERVISOR = "x8.analytics.supervisor";
/** IntelePeer Atmosphere Insights (seed 003): the user is enabled for Insights. Only on intelepeer tenants. */
export const INSIGHTS = "intelepeer.insights";

/** Supervisor tiers, in order. A user holds at most one. */
export const TIERS = [
  "customer.supervisor.reports",
  "customer.supervisor.analytics",
  "customer.supervisor.live",
  "customer.supervisor.contactcenter",
] as const;

export const PERMISSIONS = {
  "customer.permission.website": "Website Access",
  "customer.permission.users": "Manage Users",
  "customer.permission.billable": "Manage Billable Items",
  "customer.permission.settings": "Customer Settings",
  "customer.permission.directories": "Manage Contact Directories",
  "customer.permission.workspaces": "Workspace Administrator",
  "customer.permission.restapi": "REST API Administrator",
  "customer.permission.agentcontrol": "Supervisor Agent Control",
  "customer.permission.silentmonitor": "Silent Monitor",
  "customer.permission.webhooks": "Webhooks Administrator",
  "customer.permission.recording.own": "Recording Playback (own calls)",
  "customer.permission.recording.all": "Recording Playback (all calls)",
} as const;

/**
 * Authority permissions: the ones that give power over the portal itself (who its users are and what
 * they cost, its settings, workspaces, directories, API and webhooks). Only a holder of one may grant it
 * or take it away, and the last holder in a tenant cannot lose it. The other permission keys (Website
 * Access, Supervisor Agent Control, Silent Monitor, Recording Playback) are features a Manage Users
 * holder gives others; no token may add any permission key to its own user.
 */
export const AUTHORITY_PERMISSIONS = [
  "customer.permission.users", "customer.permission.billable", "customer.permission.settings", "customer.permission.workspaces",
  "customer.permission.directories", "customer.permission.restapi", "customer.permission.webhooks",
] as const satisfies readonly (keyof typeof PERMISSIONS)[];

/** A tenant admin: a user holding Website Access, Manage Users and Manage Billable Items (the demo's admin, the fixtures' admins). */
export const TENANT_ADMIN = ["customer.permission.website", "customer.permission.users", "customer.permission.billable"] as const;

export const KEY_LABELS: Record<string, string> = {
  [ESSENTIAL]: "Essential user access",
  [PROFESSIONAL]: "Professional user access",
  [AGENT]: "Agent add-on",
  [CRM]: "CRM add-on",
  [REALTIME]: "Real-Time add-on",
  "customer.supervisor.reports": "Reports supervisor tier",
  "customer.supervisor.analytics": "Analytics supervisor tier",
  "customer.supervisor.live": "Live Analytics supervisor tier",
  "customer.supervisor.contactcenter": "Contact Center supervisor tier",
  ...PERMISSIONS,
  [UC_DESKTOP]: "Desktop client access",
  [UC_CRM]: "CRM client access",
  [X8_ESSENTIALS]: "8x8 Analytics Essentials",
  [X8_SUPERVISOR]: "8x8 Analytics Supervisor",
  [INSIGHTS]: "IntelePeer Atmosphere Insights",
};

export const X8_KEYS: readonly string[] = [X8_ESSENTIALS, X8_SUPERVISOR];
/** Keys only IntelePeer tenants know. */
export const INTELEPEER_KEYS: readonly string[] = [INSIGHTS];
/** Keys that exist on one profile only, by profile. */
const PROFILE_KEYS: Partial<Record<Profile, readonly string[]>> = { "8x8": X8_KEYS, intelepeer: INTELEPEER_KEYS };
const PROFILE_ONLY = new Set(Object.values(PROFILE_KEYS).flat());
export const COMMON_KEYS: readonly string[] = Object.keys(KEY_LABELS).filter((k) => !PROFILE_ONLY.has(k));
export const ALL_KEYS: readonly string[] = [...COMMON_KEYS, ...X8_KEYS, ...INTELEPEER_KEYS];

/** The profile a profile-only key belongs to, if any. */
export function profileOfKey(key: string): Profile | undefined {
  return (Object.entries(PROFILE_KEYS) as [Profile, readonly string[]][]).find(([, keys]) => keys.includes(key))?.[0];
}

const KEYS_OF_PROFILE = new Map<Profile, readonly string[]>();
export function keysForProfile(profile: Profile): readonly string[] {
  let keys = KEYS_OF_PROFILE.get(profile);
  if (!keys) KEYS_OF_PROFILE.set(profile, keys = [...COMMON_KEYS, ...(PROFILE_KEYS[profile] ?? [])]);
  return keys;
}

/** Licence metered by a role key, if any (the tenant meters it only when its table has the key). */
export const LICENCE_OF_KEY: Record<string, string> = {
  [PROFESSIONAL]: "professional",
  [AGENT]: "agent",
  [CRM]: "crm",
  [REALTIME]: "realtime",
  "customer.supervisor.reports": "reports",
  "customer.supervisor.analytics": "analytics",
  "customer.supervisor.live": "liveAnalytics",
  "customer.supervisor.contactcenter": "contactCenter",
};
export const LICENCE_KEYS = ["professional", "agent", "crm", "realtime", "reports", "analytics", "liveAnalytics", "contactCenter"] as const;

/** Items that are billable whatever the tenant meters. Tiers are billable only when metered. */
export const ALWAYS_BILLABLE: readonly string[] = [PROFESSIONAL, AGENT, CRM, REALTIME];

/** Office@Hand report permissions (seed 002), the dictionary for named roles. */
export const REPORT_PERMISSIONS = [
  "adoption-and-usage",
  "company-numbers",
  "live-reports.full",
  "live-reports.view",
  "performance",
  "qos.alerts",
  "qos.full",
] as const;

export const PRESET_ROLES: { name: string; description: string; permissions: string[] }[] = [
  { name: "Super Admin", description: "All report permissions (preset, read-only)", permissions: [...REPORT_PERMISSIONS] },
  { name: "Phone System Admin", description: "Company Numbers and Performance (preset, read-only)", permissions: ["company-numbers", "performance"] },
  { name: "Billing Admin", description: "Company Numbers and Performance (preset, read-only)", permissions: ["company-numbers", "performance"] },
];
