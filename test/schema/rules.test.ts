// One case table keyed by rule id: for every rule of the catalogue, manifests that break it (with the
// path, message and fix the user sees) and manifests at the boundary that pass. A rule added to the
// catalogue without cases fails both the type check (the table is a Record<RuleId, …>) and the
// first test below.
import { describe, expect, it } from "vitest";
import { type Manifest, type PathSegment, RULES, RULE_IDS, type RuleId, type TenantFacts, validateManifest } from "../../schema";
import { dir, knownTenant, manifest, manual, pbx, tenant } from "./builders";

interface Case {
  name: string;
  manifest: Manifest;
  tenant?: TenantFacts;
}
interface Expected {
  path: PathSegment[];
  /** Key words of the message (what is wrong) … */
  message: RegExp;
  /** … and of the fix (what to do). */
  fix: RegExp;
  resource?: string;
}
interface Break extends Case {
  /** Every violation of the rule the case yields, in order. */
  expect: Expected[];
}
interface RuleCases {
  breaks: Break[];
  /** Boundary cases: the whole manifest is clean, and the rule was judged (not unchecked). */
  passes: Case[];
}

const WEBSITE = { websiteAccess: true } as const;

const CASES: Record<RuleId, RuleCases> = {
  "WEB-1": {
    breaks: [
      {
        name: "a supervisor tier with Website Access denied",
        manifest: manifest({ users: [pbx("201", { tier: "reports", permissions: { websiteAccess: false } })] }),
        expect: [{
          path: ["users", 0, "permissions", "websiteAccess"],
          resource: "user ext 201",
          message: /supervisor tier "reports".*Website Access denied.*grants Website Access automatically/,
          fix: /remove `websiteAccess: false`.*`tier: none`/,
        }],
      },
      {
        name: "UC client access with Website Access denied",
        manifest: manifest({ users: [pbx("201", { ucClient: { desktop: true }, permissions: { websiteAccess: false } })] }),
        expect: [{
          path: ["users", 0, "permissions", "websiteAccess"],
          message: /UC client access.*Website Access denied.*automatically/,
          fix: /remove `websiteAccess: false`.*remove `ucClient`/,
        }],
      },
      {
        name: "the denial comes from a role template and the tier from the user",
        manifest: manifest({
          roles: [{ name: "locked", permissions: { websiteAccess: false } }],
          users: [pbx("201", { tier: "analytics", roles: ["locked"] })],
        }),
        expect: [{ path: ["users", 0, "permissions", "websiteAccess"], message: /supervisor tier "analytics"/, fix: /websiteAccess: false/ }],
      },
    ],
    passes: [
      { name: "tier none and UC none with Website Access denied", manifest: manifest({ users: [pbx("201", { tier: "none", permissions: { websiteAccess: false } })] }) },
      { name: "a tier with Website Access left to the platform", manifest: manifest({ users: [pbx("201", { tier: "reports" })] }) },
    ],
  },

  "WEB-2": {
    breaks: [
      {
        name: "Manage Users without Website Access",
        manifest: manifest({ users: [manual("ann@example.com", { permissions: { manageUsers: true } })] }),
        expect: [{
          path: ["users", 0, "permissions", "manageUsers"],
          resource: "user ann@example.com",
          message: /Manage Users needs Website Access.*does not have/,
          fix: /add `websiteAccess: true`.*or remove the permission/,
        }],
      },
      {
        name: "every permission is reported, Recording Playback included",
        manifest: manifest({ users: [pbx("201", { permissions: { silentMonitor: true, recordingPlayback: "own" } })] }),
        expect: [
          { path: ["users", 0, "permissions", "silentMonitor"], message: /Silent Monitor needs Website Access/, fix: /websiteAccess: true/ },
          { path: ["users", 0, "permissions", "recordingPlayback"], message: /Recording Playback needs Website Access/, fix: /websiteAccess: true/ },
        ],
      },
    ],
    passes: [
      { name: "the permission with Website Access granted explicitly", manifest: manifest({ users: [manual("ann@example.com", { permissions: { websiteAccess: true, manageUsers: true } })] }) },
      { name: "the permission with Website Access granted by the tier", manifest: manifest({ users: [manual("ann@example.com", { tier: "reports", permissions: { manageUsers: true } })] }) },
      { name: "the permission with Website Access granted by UC client access", manifest: manifest({ users: [pbx("201", { ucClient: { desktop: true }, permissions: { manageContactDirectories: true } })] }) },
      { name: "permissions declared false need nothing", manifest: manifest({ users: [manual("ann@example.com", { permissions: { manageUsers: false, recordingPlayback: false } })] }) },
    ],
  },

  "MAIL-1": {
    // Seed 004: "any user with web portal access must have a unique email … users with duplicate
    // emails cannot be enabled for portal access": one portal user sharing an email is enough.
    breaks: [
      {
        name: "two PBX users with portal access whose emails differ only in case",
        manifest: manifest({
          users: [
            pbx("201", { email: "ann@example.com", tier: "reports" }),
            pbx("202", { email: "ANN@Example.com", permissions: { websiteAccess: true } }),
          ],
        }),
        expect: [
          { path: ["users", 0, "email"], resource: "user ext 201 (ann@example.com)", message: /email ann@example\.com is also used by user ext 202.*portal access.*case-insensitive/, fix: /their own email/ },
          { path: ["users", 1, "email"], resource: "user ext 202 (ANN@Example.com)", message: /email ann@example\.com is also used by user ext 201/, fix: /own email/ },
        ],
      },
      {
        name: "a user with portal access and one without sharing an email",
        manifest: manifest({ users: [pbx("201", { email: "ann@example.com", tier: "reports" }), pbx("202", { email: "ANN@Example.com" })] }),
        expect: [
          { path: ["users", 0, "email"], message: /also used by user ext 202/, fix: /own email/ },
          { path: ["users", 1, "email"], message: /also used by user ext 201/, fix: /own email/ },
        ],
      },
      {
        name: "a declared user and a live user outside the manifest",
        manifest: manifest({ users: [manual("Ann@Example.com", { permissions: WEBSITE })] }),
        tenant: knownTenant({ users: [pbx("201", { tier: "reports" })], directory: [dir("201", { email: "ann@example.com" })] }),
        expect: [{ path: ["users", 0, "email"], message: /also used by live user ext 201 ann@example\.com \(not in the manifest\)/, fix: /own email/ }],
      },
      {
        name: "a PBX user whose email comes from the directory and a manual user",
        manifest: manifest({ users: [pbx("201", { tier: "reports" }), manual("U201@example.com", { permissions: WEBSITE })] }),
        tenant: knownTenant(),
        expect: [
          { path: ["users", 0, "email"], message: /also used by user U201@example\.com/, fix: /own email/ },
          { path: ["users", 1, "email"], message: /also used by user ext 201/, fix: /own email/ },
        ],
      },
    ],
    passes: [
      {
        name: "the same email (in another case) when neither user has portal access",
        manifest: manifest({ users: [pbx("201", { email: "ann@example.com" }), pbx("202", { email: "ANN@Example.com", permissions: { websiteAccess: false } })] }),
      },
      {
        name: "a live user and a declared user sharing an email, neither with portal access",
        manifest: manifest({ users: [manual("ann@example.com")] }),
        tenant: knownTenant({ users: [pbx("201")], directory: [dir("201", { email: "ann@example.com" })] }),
      },
      {
        name: "the declared user is the live user (same key) with another case of the email",
        manifest: manifest({ users: [manual("Ann@Example.com", { permissions: WEBSITE })] }),
        tenant: knownTenant({ users: [manual("ann@example.com", { permissions: WEBSITE })] }),
      },
      {
        name: "emails that differ by more than case",
        manifest: manifest({ users: [pbx("201", { email: "ann@example.com", tier: "reports" }), pbx("202", { email: "ann.lee@example.com", tier: "reports" })] }),
      },
    ],
  },

  "SRC-1": {
    breaks: [
      {
        name: "a user access licence on a manual user",
        manifest: manifest({ users: [manual("ann@example.com", { accessType: "professional" })] }),
        expect: [{ path: ["users", 0, "accessType"], message: /manual user cannot hold the professional user access licence/, fix: /portal access only.*origin: pbx/ }],
      },
      {
        name: "an add-on on a manual user, from a role template",
        manifest: manifest({ roles: [{ name: "agents", addOns: ["agent"] }], users: [manual("ann@example.com", { roles: ["agents"] })] }),
        expect: [{ path: ["users", 0, "addOns"], message: /manual user cannot hold the agent add-on/, fix: /portal access only/ }],
      },
      {
        name: "UC client access on a manual user",
        manifest: manifest({ users: [manual("ann@example.com", { ucClient: { desktop: true } })] }),
        expect: [{ path: ["users", 0, "ucClient"], message: /manual user cannot have UC client access/, fix: /remove it, or declare the user by extension/ }],
      },
    ],
    passes: [
      { name: "a manual user with portal access only", manifest: manifest({ users: [manual("ann@example.com", { tier: "contactCenter", permissions: { manageUsers: true } })] }) },
      { name: "the same licences on a PBX user", manifest: manifest({ users: [pbx("201", { accessType: "professional", addOns: ["agent", "crm"], ucClient: { desktop: true, crm: true } })] }) },
    ],
  },

  "SRC-2": {
    breaks: [{
      name: "accessType none on a PBX user",
      manifest: manifest({ users: [pbx("201", { accessType: "none" })] }),
      expect: [{ path: ["users", 0, "accessType"], message: /Essential cannot be removed from a PBX user/, fix: /`accessType: essential`.*or leave it out/ }],
    }],
    passes: [
      { name: "accessType left out (Essential by default)", manifest: manifest({ users: [pbx("201")] }) },
      { name: "accessType essential", manifest: manifest({ users: [pbx("201", { accessType: "essential" })] }) },
    ],
  },

  "SRC-3": {
    breaks: [{
      name: "a PBX user whose extension is not in the directory",
      manifest: manifest({ users: [pbx("299")] }),
      tenant: knownTenant(),
      expect: [{ path: ["users", 0, "extension"], message: /extension 299 is not in the phone system's directory.*cannot be created/, fix: /create the extension in the phone system first.*manual user/ }],
    }],
    passes: [
      { name: "a PBX user whose extension is in the directory (adopted, not created)", manifest: manifest({ users: [pbx("201")] }), tenant: knownTenant() },
      { name: "a manual user needs no directory entry", manifest: manifest({ users: [manual("ann@example.com")] }), tenant: knownTenant() },
    ],
  },

  "SRC-4": {
    breaks: [
      {
        name: "an email that differs from the directory",
        manifest: manifest({ users: [pbx("201", { email: "other@example.com" })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "email"], message: /email other@example\.com differs from the directory's u201@example\.com.*read-only/, fix: /change it in the phone system.*`email: u201@example\.com`/ }],
      },
      {
        name: "a display name that differs from the directory",
        manifest: manifest({ users: [pbx("201", { displayName: "Ann" })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "displayName"], message: /display name "Ann" differs from the directory's "User 201".*read-only/, fix: /change it in the phone system, or leave `displayName` out/ }],
      },
    ],
    passes: [
      { name: "the directory's email in another case and its exact name", manifest: manifest({ users: [pbx("201", { email: "U201@Example.com", displayName: "User 201" })] }), tenant: knownTenant() },
      { name: "email and name left out", manifest: manifest({ users: [pbx("201")] }), tenant: knownTenant() },
    ],
  },

  "BILL-1": {
    breaks: [
      {
        name: "Professional granted by a credential with Manage Users only",
        manifest: manifest({ users: [pbx("201", { accessType: "professional" })] }),
        tenant: knownTenant({ users: [pbx("201")], credential: { permissions: ["websiteAccess", "manageUsers"] } }),
        expect: [{ path: ["users", 0], resource: "user ext 201", message: /billable change \(\+professional\) needs Manage Users and Manage Billable Items.*lacks Manage Billable Items/, fix: /Manage Billable Items, or keep the user's licences/ }],
      },
      {
        name: "removing an add-on is a billable change too",
        manifest: manifest({ users: [pbx("201")] }),
        tenant: knownTenant({ users: [pbx("201", { addOns: ["crm"] })], credential: { permissions: ["websiteAccess", "manageUsers"] } }),
        expect: [{ path: ["users", 0], message: /billable change \(-crm\)/, fix: /Manage Billable Items/ }],
      },
      {
        name: "a metered supervisor tier",
        manifest: manifest({ users: [pbx("201", { tier: "analytics" })] }),
        tenant: knownTenant({ users: [pbx("201")], licences: { analytics: { capacity: 10 } }, credential: { permissions: ["websiteAccess", "manageUsers"] } }),
        expect: [{ path: ["users", 0], message: /billable change \(\+analytics\)/, fix: /keep the user's licences, add-ons and tier/ }],
      },
    ],
    passes: [
      {
        name: "a change to no billable item with a credential that lacks Manage Billable Items",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true, manageContactDirectories: true } })] }),
        tenant: knownTenant({ users: [pbx("201")], credential: { permissions: ["websiteAccess", "manageUsers"] } }),
      },
      {
        name: "an unmetered tier is not billable (e.g. Ooma's Reports)",
        manifest: manifest({ users: [pbx("201", { tier: "reports" })] }),
        tenant: knownTenant({ users: [pbx("201")], licences: { analytics: { capacity: 10 } }, credential: { permissions: ["websiteAccess", "manageUsers"] } }),
      },
      {
        name: "a billable change with Manage Users and Manage Billable Items",
        manifest: manifest({ users: [pbx("201", { accessType: "professional" })] }),
        tenant: knownTenant({ users: [pbx("201")], credential: { permissions: ["manageUsers", "manageBillableItems"] } }),
      },
    ],
  },

  "AUTH-1": {
    breaks: [
      {
        name: "adding a user without Manage Users",
        manifest: manifest({ users: [pbx("201", { tier: "reports" })] }),
        tenant: knownTenant({ credential: { permissions: ["websiteAccess"] } }),
        expect: [{ path: ["users", 0], message: /adding this user needs Manage Users.*lacks/, fix: /token of a user who has Manage Users/ }],
      },
      {
        name: "changing a live user without Manage Users",
        manifest: manifest({ users: [pbx("201", { tier: "reports" })] }),
        tenant: knownTenant({ users: [pbx("201")], credential: { permissions: ["websiteAccess"] } }),
        expect: [{ path: ["users", 0], message: /changing this user needs Manage Users/, fix: /leave the user as it is/ }],
      },
      {
        name: "creating a workspace and a grant without Workspace Administrator",
        manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "u201@example.com" }] }], users: [pbx("201", { tier: "analytics" })] }),
        tenant: knownTenant({ users: [pbx("201", { tier: "analytics" })], credential: { permissions: ["websiteAccess", "manageUsers"] } }),
        expect: [
          { path: ["workspaces", 0], resource: "workspace Ops", message: /creating workspace "Ops" needs Workspace Administrator/, fix: /Workspace Administrator, or leave workspaces as they are/ },
          { path: ["workspaces", 0, "members", 0], message: /changing this grant needs Workspace Administrator/, fix: /Workspace Administrator/ },
        ],
      },
    ],
    passes: [
      {
        name: "a user declared as it is live needs no Manage Users",
        manifest: manifest({ users: [pbx("201", { tier: "reports" })] }),
        tenant: knownTenant({ users: [pbx("201", { tier: "reports" })], credential: { permissions: ["websiteAccess"] } }),
      },
      {
        name: "a workspace and grant as they are live need no Workspace Administrator",
        manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "u201@example.com" }] }], users: [pbx("201", { tier: "analytics" })] }),
        tenant: knownTenant({
          users: [pbx("201", { tier: "analytics" })],
          workspaces: ["Ops"],
          grants: [{ user: "U201@example.com", workspace: "Ops", access: "view" }],
          credential: { permissions: ["websiteAccess", "manageUsers"] },
        }),
      },
    ],
  },

  "LIC-1": {
    breaks: [{
      name: "capacity + 1",
      manifest: manifest({ users: ["201", "202", "203"].map((e) => pbx(e, { tier: "liveAnalytics" })) }),
      tenant: knownTenant({ licences: { liveAnalytics: { capacity: 2 } } }),
      expect: [{ path: ["users", 2, "tier"], resource: "user ext 203", message: /licence liveAnalytics: 3 users would hold it \(3 declared\) but the tenant has 2/, fix: /take liveAnalytics from 1 user or buy 1 more licence$/ }],
    }, {
      name: "live users outside the plan count",
      manifest: manifest({ users: ["201", "202"].map((e) => pbx(e, { addOns: ["agent"] })) }),
      tenant: knownTenant({ users: [pbx("203", { addOns: ["agent"] })], licences: { agent: { capacity: 2 } } }),
      expect: [{ path: ["users", 1, "addOns"], message: /3 users would hold it \(2 declared \+ 1 live outside the plan\) but the tenant has 2/, fix: /take agent from 1 user/ }],
    }],
    passes: [
      { name: "exactly at capacity", manifest: manifest({ users: ["201", "202"].map((e) => pbx(e, { tier: "liveAnalytics" })) }), tenant: knownTenant({ licences: { liveAnalytics: { capacity: 2 } } }) },
      {
        name: "a swap at full capacity: A gives up liveAnalytics, B takes it",
        manifest: manifest({ users: [pbx("201", { tier: "analytics" }), pbx("202", { tier: "liveAnalytics" })] }),
        tenant: knownTenant({
          users: [pbx("201", { tier: "liveAnalytics" }), pbx("202", { tier: "analytics" })],
          licences: { liveAnalytics: { capacity: 1, inUse: 1 } },
        }),
      },
    ],
  },

  "UC-1": {
    breaks: [{
      name: "a softphone on Essential",
      manifest: manifest({ users: [pbx("201", { ucClient: { softphone: { device: "d201" } } })] }),
      tenant: knownTenant(),
      expect: [{ path: ["users", 0, "ucClient", "softphone"], message: /softphone needs the Professional licence; this user has essential/, fix: /`accessType: professional`.*or remove the softphone/ }],
    }],
    passes: [{ name: "a softphone on Professional", manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "d201" } } })] }), tenant: knownTenant() }],
  },

  "UC-2": {
    breaks: [
      {
        name: "a softphone on another extension's device",
        manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "d202" } } })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "ucClient", "softphone", "device"], message: /device "d202" does not belong to extension 201/, fix: /one of the user's own devices/ }],
      },
      {
        name: "a CRM softphone on a device that is not WebRTC-enabled",
        manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "d201", client: "crm" } } })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "ucClient", "softphone", "device"], message: /device "d201" is not WebRTC-enabled.*CRM softphone/, fix: /WebRTC-enabled device, or use the desktop client/ }],
      },
    ],
    passes: [
      {
        name: "a CRM softphone on the user's WebRTC device",
        manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "w201", client: "crm" } } })] }),
        tenant: knownTenant({ directory: [dir("201", { devices: [{ id: "d201" }, { id: "w201", webrtc: true }] })] }),
      },
      { name: "a desktop softphone on a device without WebRTC", manifest: manifest({ users: [pbx("201", { accessType: "professional", ucClient: { softphone: { device: "d201" } } })] }), tenant: knownTenant() },
    ],
  },

  "UC-3": {
    breaks: [{
      name: "the CRM client without the CRM add-on",
      manifest: manifest({ users: [pbx("201", { ucClient: { crm: true } })] }),
      expect: [{ path: ["users", 0, "ucClient", "crm"], message: /CRM client access needs the CRM add-on/, fix: /add `crm` to `addOns`.*or remove `ucClient.crm`/ }],
    }],
    passes: [{ name: "the CRM client with the CRM add-on", manifest: manifest({ users: [pbx("201", { addOns: ["crm"], ucClient: { crm: true } })] }) }],
  },

  "REC-1": {
    breaks: [{
      name: "Recording Playback without a recording bucket",
      manifest: manifest({ users: [manual("ann@example.com", { permissions: { websiteAccess: true, recordingPlayback: "own" } })] }),
      tenant: knownTenant({ recordingBucket: false }),
      expect: [{ path: ["users", 0, "permissions", "recordingPlayback"], message: /Recording Playback is granted but the tenant has no call-recording bucket/, fix: /configure a recording bucket.*or remove `recordingPlayback`/ }],
    }],
    passes: [
      { name: "Recording Playback with a bucket", manifest: manifest({ users: [manual("ann@example.com", { permissions: { websiteAccess: true, recordingPlayback: "all" } })] }), tenant: knownTenant({ recordingBucket: true }) },
      { name: "recordingPlayback: false without a bucket", manifest: manifest({ users: [manual("ann@example.com", { permissions: { websiteAccess: true, recordingPlayback: false } })] }), tenant: knownTenant() },
    ],
  },

  "GRP-1": {
    breaks: [
      {
        name: "a primary group the user is not a member of",
        manifest: manifest({ groups: [{ name: "Sales" }, { name: "Support" }], users: [pbx("201", { groups: ["Sales"], primaryGroup: "Support" })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "primaryGroup"], message: /primary group "Support" is not one of the user's groups/, fix: /add "Support" to `groups`, or pick one of: Sales$/ }],
      },
      {
        name: "a group that is neither declared nor live",
        manifest: manifest({ groups: [{ name: "Sales" }], users: [pbx("201", { groups: ["Sales", "Ghosts"] })] }),
        tenant: knownTenant({ groups: ["Support"] }),
        expect: [{ path: ["users", 0, "groups"], message: /group "Ghosts" does not exist/, fix: /declare it under `groups`, or fix the name/ }],
      },
    ],
    passes: [
      { name: "a primary group among the user's groups", manifest: manifest({ groups: [{ name: "Sales" }, { name: "Support" }], users: [pbx("201", { groups: ["Sales", "Support"], primaryGroup: "Support" })] }), tenant: knownTenant() },
      { name: "a group that exists only in the tenant", manifest: manifest({ users: [pbx("201", { groups: ["Support"], primaryGroup: "Support" })] }), tenant: knownTenant({ groups: ["Support"] }) },
    ],
  },

  "WS-1": {
    breaks: [
      {
        name: "a grant for a user without Website Access",
        manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "u201@example.com" }] }], users: [pbx("201", { tier: "analytics", permissions: { websiteAccess: false } })] }),
        tenant: knownTenant(),
        expect: [{ path: ["workspaces", 0, "members", 0, "user"], resource: "grant u201@example.com → workspace Ops", message: /u201@example\.com has no Website Access, so cannot open workspace "Ops"/, fix: /give the user Website Access.*or remove the grant/ }],
      },
      {
        name: "a grant for a user who is neither declared nor live",
        manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "ghost@example.com" }] }] }),
        tenant: knownTenant(),
        expect: [{ path: ["workspaces", 0, "members", 0, "user"], message: /user ghost@example\.com is neither declared nor in the tenant/, fix: /declare the user, or fix the email or extension/ }],
      },
    ],
    passes: [
      {
        name: "grants by email (any case) and by extension to users on a dashboard tier",
        manifest: manifest({
          workspaces: [{ name: "Ops", members: [{ user: "U201@Example.com", access: "admin" }, { user: "202" }] }],
          users: [pbx("201", { tier: "analytics" }), pbx("202", { tier: "contactCenter" })],
        }),
        tenant: knownTenant(),
      },
      {
        name: "a grant for a live user outside the manifest",
        manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "u203@example.com" }] }] }),
        tenant: knownTenant({ users: [pbx("203", { tier: "analytics" })] }),
      },
    ],
  },

  "WS-2": {
    breaks: [{
      name: "a grant for a user on the reports tier",
      manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "ann@example.com" }] }], users: [manual("ann@example.com", { tier: "reports" })] }),
      expect: [{ path: ["workspaces", 0, "members", 0, "user"], message: /ann@example\.com has tier "reports"; workspaces hold dashboards.*analytics tier or above/, fix: /raise the user's tier to analytics or above, or remove the grant/ }],
    }],
    passes: [{ name: "a grant for a user exactly on the analytics tier", manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "ann@example.com" }] }], users: [manual("ann@example.com", { tier: "analytics" })] }) }],
  },

  "AGT-1": {
    breaks: [{
      name: "the Agent add-on when the tenant assigns it automatically",
      manifest: manifest({ users: [pbx("201", { addOns: ["agent"] })] }),
      tenant: knownTenant({ agentAutoAssign: true }),
      expect: [{ path: ["users", 0, "addOns"], message: /assigns the Agent add-on automatically from PBX config.*fight the platform/, fix: /remove `agent` from `addOns`/ }],
    }],
    passes: [
      { name: "the Agent add-on when auto-assign is off", manifest: manifest({ users: [pbx("201", { addOns: ["agent"] })] }), tenant: knownTenant({ agentAutoAssign: false }) },
      { name: "other add-ons when auto-assign is on", manifest: manifest({ users: [pbx("201", { addOns: ["crm"] })] }), tenant: knownTenant({ agentAutoAssign: true }) },
    ],
  },

  "X8-1": {
    breaks: [
      {
        name: "Essentials on X1 with the seed's table",
        manifest: manifest({ profile: "8x8", users: [pbx("801", { analyticsTier: "essentials" })] }),
        tenant: knownTenant({ profile: "8x8", directory: [dir("801", { serviceLicence: "X1" })] }),
        expect: [{ path: ["users", 0, "analyticsTier"], message: /analytics tier essentials needs a service licence of X2, X5, X6, X8, X8e; extension 801 has X1/, fix: /upgrade the extension's service licence, or choose a lower analytics tier/ }],
      },
      {
        name: "Essentials on an extension without a service licence",
        manifest: manifest({ profile: "8x8", users: [pbx("801", { analyticsTier: "essentials" })] }),
        tenant: knownTenant({ profile: "8x8", directory: [dir("801")] }),
        expect: [{ path: ["users", 0, "analyticsTier"], message: /extension 801 has none/, fix: /upgrade/ }],
      },
    ],
    passes: [
      { name: "Essentials on X2 with the seed's table", manifest: manifest({ profile: "8x8", users: [pbx("802", { analyticsTier: "essentials" })] }), tenant: knownTenant({ profile: "8x8", directory: [dir("802", { serviceLicence: "X2" })] }) },
      {
        name: "Essentials on X1 when the tenant's table widens essentials to X1",
        manifest: manifest({ profile: "8x8", users: [pbx("801", { analyticsTier: "essentials" })] }),
        tenant: knownTenant({ profile: "8x8", directory: [dir("801", { serviceLicence: "X1" })], x8LicenceTiers: { essentials: ["X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8", "X8e"], supervisor: ["X4", "X5", "X6", "X7", "X8", "X8e"] } }),
      },
    ],
  },

  "X8-2": {
    breaks: [
      {
        name: "Supervisor on X5 with the seed's table",
        manifest: manifest({ profile: "8x8", users: [pbx("805", { analyticsTier: "supervisor" })] }),
        tenant: knownTenant({ profile: "8x8", directory: [dir("805", { serviceLicence: "X5" })] }),
        expect: [{ path: ["users", 0, "analyticsTier"], message: /analytics tier supervisor needs a service licence of X6, X8, X8e; extension 805 has X5/, fix: /upgrade the extension's service licence/ }],
      },
      {
        name: "Supervisor on X6 when the tenant's table narrows supervisor to X8e",
        manifest: manifest({ profile: "8x8", users: [pbx("806", { analyticsTier: "supervisor" })] }),
        tenant: knownTenant({ profile: "8x8", directory: [dir("806", { serviceLicence: "X6" })], x8LicenceTiers: { essentials: ["X6", "X8e"], supervisor: ["X8e"] } }),
        expect: [{ path: ["users", 0, "analyticsTier"], message: /needs a service licence of X8e; extension 806 has X6/, fix: /choose a lower analytics tier/ }],
      },
    ],
    passes: [
      { name: "Supervisor on X6 with the seed's table", manifest: manifest({ profile: "8x8", users: [pbx("806", { analyticsTier: "supervisor" })] }), tenant: knownTenant({ profile: "8x8", directory: [dir("806", { serviceLicence: "X6" })] }) },
      {
        name: "Supervisor on X4 when the tenant's table widens supervisor to X4+",
        manifest: manifest({ profile: "8x8", users: [pbx("804", { analyticsTier: "supervisor" })] }),
        tenant: knownTenant({ profile: "8x8", directory: [dir("804", { serviceLicence: "X4" })], x8LicenceTiers: { essentials: ["X1", "X2", "X3", "X4"], supervisor: ["X4"] } }),
      },
    ],
  },

  "ROLE-1": {
    breaks: [
      {
        name: "a role that is not declared",
        manifest: manifest({ roles: [{ name: "team-lead", tier: "analytics" }], users: [pbx("201", { roles: ["team-lead", "team-laed"] })] }),
        expect: [{ path: ["users", 0, "roles", 1], message: /role "team-laed" is not declared/, fix: /declare it under `roles`, or use one of: team-lead/ }],
      },
      {
        name: "a role that is neither declared nor in the tenant",
        manifest: manifest({ profile: "officeathand", users: [pbx("201", { roles: ["Auditors"] })] }),
        tenant: knownTenant({ profile: "officeathand", roles: [{ name: "Auditor" }] }),
        expect: [{ path: ["users", 0, "roles", 0], message: /role "Auditors" is not declared and does not exist in the tenant/, fix: /use one of: .*Auditor/ }],
      },
    ],
    passes: [
      { name: "a declared role template", manifest: manifest({ roles: [{ name: "team-lead", tier: "analytics" }], users: [pbx("201", { roles: ["team-lead"] })] }) },
      { name: "a role that exists only in the tenant", manifest: manifest({ profile: "officeathand", users: [pbx("201", { roles: ["Auditor"] })] }), tenant: knownTenant({ profile: "officeathand", roles: [{ name: "Auditor" }] }) },
      { name: "an Office@Hand preset role, offline", manifest: manifest({ profile: "officeathand", users: [pbx("201", { roles: ["Super Admin"] })] }) },
    ],
  },

  "ROLE-2": {
    breaks: [
      {
        name: "declaring a preset role",
        manifest: manifest({ profile: "officeathand", roles: [{ name: "Super Admin", reportPermissions: ["performance"] }] }),
        expect: [{ path: ["roles", 0, "name"], resource: "role Super Admin", message: /"Super Admin" is a preset role and is read-only/, fix: /give the custom role another name; assign the preset by name/ }],
      },
      {
        name: "a preset name in another case",
        manifest: manifest({ profile: "officeathand", roles: [{ name: "billing admin" }] }),
        expect: [{ path: ["roles", 0, "name"], message: /"Billing Admin" is a preset role/, fix: /another name/ }],
      },
      {
        name: "a role the tenant marks as preset",
        manifest: manifest({ profile: "officeathand", roles: [{ name: "Auditor" }] }),
        tenant: knownTenant({ profile: "officeathand", roles: [{ name: "Auditor", preset: true }] }),
        expect: [{ path: ["roles", 0, "name"], message: /"Auditor" is a preset role and is read-only/, fix: /another name/ }],
      },
    ],
    passes: [
      { name: "a custom role", manifest: manifest({ profile: "officeathand", roles: [{ name: "Live Desk", reportPermissions: ["liveReportsViewOnly"] }] }) },
      { name: "a custom role the tenant has (not preset)", manifest: manifest({ profile: "officeathand", roles: [{ name: "Auditor" }] }), tenant: knownTenant({ profile: "officeathand", roles: [{ name: "Auditor" }] }) },
    ],
  },

  "PROF-1": {
    breaks: [
      {
        name: "a supervisor tier on 8x8",
        manifest: manifest({ profile: "8x8", users: [pbx("801", { tier: "reports" })] }),
        expect: [{ path: ["users", 0, "tier"], message: /the 8x8 profile has no "tier"/, fix: /remove it; 8x8 has: .*analyticsTier/ }],
      },
      {
        name: "report permissions on a Dimensions role",
        manifest: manifest({ roles: [{ name: "viewers", reportPermissions: ["performance"] }] }),
        expect: [{ path: ["roles", 0, "reportPermissions"], message: /the dimensions profile has no "reportPermissions"/, fix: /dimensions has: .*tier, permissions/ }],
      },
      {
        name: "groups and workspaces on Office@Hand",
        manifest: manifest({ profile: "officeathand", groups: [{ name: "Sales" }], workspaces: [{ name: "Ops" }] }),
        expect: [
          { path: ["groups"], resource: "manifest", message: /the officeathand profile has no groups/, fix: /only dimensions and ooma tenants have them/ },
          { path: ["workspaces"], resource: "manifest", message: /the officeathand profile has no workspaces/, fix: /remove `workspaces`/ },
        ],
      },
    ],
    passes: [
      { name: "an 8x8 user with its analytics tier", manifest: manifest({ profile: "8x8", users: [pbx("801", { displayName: "Ann", analyticsTier: "none" })] }) },
      { name: "an IntelePeer user with Insights and a role", manifest: manifest({ profile: "intelepeer", roles: [{ name: "east", accountScopes: ["ACME-east"] }], users: [manual("ann@example.com", { insights: true, roles: ["east"] })] }) },
      { name: "Ooma with groups and workspaces", manifest: manifest({ profile: "ooma", groups: [{ name: "Sales" }], workspaces: [{ name: "Ops" }] }) },
    ],
  },

  "NAME-1": {
    breaks: [
      {
        name: "two groups whose names differ only in case",
        manifest: manifest({ groups: [{ name: "Sales" }, { name: "sales" }] }),
        expect: [{ path: ["groups", 1, "name"], resource: "group sales", message: /group "sales" is declared twice \(first at groups\[0\]\)/, fix: /merge the two declarations or rename one/ }],
      },
      {
        name: "two users with one extension",
        manifest: manifest({ users: [pbx("201"), pbx("201", { tier: "reports" })] }),
        expect: [{ path: ["users", 1, "extension"], message: /user ext 201 is declared twice \(first at users\.0\)/, fix: /merge the two declarations/ }],
      },
      {
        name: "two manual users whose emails differ only in case are one user",
        manifest: manifest({ users: [manual("ann@example.com"), manual("ANN@example.com")] }),
        expect: [{ path: ["users", 1, "email"], message: /user ANN@example\.com is declared twice/, fix: /merge/ }],
      },
      {
        name: "two grants of one user to one workspace",
        manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "ann@example.com" }, { user: "Ann@example.com", access: "admin" }] }], users: [manual("ann@example.com", { tier: "analytics" })] }),
        expect: [{ path: ["workspaces", 0, "members", 1, "user"], message: /Ann@example\.com is granted access to workspace "Ops" twice/, fix: /keep one grant/ }],
      },
    ],
    passes: [{
      name: "distinct names, extensions and grants",
      manifest: manifest({
        groups: [{ name: "Sales" }, { name: "Sales East" }],
        roles: [{ name: "lead" }, { name: "leads" }],
        workspaces: [{ name: "Ops", members: [{ user: "ann@example.com" }] }, { name: "Ops 2", members: [{ user: "ann@example.com" }] }],
        users: [pbx("201"), pbx("2010"), manual("ann@example.com", { tier: "analytics" })],
      }),
    }],
  },

  "INS-1": {
    breaks: [{
      name: "a role scoped to the master account (a warning)",
      manifest: manifest({ profile: "intelepeer", roles: [{ name: "all", accountScopes: ["ACME", "ACME-east"] }] }),
      tenant: knownTenant({ profile: "intelepeer", masterAccount: "ACME" }),
      expect: [{ path: ["roles", 0, "accountScopes"], resource: "role all", message: /role "all" includes the master account ACME.*sees all messaging data/, fix: /sub-accounts only/ }],
    }],
    passes: [{ name: "a role scoped to sub-accounts", manifest: manifest({ profile: "intelepeer", roles: [{ name: "east", accountScopes: ["ACME-east"] }] }), tenant: knownTenant({ profile: "intelepeer", masterAccount: "ACME" }) }],
  },
};

