// The insights family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { knownTenant, manifest } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { insights } from "./insights";

describeRuleCases(insights, {
  "INS-1": {
    breaks: [{
      name: "a role scoped to the master account (a warning)",
      manifest: manifest({ profile: "intelepeer", roles: [{ name: "all", accountScopes: ["ACME", "ACME-east"] }] }),
      tenant: knownTenant({ profile: "intelepeer", masterAccount: "ACME" }),
      expect: [{ path: ["roles", 0, "accountScopes"], resource: "role all", message: /role "all" includes the master account ACME.*sees all messaging data/, fix: /sub-accounts only/ }],
    }],
    passes: [{ name: "a role scoped to sub-accounts", manifest: manifest({ profile: "intelepeer", roles: [{ name: "east", accountScopes: ["ACME-east"] }] }), tenant: knownTenant({ profile: "intelepeer", masterAccount: "ACME" }) }],
  },
});
