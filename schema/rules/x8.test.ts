// The x8 family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { dir, knownTenant, manifest, manual, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { describe, expect, it } from "vitest";
import { validateManifest } from "..";
import { x8 } from "./x8";

describeRuleCases(x8, {
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
      {
        name: "Essentials on a manual user (the platform's 422 X8-1)",
        manifest: manifest({ profile: "8x8", users: [manual("ann@example.com", { analyticsTier: "essentials" })] }),
        tenant: knownTenant({ profile: "8x8" }),
        expect: [{ path: ["users", 0, "analyticsTier"], resource: "user ann@example.com", message: /analytics tier essentials needs a service licence of X2, X5, X6, X8, X8e; a manual user has none/, fix: /remove analyticsTier from the manual user, or declare the person as a PBX user/ }],
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
      {
        name: "Supervisor on a manual user, with tenant facts (the platform's 422 X8-2)",
        manifest: manifest({ profile: "8x8", users: [manual("bo@example.com", { analyticsTier: "supervisor" })] }),
        tenant: knownTenant({ profile: "8x8" }),
        expect: [{ path: ["users", 0, "analyticsTier"], resource: "user bo@example.com", message: /analytics tier supervisor needs a service licence of X6, X8, X8e; a manual user has none/, fix: /remove analyticsTier/ }],
      },
    ],
    passes: [
      { name: "a manual user without an analytics tier", manifest: manifest({ profile: "8x8", users: [manual("bo@example.com", { analyticsTier: "none" })] }), tenant: knownTenant({ profile: "8x8" }) },
      { name: "Supervisor on X6 with the seed's table", manifest: manifest({ profile: "8x8", users: [pbx("806", { analyticsTier: "supervisor" })] }), tenant: knownTenant({ profile: "8x8", directory: [dir("806", { serviceLicence: "X6" })] }) },
      {
        name: "Supervisor on X4 when the tenant's table widens supervisor to X4+",
        manifest: manifest({ profile: "8x8", users: [pbx("804", { analyticsTier: "supervisor" })] }),
        tenant: knownTenant({ profile: "8x8", directory: [dir("804", { serviceLicence: "X4" })], x8LicenceTiers: { essentials: ["X1", "X2", "X3", "X4"], supervisor: ["X4"] } }),
      },
    ],
  },
});

describe("X8 on a manual user", () => {
  it("is refused offline too: a manual user has no service licence whatever the tenant", () => {
    const { violations } = validateManifest(manifest({ profile: "8x8", users: [manual("ann@example.com", { analyticsTier: "supervisor" })] }));
    expect(violations.map((v) => [v.rule, v.resource, v.path.join(".")])).toEqual([["X8-2", "user ann@example.com", "users.0.analyticsTier"]]);
    expect(violations[0].fix).toMatch(/remove analyticsTier/);
  });
});
