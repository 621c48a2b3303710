// Licence counting in depth, through LIC-1 and BILL-1: what counts as a licence, where the count
// stops, and what a billable change is. The families' case tables (rules/licences.test.ts,
// rules/authority.test.ts) have one break and one pass per rule; this file walks the boundaries.
import { describe, expect, it } from "vitest";
import { knownTenant, manifest, manual, pbx, tenant, type UserInput as User, violationsOf } from "../test/support/builders";
import { buildContext, declaredSet, type LicenceKey, licenceUse, validateManifest } from ".";

const exts = (n: number) => Array.from({ length: n }, (_, i) => String(201 + i));
const directory = exts(6).map((e) => ({ extension: e, displayName: `User ${e}`, email: `u${e}@example.com`, devices: [{ id: `d${e}` }] }));

describe("LIC-1 counts each licence up to capacity", () => {
  const holders: [LicenceKey, (ext: string) => User, string][] = [
    ["professional", (e) => pbx(e, { accessType: "professional" }), "accessType"],
    ["agent", (e) => pbx(e, { addOns: ["agent"] }), "addOns"],
    ["crm", (e) => pbx(e, { addOns: ["crm"] }), "addOns"],
    ["reports", (e) => pbx(e, { tier: "reports" }), "tier"],
    ["analytics", (e) => pbx(e, { tier: "analytics" }), "tier"],
    ["liveAnalytics", (e) => pbx(e, { tier: "liveAnalytics" }), "tier"],
    ["contactCenter", (e) => pbx(e, { tier: "contactCenter" }), "tier"],
  ];
  it.each(holders)("%s: capacity passes, capacity + 1 fails at the first user over", (key, holder, field) => {
    const t = knownTenant({ directory, licences: { [key]: { capacity: 3 } } });
    expect(violationsOf("LIC-1", manifest({ users: exts(3).map(holder) }), t)).toEqual([]);
    const over = violationsOf("LIC-1", manifest({ users: exts(4).map(holder) }), t);
    expect(over).toHaveLength(1);
    expect(over[0].path).toEqual(["users", 3, field]);
    expect(over[0].message).toMatch(new RegExp(`licence ${key}: 4 users would hold it \\(4 declared\\) but the tenant has 3`));
  });

  it("says how many to take back or buy", () => {
    const t = knownTenant({ directory, licences: { professional: { capacity: 1 } } });
    const [v] = violationsOf("LIC-1", manifest({ users: exts(3).map((e) => pbx(e, { accessType: "professional" })) }), t);
    expect(v.path).toEqual(["users", 1, "accessType"]);
    expect(v.fix).toBe("take professional from 2 users or buy 2 more licences");
  });

  it("capacity 0 rejects the first holder", () => {
    const t = knownTenant({ directory, licences: { crm: { capacity: 0 } } });
    expect(violationsOf("LIC-1", manifest({ users: [pbx("201"), pbx("202", { addOns: ["crm"] })] }), t).map((v) => v.path)).toEqual([["users", 1, "addOns"]]);
  });

  it("does not count a key the tenant does not meter (e.g. Ooma includes Reports)", () => {
    const t = knownTenant({ directory, licences: { analytics: { capacity: 0 } } });
    expect(violationsOf("LIC-1", manifest({ users: exts(6).map((e) => pbx(e, { tier: "reports" })) }), t)).toEqual([]);
  });

  it("counts tiers exclusively: Contact Center does not take a Live Analytics licence", () => {
    const t = knownTenant({ directory, licences: { liveAnalytics: { capacity: 0 }, analytics: { capacity: 0 } } });
    expect(violationsOf("LIC-1", manifest({ users: [pbx("201", { tier: "contactCenter" })] }), t)).toEqual([]);
  });

  it("counts licences a role template brings", () => {
    const t = knownTenant({ directory, licences: { agent: { capacity: 1 } } });
    const m = manifest({ roles: [{ name: "agents", addOns: ["agent"] }], users: [pbx("201", { roles: ["agents"] }), pbx("202", { roles: ["agents"] })] });
    expect(violationsOf("LIC-1", m, t).map((v) => v.path)).toEqual([["users", 1, "addOns"]]);
  });
});

