import { z } from "zod";

// The words of the access model. Every enum here is the single source for types, validation,
// the manifest's JSON Schema and the README's tables. Two words have files of their own, where
// the enum is derived from what defines them: profiles (profiles.ts, the capability tables) and
// permissions (permissions.ts, the permission map).

export const Origin = z
  .enum(["pbx", "manual"])
  .meta({ description: "pbx: synced from the phone system (has an extension); manual: created in the portal, portal access only." });
export type Origin = z.infer<typeof Origin>;

export const AccessType = z
  .enum(["none", "essential", "professional"])
  .meta({ description: "User access licence. Essential is always on for PBX users; Professional is billable; manual users have none." });
export type AccessType = z.infer<typeof AccessType>;

export const AddOn = z.enum(["agent", "crm"]).meta({ description: "Billable add-ons: Agent (ACD agent state), CRM (CRM client integrations)." });
export type AddOn = z.infer<typeof AddOn>;

/** Supervisor tiers, exclusive and ordered from least to most. */
export const SUPERVISOR_TIERS = ["none", "reports", "analytics", "liveAnalytics", "contactCenter"] as const;
export const SupervisorTier = z
  .enum(SUPERVISOR_TIERS)
  .meta({ description: "Supervisor tier, ordered: none < reports < analytics < liveAnalytics < contactCenter." });
export type SupervisorTier = z.infer<typeof SupervisorTier>;
export const tierRank = (tier: SupervisorTier): number => SUPERVISOR_TIERS.indexOf(tier);

export const RecordingScope = z
  .enum(["own", "all"])
  .meta({ description: "own: the user's own calls, including whole conferences they joined; all: every call." });
export type RecordingScope = z.infer<typeof RecordingScope>;

export const WorkspaceAccess = z
  .enum(["admin", "view"])
  .meta({ description: "admin: may manage the workspace's dashboards; view: may see them." });
export type WorkspaceAccess = z.infer<typeof WorkspaceAccess>;

/** 8x8 per-extension analytics tier (seed 001). */
export const X8AnalyticsTier = z
  .enum(["none", "essentials", "supervisor"])
  .meta({ description: "8x8 Virtual Office Analytics tier for the extension; allowed by its service licence." });
export type X8AnalyticsTier = z.infer<typeof X8AnalyticsTier>;

/** Office@Hand (RingCentral) report permissions (seed 002). */
export const REPORT_PERMISSIONS = [
  "adoptionAndUsage",
  "companyNumbers",
  "liveReportsFullAccess",
  "liveReportsViewOnly",
  "performance",
  "qualityOfServiceAlerts",
  "qualityOfServiceFullAccess",
] as const;
export const ReportPermission = z.enum(REPORT_PERMISSIONS);
export type ReportPermission = z.infer<typeof ReportPermission>;

/**
 * Licence keys a tenant may meter. A key missing from the tenant's licence table is not metered
 * (e.g. Ooma includes the Reports tier with advanced reporting).
 */
export const LicenceKey = z.enum([
  "professional",
  "agent",
  "crm",
  "realtime",
  "reports",
  "analytics",
  "liveAnalytics",
  "contactCenter",
  "x8Essentials",
  "x8Supervisor",
  "liveReports",
]);
export type LicenceKey = z.infer<typeof LicenceKey>;

/** 8x8 service licences that allow each analytics tier, as seed 001 lists them. Tenant data overrides. */
export const X8_DEFAULT_LICENCE_TIERS = {
  essentials: ["X2", "X5", "X6", "X8", "X8e"],
  supervisor: ["X6", "X8", "X8e"],
};
