// The profile family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { manifest, manual, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { profile } from "./profile";

describeRuleCases(profile, {
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
});
