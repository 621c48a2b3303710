// The authority family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { knownTenant, manifest, pbx } from "../../test/support/builders";
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
});
