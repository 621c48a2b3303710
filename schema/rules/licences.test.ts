// The licences family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { knownTenant, manifest, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { licences } from "./licences";

describeRuleCases(licences, {
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
});