describe("LIC-1 and the live tenant", () => {
  const la = (e: string) => pbx(e, { tier: "liveAnalytics" });
  const none = (e: string) => pbx(e, { tier: "analytics" });

  it("a swap at full capacity passes: A gives up liveAnalytics, B takes it", () => {
    const t = knownTenant({ directory, users: [la("201"), none("202")], licences: { liveAnalytics: { capacity: 1, inUse: 1 } } });
    expect(violationsOf("LIC-1", manifest({ users: [none("201"), la("202")] }), t)).toEqual([]);
  });

  it("half a swap at full capacity fails: B takes it and A keeps it", () => {
    const t = knownTenant({ directory, users: [la("201"), none("202")], licences: { liveAnalytics: { capacity: 1, inUse: 1 } } });
    const v = violationsOf("LIC-1", manifest({ users: [la("201"), la("202")] }), t);
    expect(v.map((x) => x.path)).toEqual([["users", 1, "tier"]]);
    expect(v[0].message).toMatch(/2 users would hold it \(2 declared\) but the tenant has 1/);
  });

  it("a live holder left out of the manifest keeps its licence", () => {
    const t = knownTenant({ directory, users: [la("201")], licences: { liveAnalytics: { capacity: 1, inUse: 1 } } });
    const v = violationsOf("LIC-1", manifest({ users: [la("202")] }), t);
    expect(v).toHaveLength(1);
    expect(v[0].path).toEqual(["users", 0, "tier"]);
    expect(v[0].message).toMatch(/2 users would hold it \(1 declared \+ 1 live outside the plan\) but the tenant has 1/);
    expect(v[0].fix).toMatch(/take liveAnalytics from 1 user or buy 1 more licence/);
  });

  it("live holders that the live list does not show count through inUse", () => {
    // The tenant says 2 are in use, the token sees one of them (201), which the plan keeps.
    const t = knownTenant({ directory, users: [la("201")], licences: { liveAnalytics: { capacity: 2, inUse: 2 } } });
    expect(violationsOf("LIC-1", manifest({ users: [la("201")] }), t)).toEqual([]);
    const v = violationsOf("LIC-1", manifest({ users: [la("201"), la("202")] }), t);
    expect(v[0].message).toMatch(/3 users would hold it \(2 declared \+ 1 live outside the plan\) but the tenant has 2/);
  });

  it("licenceUse reports declared and outside use per metered key", () => {
    const m = manifest({ users: [la("201"), pbx("202", { accessType: "professional" })] });
    const t = knownTenant({ directory, users: [la("203"), pbx("204", { accessType: "professional" })], licences: { liveAnalytics: { capacity: 5, inUse: 4 }, professional: { capacity: 9 } } });
    const ctx = buildContext(m, t);
    const use = licenceUse(declaredSet(m, ctx), ctx);
    expect(use).toEqual([
      { key: "liveAnalytics", capacity: 5, declared: 1, outside: 1 + 3 },
      { key: "professional", capacity: 9, declared: 1, outside: 1 },
    ]);
  });

  it("Real-Time is consumed with Live Analytics and Contact Center only where the tenant says so", () => {
    const m = manifest({ users: [pbx("201", { tier: "liveAnalytics" }), pbx("202", { tier: "contactCenter" }), pbx("203", { tier: "analytics" })] });
    expect(violationsOf("LIC-1", m, knownTenant({ directory, realTimeWithLive: true, licences: { realtime: { capacity: 2 } } }))).toEqual([]);
    expect(violationsOf("LIC-1", m, knownTenant({ directory, realTimeWithLive: true, licences: { realtime: { capacity: 1 } } })).map((v) => v.path)).toEqual([["users", 1, "tier"]]);
    expect(violationsOf("LIC-1", m, knownTenant({ directory, realTimeWithLive: false, licences: { realtime: { capacity: 0 } } }))).toEqual([]);
  });

  it("is judged with licences alone (no live users known)", () => {
    const t = tenant({ licences: { crm: { capacity: 1 } } });
    expect(violationsOf("LIC-1", manifest({ users: [pbx("201", { addOns: ["crm"] }), pbx("202", { addOns: ["crm"] })] }), t)).toHaveLength(1);
  });
});

describe("LIC-1 on 8x8 and Office@Hand", () => {
  it("counts 8x8 analytics tiers", () => {
    const t = knownTenant({ profile: "8x8", directory: exts(2).map((e) => ({ extension: e, displayName: e, serviceLicence: "X8" })), licences: { x8Supervisor: { capacity: 1 } } });
    const m = manifest({ profile: "8x8", users: [pbx("201", { analyticsTier: "supervisor" }), pbx("202", { analyticsTier: "supervisor" })] });
    expect(violationsOf("LIC-1", m, t).map((v) => v.path)).toEqual([["users", 1, "analyticsTier"]]);
  });

  it("counts a Live Reports licence per user whose roles carry a Live Reports permission", () => {
    const t = knownTenant({ profile: "officeathand", directory, licences: { liveReports: { capacity: 1 } } });
    const roles = [{ name: "Live Desk", reportPermissions: ["liveReportsViewOnly" as const] }, { name: "Perf", reportPermissions: ["performance" as const] }];
    expect(violationsOf("LIC-1", manifest({ profile: "officeathand", roles, users: [pbx("201", { roles: ["Live Desk"] }), pbx("202", { roles: ["Perf"] })] }), t)).toEqual([]);
    expect(violationsOf("LIC-1", manifest({ profile: "officeathand", roles, users: [pbx("201", { roles: ["Live Desk"] }), pbx("202", { roles: ["Live Desk", "Perf"] })] }), t).map((v) => v.path))
      .toEqual([["users", 1, "roles"]]);
  });

  it("counts the Super Admin preset, which carries Live Reports, but not Billing Admin", () => {
    const t = knownTenant({ profile: "officeathand", directory, licences: { liveReports: { capacity: 1 } } });
    expect(violationsOf("LIC-1", manifest({ profile: "officeathand", users: [pbx("201", { roles: ["Super Admin"] }), pbx("202", { roles: ["Billing Admin"] })] }), t)).toEqual([]);
    expect(violationsOf("LIC-1", manifest({ profile: "officeathand", users: [pbx("201", { roles: ["Super Admin"] }), pbx("202", { roles: ["Super Admin"] })] }), t).map((v) => v.path))
      .toEqual([["users", 1, "roles"]]);
  });
});

