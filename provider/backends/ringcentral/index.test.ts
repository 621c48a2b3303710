// The ringcentral backend against the embedded platform's RingCentral API: bulk-assign once per role
// with only the difference, the permission dictionary by display name, what it refuses, and its budget.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type RunningPlatform } from "../../../platform";
import { ringCentralStats, setRingCentralLimits } from "../../../platform/vendors/ringcentral";
import { Budget } from "./budget";
import { RingCentralBackend } from "./index";

let p: RunningPlatform;
let tenantId = "";
let jwt = "";
const backend = (token = jwt) => new RingCentralBackend({ endpoint: p.url, token, licenceWaitMs: 0, config: (k) => ({ clientId: "unit-app", clientSecret: "unit-secret" })[k] });

beforeAll(async () => {
  p = await startPlatform();
  tenantId = p.createTenant({ name: "Unit", profile: "officeathand" }).id;
  for (let i = 1; i <= 4; i++) p.addDirectoryEntry(tenantId, { extension: String(400 + i), displayName: `User ${400 + i}`, email: `u${400 + i}@unit.example` });
  p.createPortalUser(tenantId, { email: "admin@unit.example", displayName: "Admin", roles: ["customer.permission.website", "customer.permission.users"] });
  jwt = p.issueToken(tenantId, "admin@unit.example");
});
afterAll(() => p?.close());

describe("ringcentral backend", () => {
  it("lists extensions as users and presets from the dictionary, and says what it cannot carry", async () => {
    const b = backend();
    const users = await b.users.list();
    expect(users.map((u) => u.extension).sort()).toEqual(["401", "402", "403", "404"]);
    const roles = await b.roles.list();
    expect(roles.filter((r) => r.preset).map((r) => r.name).sort()).toEqual(["Billing Admin", "Phone System Admin", "Super Admin"]);
    expect(roles.find((r) => r.name === "Phone System Admin")!.reportPermissions).toEqual(["companyNumbers", "performance"]);
    const can = await b.capabilities();
    expect(can.kinds.user).toBe(true);
    expect(can.kinds.role).toBe(true);
    expect(can.kinds.group).toMatch(/no Analytics Portal groups/);
    expect(can.kinds["workspace-grant"]).toMatch(/workspace/);
    expect(await b.credential()).toEqual({ email: "admin@unit.example", permissions: ["websiteAccess", "manageUsers"] });
  });

  it("creates a custom role and changes its holders with one bulk-assign carrying only the difference", async () => {
    const b = backend();
    const users = await b.users.list();
    const id = (ext: string) => users.find((u) => u.extension === ext)!.id;
    const role = await b.roles.create({ name: "Leads", description: "Team leads", reportPermissions: ["performance", "liveReportsViewOnly"], accountScopes: [] });
    expect(role.reportPermissions).toEqual(["liveReportsViewOnly", "performance"]);
    p.resetStats();
    await b.roles.changeHolders(role.id, { add: [id("401"), id("402")], remove: [] });
    await b.roles.changeHolders(role.id, { add: [id("402"), id("403")], remove: [id("401")] });
    await b.roles.changeHolders(role.id, { add: [id("403")], remove: [id("401")] }); // nothing to change: no call
    const bulk = p.stats().byRoute["rc POST /restapi/v1.0/account/~/user-role/{roleId}/bulk-assign"];
    expect(bulk).toBe(2);
    expect(await backend().roles.holders(role.id)).toEqual([id("402"), id("403")].sort());
    const stored = p.store.getRoleByName(tenantId, "Leads")!;
    expect(stored.userIds.map((u) => p.store.getUser(tenantId, u)!.extension).sort()).toEqual(["402", "403"]);
  });

  it("a create retried after its answer was lost adopts the role (exists), and a deleted role is gone", async () => {
    const b = backend();
    await b.roles.create({ name: "Twice", description: "", reportPermissions: ["performance"], accountScopes: [] });
    const again = await b.roles.create({ name: "Twice", description: "", reportPermissions: ["performance"], accountScopes: [] }).catch((e: unknown) => e);
    expect(b.refusal(again)).toMatchObject({ kind: "exists" });
    const existingId = (b.refusal(again) as { existingId: string }).existingId;
    await b.roles.delete(existingId);
    expect(b.refusal(await b.roles.get(existingId).catch((e: unknown) => e))).toEqual({ kind: "gone" });
  });

  it("a report permission missing from the account's dictionary is an error naming it", async () => {
    const b = backend();
    // The account's dictionary without "Live Reports – Full Access" (as a plan without Live Reports would have it).
    const all = (b as unknown as { all: (g: string, url: string) => Promise<unknown[]> }).all.bind(b);
    (b as unknown as { all: typeof all }).all = async (g, url) => (await all(g, url)).filter((x) => (x as { displayName?: string }).displayName !== "Live Reports \u2013 Full Access");
    await expect(b.roles.create({ name: "Live", description: "", reportPermissions: ["liveReportsFullAccess"], accountScopes: [] }))
      .rejects.toThrow(/no permission named "Live Reports – Full Access" \(liveReportsFullAccess\)/);
  });

  it("a JWT the platform refuses fails the login without the JWT in the error", async () => {
    const bad = "not-a-valid-jwt-assertion-123";
    const err = (await backend(bad).users.list().then(() => new Error("logged in"), (e: unknown) => e)) as Error;
    expect(err.message).toMatch(/oauth\/token.*400 OAU-140/);
    expect(err.message).not.toContain(bad);
  });

  it("obeys Retry-After through a 429 storm and reports requests per group", async () => {
    setRingCentralLimits(p.store, { storm: 0.5, stormRetryAfterSeconds: 1 });
    ringCentralStats(p.store, true);
    try {
      const b = backend();
      expect((await b.users.list()).length).toBe(4);
      const facts = b.rateLimits();
      expect(facts.refused).toBe(ringCentralStats(p.store).refused);
      expect(facts.limits.map((l) => l.group)).toEqual(["Light", "Medium", "Heavy", "Auth"]);
      expect(b.requestsByGroup().Medium).toBeGreaterThanOrEqual(1);
    } finally {
      setRingCentralLimits(p.store, undefined);
    }
  }, 30_000);
});

describe("the client-side budget", () => {
  it("holds a group at its limit over a sliding window, and learns the portal's limit and what is left", async () => {
    let now = 0;
    const slept: number[] = [];
    const b = new Budget(() => now, async (ms) => { slept.push(ms); now += ms; });
    for (let i = 0; i < 10; i++) await b.take("Heavy");
    expect(slept).toEqual([]);
    await b.take("Heavy"); // the 11th within a minute waits for the first to leave the window
    expect(slept).toEqual([60_005]);
    b.learn("Light", { limit: 20, windowSeconds: 30, remaining: 5 }); // others used 15 of them
    slept.length = 0;
    for (let i = 0; i < 5; i++) await b.take("Light");
    expect(slept).toEqual([]);
    await b.take("Light");
    expect(slept.length).toBe(1);
    b.hold("Auth", 60);
    await b.take("Auth");
    expect(slept.at(-1)).toBe(60_000);
    expect(b.requests()).toEqual({ Light: 6, Medium: 0, Heavy: 11, Auth: 1 });
  });
});