describe("the case table", () => {
  it("covers every rule of the catalogue, and nothing else", () => {
    expect(Object.keys(CASES).sort()).toEqual([...RULE_IDS].sort());
  });
  it.each(RULE_IDS)("%s has a case that breaks it and a boundary case that passes", (id) => {
    expect(CASES[id].breaks.length).toBeGreaterThan(0);
    expect(CASES[id].passes.length).toBeGreaterThan(0);
  });
});

const breaks = RULE_IDS.flatMap((id) => CASES[id].breaks.map((c) => [id, c.name, c] as const));
const passes = RULE_IDS.flatMap((id) => CASES[id].passes.map((c) => [id, c.name, c] as const));

describe("each rule rejects", () => {
  it.each(breaks)("%s: %s", (id, _name, c) => {
    const { violations, unchecked } = validateManifest(c.manifest, c.tenant);
    const hits = violations.filter((v) => v.rule === id);
    expect(hits.map((h) => h.path)).toEqual(c.expect.map((e) => e.path));
    hits.forEach((h, i) => {
      const e = c.expect[i];
      expect(h.message).toMatch(e.message);
      expect(h.fix).toMatch(e.fix);
      if (e.resource) expect(h.resource).toBe(e.resource);
      expect(h.severity).toBe(RULES[id].severity);
      expect(h.source).toBe(RULES[id].source);
    });
    expect(unchecked).not.toContain(id);
  });
});

