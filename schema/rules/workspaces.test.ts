// The workspaces family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { knownTenant, manifest, manual, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { workspaces } from "./workspaces";

describeRuleCases(workspaces, {
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
});
