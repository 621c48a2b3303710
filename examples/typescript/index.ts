// The same kind of access, declared in TypeScript instead of YAML: the resources one by one.
// A Pulumi project as `pulumi new typescript` makes one (Pulumi.yaml, tsconfig.json, index.ts),
// depending on `analytics-access`; the CLI runs it with ts-node, which type-checks it.
import * as pulumi from "@pulumi/pulumi";
import { Group, User, Workspace, WorkspaceGrant } from "analytics-access/provider";

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

// The lead's email comes from the phone system's directory: an output, known at preview.
new WorkspaceGrant("support-desk-lead", { user: lead.email, workspace: "Support Desk", access: "admin" }, { dependsOn: [desk] });

export const leadUserId = lead.userId;
export const auditorRoleKeys = auditor.roleKeys;
export const project = pulumi.getProject();
