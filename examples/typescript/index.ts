// The same kind of access, declared in TypeScript instead of YAML: the resources one by one.
// Copy this into a Pulumi project that depends on `analytics-access`, and import from
// "analytics-access/provider" instead of the relative path.
import * as pulumi from "@pulumi/pulumi";
import { Group, User, Workspace, WorkspaceGrant } from "../../provider";

const support = new Group("support", { name: "Support", description: "Customer support queue" });
const desk = new Workspace("support-desk", { name: "Support Desk", description: "Support queue dashboards" });

// A PBX user is adopted by extension; the tier brings Website Access with it.
const lead = new User("dev-adams", {
  extension: "204",
  tier: "liveAnalytics",
  accessType: "professional",
  permissions: { supervisorAgentControl: true, recordingPlayback: "own" },
  groups: ["Support"],
  primaryGroup: "Support",
}, { dependsOn: [support] });

// Someone outside the phone system who reads reports: a manual user, portal access only.
const auditor = new User("auditor", { email: "auditor@partner.example", displayName: "External Auditor", tier: "reports" });

new WorkspaceGrant("support-desk-lead", { user: "dev.adams@demo.example", workspace: "Support Desk", access: "admin" }, { dependsOn: [lead, desk] });

export const leadUserId = lead.userId;
export const auditorRoleKeys = auditor.roleKeys;
export const project = pulumi.getProject();
