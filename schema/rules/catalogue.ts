// The rule catalogue: one entry per rule id. Ids are stable (code, messages and docs use them);
// the README's rule table is generated from this list and a test keeps it in sync.

export interface RuleInfo {
  /** What a declaration is rejected for. */
  rejects: string;
  /** Why the portal works that way. */
  why: string;
  /** Seed (vendor help page) the rule comes from: see ../shared/seeds. */
  source: string;
  /** resource: judged on one declaration (plus tenant facts); plan: needs the whole declared set. */
  scope: "resource" | "plan";
  /** Tenant facts the rule needs; without them the rule is reported as unchecked. */
  needs: readonly ("directory" | "credential" | "users" | "licences" | "settings" | "recordingBucket" | "groups" | "workspaces" | "roles")[];
  severity: "error" | "warning";
}

export const RULES = {
  "WEB-1": {
    rejects: "a supervisor tier other than none, or UC client access, with Website Access explicitly denied",
    why: "the portal grants Website Access automatically with a tier or UC client access; denying it cannot stick",
    source: "004", scope: "resource", needs: [], severity: "error",
  },
  "WEB-2": {
    rejects: "any permission other than Website Access on a user without Website Access",
    why: "every other permission is greyed out until Website Access is granted",
    source: "004", scope: "resource", needs: [], severity: "error",
  },
  "MAIL-1": {
    rejects: "two users sharing an email, compared case-insensitively, in the declared set or against the live tenant, when either has portal access",
    why: "the email is the login name; users with duplicate emails cannot be enabled for the portal",
    source: "004", scope: "plan", needs: [], severity: "error",
  },
  "SRC-1": {
    rejects: "Essential/Professional, the Agent or CRM add-on, or UC client access on a manual user",
    why: "manual users exist only in the portal: they have no calls to model and no phone",
    source: "004", scope: "resource", needs: [], severity: "error",
  },
  "SRC-2": {
    rejects: "removing Essential from a PBX user (accessType: none)",
    why: "the portal models every PBX user's calls; Essential is always on and greyed out",
    source: "004", scope: "resource", needs: [], severity: "error",
  },
  "SRC-3": {
    rejects: "declaring a PBX user whose extension is not in the phone system's directory (a PBX user cannot be created; removing one from the manifest revokes portal access, it never deletes)",
    why: "PBX users come from the phone system: the provider adopts them on create and revokes them on delete",
    source: "004, 000", scope: "resource", needs: ["directory"], severity: "error",
  },
  "SRC-4": {
    rejects: "a PBX user's email or display name that differs from the phone system's directory",
    why: "PBX users' names and emails are synced from the phone system and read-only in the portal",
    source: "004", scope: "resource", needs: ["directory"], severity: "error",
  },
  "BILL-1": {
    rejects: "a change to a billable item (Professional, Agent add-on, CRM add-on, a metered supervisor tier, Real-Time) when the acting credential lacks Manage Users and Manage Billable Items",
    why: "Manage Users alone cannot make changes that raise the cost of the system",
    source: "004", scope: "plan", needs: ["credential", "users"], severity: "error",
  },
  "AUTH-1": {
    rejects: "a change to users when the acting credential lacks Manage Users, or to workspaces and grants when it lacks Workspace Administrator",
    why: "the portal refuses the write; better to learn it at preview",
    source: "004", scope: "plan", needs: ["credential", "users"], severity: "error",
  },
  "LIC-1": {
    rejects: "more users on a licensed tier or add-on than the tenant has licences for, counting live users outside the plan",
    why: "the portal refuses the assignment once capacity is reached; swaps within capacity are fine",
    source: "000, 004", scope: "plan", needs: ["licences"], severity: "error",
  },
  "UC-1": {
    rejects: "a softphone for a user without the Professional licence",
    why: "softphone features are available to users with a Professional licence",
    source: "004", scope: "resource", needs: [], severity: "error",
  },
  "UC-2": {
    rejects: "a softphone bound to a device the user does not own, or a CRM softphone on a device that is not WebRTC-enabled",
    why: "the softphone registers as one of the user's own PBX devices; the CRM client needs WebRTC",
    source: "004", scope: "resource", needs: ["directory"], severity: "error",
  },
  "UC-3": {
    rejects: "CRM client access without the CRM add-on",
    why: "the CRM client is what the CRM add-on buys",
    source: "004", scope: "resource", needs: [], severity: "error",
  },
  "REC-1": {
    rejects: "Recording Playback when the tenant has no call-recording bucket configured",
    why: "there is nothing to play back until a recording bucket is configured",
    source: "000", scope: "plan", needs: ["recordingBucket"], severity: "error",
  },
  "GRP-1": {
    rejects: "a primary group the user is not a member of, or membership of a group that does not exist",
    why: "calls are attributed to the primary group, which must be one of the user's groups",
    source: "004", scope: "resource", needs: ["groups"], severity: "error",
  },
  "WS-1": {
    rejects: "a workspace grant for a user without Website Access, for an unknown user, or to a workspace that does not exist",
    why: "workspaces are seen in the web portal",
    source: "004, 000", scope: "resource", needs: ["workspaces", "users"], severity: "error",
  },
  "WS-2": {
    rejects: "a workspace grant for a user below the Analytics tier",
    why: "workspaces hold dashboards; the Workspaces tab shows only for the dashboard tiers",
    source: "000, 004", scope: "resource", needs: [], severity: "error",
  },
  "AGT-1": {
    rejects: "declaring the Agent add-on when the tenant assigns it automatically from PBX config",
    why: "the service provider controls auto-assignment; the provider must not fight the platform",
    source: "004", scope: "resource", needs: ["settings"], severity: "error",
  },
  "X8-1": {
    rejects: "Analytics Essentials on an extension whose service licence does not allow it (by default X2, X5, X6, X8, X8e; tenant data)",
    why: "8x8 ties the analytics tier to the extension's service licence",
    source: "001", scope: "resource", needs: ["directory"], severity: "error",
  },
  "X8-2": {
    rejects: "Analytics Supervisor on an extension whose service licence does not allow it (by default X6, X8, X8e; tenant data)",
    why: "8x8 ties the analytics tier to the extension's service licence",
    source: "001", scope: "resource", needs: ["directory"], severity: "error",
  },
  "ROLE-1": {
    rejects: "assigning a role that is not declared (and, with tenant facts, does not exist in the tenant)",
    why: "a misspelt role name would silently grant nothing",
    source: "002, 003", scope: "resource", needs: [], severity: "error",
  },
  "ROLE-2": {
    rejects: "declaring or changing an Office@Hand preset role (Super Admin, Phone System Admin, Billing Admin)",
    why: "preset roles are read-only; define a custom role instead",
    source: "002", scope: "plan", needs: [], severity: "error",
  },
  "PROF-1": {
    rejects: "a field the tenant's profile does not have (e.g. a supervisor tier on 8x8, report permissions on Dimensions)",
    why: "each portal has its own access model; a field it does not know would be dropped",
    source: "000–004", scope: "resource", needs: [], severity: "error",
  },
  "NAME-1": {
    rejects: "two groups, workspaces or roles with the same name, two users with the same extension, or two grants of one user to one workspace",
    why: "names and extensions are the natural keys the provider reconciles by",
    source: "004", scope: "plan", needs: [], severity: "error",
  },
  "INS-1": {
    rejects: "nothing (warning): an IntelePeer role that includes a master account sees all messaging data of its sub-accounts",
    why: "messaging dashboards are secured only at master-account level",
    source: "003", scope: "resource", needs: ["settings"], severity: "warning",
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];
