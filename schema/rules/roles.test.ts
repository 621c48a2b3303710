// The roles family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { knownTenant, manifest, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { roles } from "./roles";

describeRuleCases(roles, {
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
        expect: [{ path: ["roles", 0, "name"], resource: "role Super Admin", message: /"Super Admin" is a preset role and is read-only/, fix: /give the custom role another name; to assign the preset, name it in users' `roles`/ }],
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
      { name: "a preset declared with only its name and membership (manages its holders only)", manifest: manifest({ profile: "officeathand", roles: [{ name: "Super Admin", membership: "authoritative" }] }) },
      { name: "a custom role the tenant has (not preset)", manifest: manifest({ profile: "officeathand", roles: [{ name: "Auditor" }] }), tenant: knownTenant({ profile: "officeathand", roles: [{ name: "Auditor" }] }) },
    ],
  },
});
