// The authority family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { knownTenant, manifest, manual, pbx } from "../../test/support/builders";
import { PERMISSIONS } from "../permissions";
import { describeRuleCases } from "../../test/support/rule-cases";
import { authority } from "./authority";

describeRuleCases(authority, {
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
        // Not an authority permission: granting Manage Contact Directories without holding it is AUTH-2.
        name: "a change to no billable item with a credential that lacks Manage Billable Items",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true, silentMonitor: true } })] }),
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

  "AUTH-2": {
    breaks: [
      {
        name: "granting Customer Settings with a credential that holds Manage Users but not Customer Settings",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true, customerSettings: true } })] }),
        tenant: knownTenant({ users: [pbx("201")], credential: { permissions: ["websiteAccess", "manageUsers"] } }),
        expect: [{ path: ["users", 0, "permissions"], resource: "user ext 201", message: /only a holder of an authority permission may grant it or take it away.*does not hold Customer Settings/, fix: /token of a user who holds it, or leave this user's Customer Settings as it is/ }],
      },
      {
        name: "taking away an authority permission the credential lacks (another user still holds it)",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true } })] }),
        tenant: knownTenant({
          users: [pbx("201", { permissions: { websiteAccess: true, webhooksAdministrator: true } }), pbx("202", { permissions: { websiteAccess: true, webhooksAdministrator: true } })],
          credential: { permissions: ["websiteAccess", "manageUsers", "manageBillableItems"] },
        }),
        expect: [{ path: ["users", 0, "permissions"], message: /does not hold Webhooks Administrator/, fix: /holds it/ }],
      },
      {
        name: "creating a user with two authority permissions the credential lacks",
        manifest: manifest({ users: [manual("ops@example.com", { permissions: { websiteAccess: true, restApiAdministrator: true, webhooksAdministrator: true } })] }),
        tenant: knownTenant({ credential: { permissions: ["websiteAccess", "manageUsers", "manageBillableItems"] } }),
        expect: [{ path: ["users", 0, "permissions"], message: /does not hold Rest Api Administrator, Webhooks Administrator/, fix: /holds them, or leave .* as they are/ }],
      },
    ],
    passes: [
      {
        name: "granting an authority permission the credential holds",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true, customerSettings: true } })] }),
        tenant: knownTenant({ users: [pbx("201")], credential: { permissions: ["websiteAccess", "manageUsers", "customerSettings"] } }),
      },
      {
        name: "granting permissions that are not authority (Silent Monitor, Supervisor Agent Control) with Manage Users only",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true, silentMonitor: true, supervisorAgentControl: true } })] }),
        tenant: knownTenant({ users: [pbx("201")], credential: { permissions: ["websiteAccess", "manageUsers"] } }),
      },
      {
        name: "a user keeping an authority permission the credential lacks, while another field changes",
        manifest: manifest({ users: [pbx("201", { tier: "reports", permissions: { websiteAccess: true, restApiAdministrator: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, restApiAdministrator: true } })], credential: { permissions: ["websiteAccess", "manageUsers"] } }),
      },
    ],
  },

  "AUTH-3": {
    breaks: [
      {
        name: "the credential's own user given a permission (its email in another case)",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true, manageUsers: true, silentMonitor: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, manageUsers: true } })], credential: { email: "U201@Example.com", permissions: [...PERMISSIONS] } }),
        expect: [{ path: ["users", 0, "permissions"], resource: "user ext 201", message: /acting credential's own user \(U201@Example\.com\); a token cannot give its own user a permission: Silent Monitor/, fix: /ask another admin who holds it to grant it/ }],
      },
      {
        name: "the credential's own user moved to another recording scope",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true, manageUsers: true, recordingPlayback: "all" } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, manageUsers: true, recordingPlayback: "own" } })], credential: { email: "u201@example.com", permissions: [...PERMISSIONS] } }),
        expect: [{ path: ["users", 0, "permissions"], message: /cannot give its own user a permission: Recording Playback/, fix: /another admin/ }],
      },
      {
        name: "the credential's own user added to a named role (Office@Hand)",
        manifest: manifest({ profile: "officeathand", users: [pbx("201", { roles: ["Auditor"] })] }),
        tenant: knownTenant({ profile: "officeathand", roles: [{ name: "Auditor" }], users: [pbx("201")], credential: { email: "u201@example.com", permissions: [...PERMISSIONS] } }),
        expect: [{ path: ["users", 0, "roles"], message: /cannot add its own user to a named role: Auditor/, fix: /ask another admin to assign the role/ }],
      },
    ],
    passes: [
      {
        name: "the credential's own user taking a permission away from itself",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true, manageUsers: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, manageUsers: true, silentMonitor: true } })], credential: { email: "u201@example.com", permissions: [...PERMISSIONS] } }),
      },
      {
        name: "another user given the same permission",
        manifest: manifest({ users: [pbx("202", { permissions: { websiteAccess: true, silentMonitor: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, manageUsers: true } }), pbx("202")], credential: { email: "u201@example.com", permissions: [...PERMISSIONS] } }),
      },
      {
        name: "the credential's own user declared as it is live, and changed in a field that is no permission",
        manifest: manifest({ users: [pbx("201", { tier: "reports", permissions: { websiteAccess: true, manageUsers: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, manageUsers: true } })], credential: { email: "u201@example.com", permissions: [...PERMISSIONS] } }),
      },
      {
        name: "another user added to a named role",
        manifest: manifest({ profile: "officeathand", users: [pbx("202", { roles: ["Auditor"] })] }),
        tenant: knownTenant({ profile: "officeathand", roles: [{ name: "Auditor" }], users: [pbx("201"), pbx("202")], credential: { email: "u201@example.com", permissions: [...PERMISSIONS] } }),
      },
    ],
  },

  "AUTH-4": {
    breaks: [
      {
        name: "the only live holder of Customer Settings loses it",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, customerSettings: true } })] }),
        expect: [{ path: ["users", 0, "permissions"], resource: "user ext 201", message: /last holder of Customer Settings once the plan is applied/, fix: /grant Customer Settings to another user first, or let this user keep it/ }],
      },
      {
        name: "both live holders lose it: reported once, at the last",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true } }), pbx("202", { permissions: { websiteAccess: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, manageUsers: true } }), pbx("202", { permissions: { websiteAccess: true, manageUsers: true } })] }),
        expect: [{ path: ["users", 1, "permissions"], resource: "user ext 202", message: /last holder of Manage Users/, fix: /another user first/ }],
      },
    ],
    passes: [
      {
        name: "another holder outside the plan keeps it",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, customerSettings: true } }), pbx("202", { permissions: { websiteAccess: true, customerSettings: true } })] }),
      },
      {
        name: "a hand-over within the plan: one user gains it as the last holder loses it",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true } }), pbx("202", { permissions: { websiteAccess: true, customerSettings: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, customerSettings: true } }), pbx("202")] }),
      },
      {
        name: "a permission nobody holds live stays unheld",
        manifest: manifest({ users: [pbx("201", { permissions: { websiteAccess: true } })] }),
        tenant: knownTenant({ users: [pbx("201", { permissions: { websiteAccess: true, silentMonitor: true } })] }),
      },
    ],
  },
});