describe("each rule passes at its boundary", () => {
  it.each(passes)("%s: %s", (id, _name, c) => {
    const { violations, unchecked } = validateManifest(c.manifest, c.tenant);
    expect(violations).toEqual([]);
    expect(unchecked).not.toContain(id);
  });
});

describe("validateManifest", () => {
  it("returns every violation at once", () => {
    const m = manifest({
      groups: [{ name: "Sales" }],
      users: [
        manual("ann@example.com", { accessType: "professional", permissions: { manageUsers: true } }), // SRC-1, WEB-2
        pbx("201", { accessType: "none" }), // SRC-2
        pbx("202", { addOns: ["agent"], ucClient: { crm: true } }), // UC-3
        pbx("203", { groups: ["Sales"], primaryGroup: "Support" }), // GRP-1
      ],
    });
    const { violations } = validateManifest(m);
    expect(violations.map((v) => v.rule).sort()).toEqual(["GRP-1", "SRC-1", "SRC-2", "UC-3", "WEB-2"]);
    expect(violations.map((v) => v.path[1])).toEqual(expect.arrayContaining([0, 1, 2, 3]));
  });

  it("reports offline every rule that needs tenant facts as unchecked, and judges none of them", () => {
    const { violations, unchecked } = validateManifest(
      manifest({ users: [pbx("299", { accessType: "professional", addOns: ["agent"], permissions: { websiteAccess: true, recordingPlayback: "all" }, groups: ["Ghosts"] })] }),
    );
    expect(violations).toEqual([]);
    expect(unchecked.sort()).toEqual(["AGT-1", "AUTH-1", "BILL-1", "GRP-1", "INS-1", "LIC-1", "REC-1", "SRC-3", "SRC-4", "UC-2", "WS-1", "X8-1", "X8-2"]);
    expect(unchecked.sort()).toEqual(RULE_IDS.filter((id) => RULES[id].needs.length > 0).sort());
  });

  it("reports as unchecked exactly the rules whose facts the tenant lacks", () => {
    const settingsOnly = tenant({ agentAutoAssign: true, licences: { professional: { capacity: 0 } } });
    const { violations, unchecked } = validateManifest(manifest({ users: [pbx("299", { addOns: ["agent"], accessType: "professional" })] }), settingsOnly);
    expect(unchecked.sort()).toEqual(["AUTH-1", "BILL-1", "GRP-1", "REC-1", "SRC-3", "SRC-4", "UC-2", "WS-1", "X8-1", "X8-2"]);
    // Settings and licences are judged; the directory is unknown, so extension 299 is not questioned.
    expect(violations.map((v) => v.rule).sort()).toEqual(["AGT-1", "LIC-1"]);
    expect(validateManifest(manifest(), knownTenant()).unchecked).toEqual([]);
    expect(validateManifest(manifest(), knownTenant({ credential: undefined })).unchecked.sort()).toEqual(["AUTH-1", "BILL-1"]);
  });
});
