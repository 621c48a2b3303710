// Reconciling under real-world conditions: licence swaps at full capacity, out-of-band changes
// (412), and an unreliable platform (503s, 429s, dropped connections).
import { afterEach, describe, expect, it } from "vitest";
import { ProviderHost, type ResourceState, urnFor } from "../support/engine";
import { serializedStub } from "../support/engine-serialize";
import { apiUser, startTestTenant, type TestTenant } from "../support/tenant";

const USER_TYPE = "pulumi-nodejs:dynamic/analytics-access:User";
let t: TestTenant | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

async function run<T>(tenant: TestTenant, fn: (host: ProviderHost) => Promise<T>): Promise<T> {
  const host = await ProviderHost.start();
  try {
    await host.configure(tenant.config(), { secretKeys: ["analytics-access:token"] });
    return await fn(host);
  } finally {
    await host.stop();
  }
}

async function users(provider: string, spec: Record<string, Record<string, unknown>>) {
  return Object.entries(spec).map(([ext, inputs]) => ({ urn: urnFor(`ext-${ext}`, USER_TYPE), inputs: { extension: ext, ...inputs, __provider: provider } }));
}

async function patchOutOfBand(tenant: TestTenant, email: string, patch: Record<string, unknown>) {
  const u = (await apiUser(tenant, email))!;
  const res = await fetch(`${tenant.platform.apiUrl}/users/${u.id}`, {
    method: "PATCH", headers: { authorization: `Bearer ${tenant.adminToken}`, "content-type": "application/json", "if-match": u.etag }, body: JSON.stringify(patch),
  });
  expect(res.status).toBe(200);
}

describe("licence swap in one up", () => {
  it("A gives up the only Live Analytics licence and B takes it, whatever order the engine runs them in", async () => {
    t = await startTestTenant({ licences: { liveAnalytics: 1, realtime: 1, professional: 5 } });
    const provider = await serializedStub("user");
    const first = await run(t, async (h) => h.up(await users(provider, { "201": { tier: "liveAnalytics" }, "202": {} })));
    expect(first.ok).toBe(true);
    // B is listed first: its update reaches the platform while A still holds the licence.
    const swapped = await users(provider, { "202": { tier: "liveAnalytics" }, "201": {} });
    const prior = [...first.states].reverse();
    const res = await run(t, (h) => h.up(swapped, prior, { parallel: true }));
    expect(res.steps.map((s) => [s.op, s.error])).toEqual([["update", undefined], ["update", undefined]]);
    expect((await apiUser(t, "user202@acme.example"))?.roles).toContain("customer.supervisor.live");
    expect((await apiUser(t, "user201@acme.example"))?.roles).not.toContain("customer.supervisor.live");
  });
});

describe("out-of-band changes (412)", () => {
  let state: ResourceState[];
  let provider: string;
  const start = async () => {
    t = await startTestTenant();
    provider = await serializedStub("user");
    const res = await run(t, async (h) => h.up(await users(provider, { "201": { tier: "analytics" } })));
    state = res.states;
  };

  it("re-applies when the portal change touched other fields, and keeps that change", async () => {
    await start();
    await patchOutOfBand(t!, "user201@acme.example", { softphoneDevice: null, groups: [] }); // other fields, bumps the etag
    const res = await run(t!, async (h) => h.up(await users(provider, { "201": { tier: "liveAnalytics" } }), state));
    expect(res.steps[0]).toMatchObject({ op: "update" });
    expect((await apiUser(t!, "user201@acme.example"))?.roles).toContain("customer.supervisor.live");
  });

  it("fails, saying what changed and to refresh, when the portal changed the same field", async () => {
    await start();
    await patchOutOfBand(t!, "user201@acme.example", { roles: ["customer.user.pbx", "customer.permission.website", "customer.supervisor.reports"] });
    const res = await run(t!, async (h) => h.up(await users(provider, { "201": { tier: "liveAnalytics" } }), state));
    expect(res.steps[0].op).toBe("failed");
    expect(res.steps[0].error).toMatch(/changed outside Pulumi \(roles\).*pulumi refresh/);
    expect((await apiUser(t!, "user201@acme.example"))?.roles).toContain("customer.supervisor.reports");
  });
});

describe("an unreliable platform", () => {
  it("an up of 200 users with 10% 503s, dropped connections and 429s completes, once each, equal to the declaration", async () => {
    t = await startTestTenant({ users: 200, licences: { professional: 200, analytics: 100 } });
    const provider = await serializedStub("user");
    const spec: Record<string, Record<string, unknown>> = {};
    for (let i = 1; i <= 200; i++) spec[String(200 + i)] = i % 2 ? { tier: "analytics" } : { accessType: "professional" };
    const manual = Array.from({ length: 20 }, (_, i) => ({ urn: urnFor(`guest-${i}`, USER_TYPE), inputs: { email: `guest${i}@partner.example`, tier: "reports", __provider: provider } }));
    t.platform.setFaults([{ error503: 0.1, dropConnection: 0.1 }]);
    t.platform.setRateLimit({ perMinute: 6000, burst: 30 }); // parallel steps run into it: real 429s with Retry-After
    const res = await run(t, async (h) => h.up([...(await users(provider, spec)), ...manual], [], { parallel: true }));
    t.platform.clearFaults();
    t.platform.setRateLimit(false);
    expect(res.steps.filter((s) => s.op === "failed")).toEqual([]);
    const page = (await (await fetch(`${t.platform.apiUrl}/users?limit=500`, { headers: { authorization: `Bearer ${t.adminToken}` } })).json()) as { items: { email: string; extension: string | null; roles: string[] }[] };
    const guests = page.items.filter((u) => u.email.endsWith("@partner.example"));
    expect(guests).toHaveLength(20); // no duplicate from a retried POST
    for (let i = 1; i <= 200; i++) {
      const u = page.items.find((x) => x.extension === String(200 + i))!;
      expect(u.roles).toContain(i % 2 ? "customer.supervisor.analytics" : "customer.user.uc.remote");
    }
    // The faults did happen: 220 writes were needed, the retries are on top.
    expect(t.platform.stats().writes).toBeGreaterThan(220);
  }, 120_000);
});