describe("BILL-1: which changes are billable", () => {
  const manageUsersOnly = { permissions: ["websiteAccess" as const, "manageUsers" as const] };
  const bill = (declared: User[], live: User[], extra = {}) =>
    violationsOf("BILL-1", manifest({ users: declared }), knownTenant({ directory, users: live, credential: manageUsersOnly, ...extra }));

  it("lists every billable item added and removed", () => {
    const [v] = bill([pbx("201", { accessType: "professional", addOns: ["agent"] })], [pbx("201", { addOns: ["crm"] })]);
    expect(v.message).toMatch(/billable change \(\+professional, \+agent, -crm\)/);
  });

  it("reports each user whose billable items change, e.g. both sides of a swap", () => {
    const v = bill([pbx("201"), pbx("202", { addOns: ["agent"] })], [pbx("201", { addOns: ["agent"] }), pbx("202")]);
    expect(v.map((x) => [x.path, x.message.match(/\((.*)\)/)?.[1]])).toEqual([[["users", 0], "-agent"], [["users", 1], "+agent"]]);
  });

  it("adding a new user with a billable item is a billable change", () => {
    expect(bill([pbx("201", { addOns: ["crm"] })], []).map((v) => v.message)).toEqual([expect.stringMatching(/\(\+crm\)/)]);
  });

  it("Real-Time is billable even when the Live Analytics tier is not metered", () => {
    const v = bill([pbx("201", { tier: "liveAnalytics" })], [pbx("201")], { realTimeWithLive: true });
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/\(\+realtime\)/)]);
    expect(bill([pbx("201", { tier: "liveAnalytics" })], [pbx("201")], { realTimeWithLive: false })).toEqual([]);
  });

  it("moving between two metered tiers is billable; between unmetered ones it is not", () => {
    const metered = { licences: { analytics: { capacity: 9 }, liveAnalytics: { capacity: 9 } } };
    expect(bill([pbx("201", { tier: "liveAnalytics" })], [pbx("201", { tier: "analytics" })], metered)[0].message).toMatch(/\(\+liveAnalytics, -analytics\)/);
    expect(bill([pbx("201", { tier: "liveAnalytics" })], [pbx("201", { tier: "analytics" })])).toEqual([]);
  });

  it("an Agent add-on the tenant assigns automatically is the platform's, not a change (AGT-1 forbids declaring it)", () => {
    const live = [pbx("201", { addOns: ["agent"] })];
    const autoTenant = (credential: { permissions: ("websiteAccess" | "manageUsers")[] }) =>
      knownTenant({ directory: [{ ...directory[0], acdAgent: true }], users: live, agentAutoAssign: true, credential });
    const m = manifest({ users: [pbx("201")] });
    expect(validateManifest(m, autoTenant(manageUsersOnly)).violations).toEqual([]);
    expect(validateManifest(m, autoTenant({ permissions: ["websiteAccess"] })).violations).toEqual([]);
    // Without auto-assignment, dropping it is a billable change.
    expect(bill([pbx("201")], live).map((v) => v.message)).toEqual([expect.stringMatching(/\(-agent\)/)]);
  });

  it("changing permissions, groups or UC clients alone is not billable", () => {
    expect(bill([pbx("201", { permissions: { websiteAccess: true, silentMonitor: true }, ucClient: { desktop: true } })], [pbx("201")])).toEqual([]);
  });

  it("a credential without Manage Users gets AUTH-1, not BILL-1 as well", () => {
    const m = manifest({ users: [pbx("201", { accessType: "professional" })] });
    const t = knownTenant({ directory, users: [pbx("201")], credential: { permissions: ["websiteAccess"] } });
    expect(violationsOf("AUTH-1", m, t)).toHaveLength(1);
    expect(violationsOf("BILL-1", m, t)).toEqual([]);
  });

  it("is not judged without the credential or the live users", () => {
    const m = manifest({ users: [manual("ann@example.com", { tier: "analytics" }), pbx("201", { accessType: "professional" })] });
    expect(violationsOf("BILL-1", m, knownTenant({ directory, credential: undefined }))).toEqual([]);
    expect(violationsOf("BILL-1", m, knownTenant({ directory, users: undefined, credential: manageUsersOnly }))).toEqual([]);
    expect(violationsOf("BILL-1", m, knownTenant({ directory, credential: manageUsersOnly }))).toHaveLength(1);
  });
});
