// The groups family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { knownTenant, manifest, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { groups } from "./groups";

describeRuleCases(groups, {
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
      {
        name: "a group typed decomposed where the declared one is precomposed (the portal matches exact names)",
        manifest: manifest({ groups: [{ name: "Caf\u00e9" }], users: [pbx("201", { groups: ["Cafe\u0301"] })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "groups"], message: /group "Cafe\u0301" does not exist \(it differs from "Caf\u00e9" only in Unicode normalization/, fix: /did you mean "Caf\u00e9"\? Retype the name, or save the file in NFC/ }],
      },
    ],
    passes: [
      { name: "a primary group among the user's groups", manifest: manifest({ groups: [{ name: "Sales" }, { name: "Support" }], users: [pbx("201", { groups: ["Sales", "Support"], primaryGroup: "Support" })] }), tenant: knownTenant() },
      { name: "a group that exists only in the tenant", manifest: manifest({ users: [pbx("201", { groups: ["Support"], primaryGroup: "Support" })] }), tenant: knownTenant({ groups: ["Support"] }) },
    ],
  },
});
