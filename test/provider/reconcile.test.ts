// Reconciling under real-world conditions, through the engine model (its write pool runs
// independent steps in parallel, as `pulumi up` does): licence swaps at full capacity,
// out-of-band changes (412), and an unreliable platform (503s, 429s, dropped connections).
import { describe, expect, it } from "vitest";
import { declaredProject, type Declared } from "../support/projects";
import { dynamicSteps, expectNowhere, nameOf, ops, stepOf, tenantStack } from "../support/runs";
import { apiUser, startTestTenant, type TestTenant } from "../support/tenant";

/** A tenant on a platform of its own for the length of `fn`. */
async function withTenant<T>(opts: Parameters<typeof startTestTenant>[0], fn: (t: TestTenant) => Promise<T>): Promise<T> {
  const t = await startTestTenant(opts);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

/** PBX users by extension, declared by the program in the order given. */
const users = (spec: [string, Record<string, unknown>][]): Declared[] =>
  spec.map(([ext, args]) => ({ kind: "User", name: `ext-${ext}`, args: { extension: ext, ...args } }));

async function patchOutOfBand(tenant: TestTenant, email: string, patch: Record<string, unknown>) {
  const u = (await apiUser(tenant, email))!;
  const res = await fetch(`${tenant.platform.apiUrl}/users/${u.id}`, {
    method: "PATCH", headers: { authorization: `Bearer ${tenant.adminToken}`, "content-type": "application/json", "if-match": u.etag }, body: JSON.stringify(patch),
  });
  expect(res.status).toBe(200);
}

// Every test has a platform of its own: they run side by side.
describe.concurrent("reconciling", () => {
  describe("licence swap in one up", () => {
    it("A gives up the only Live Analytics licence and B takes it, whatever order the engine runs them in", () => withTenant({ licences: { liveAnalytics: 1, realtime: 1, professional: 5 } }, async (t) => {
      const p = declaredProject({ resources: users([["201", { tier: "liveAnalytics" }], ["202", {}]]) });
      const stack = tenantStack(t, p.dir);
      const first = await stack.up();
      expect(first.ok, first.text()).toBe(true);
      /** One up that moves the licence from `from` to `to`, the two declared in the order given. */
      const swap = async (declared: [string, Record<string, unknown>][], from: string, to: string) => {
        p.declare({ resources: users(declared) });
        t.platform.resetStats();
        const r = await stack.up();
        const patches = t.platform.stats().byRoute["PATCH /users/{id}"];
        expect(r.ok, r.text()).toBe(true);
        expect(dynamicSteps(r).map((s) => [nameOf(s.urn), s.op, s.error]).sort()).toEqual([["ext-201", "update", undefined], ["ext-202", "update", undefined]]);
        expect((await apiUser(t, `user${to}@acme.example`))?.roles).toContain("customer.supervisor.live");
        expect((await apiUser(t, `user${from}@acme.example`))?.roles).not.toContain("customer.supervisor.live");
        expectNowhere(r, stack, t.adminToken);
        const update = (ext: string) => r.calls.find((c) => c.method === "update" && nameOf(c.urn) === `ext-${ext}`)!;
        // Whether the taker's update reached the platform while the licence was still held: it
        // started before the other had finished, and was refused (409) and sent again.
        return update(to).start < update(from).end && patches > 2;
      };
      // The SDK registers resources in an order of its own, not the program's: a resource with more
      // declared inputs takes longer to serialize and reaches the engine later. The one giving up the
      // licence is declared with more, so the taker's update tends to start first, find the licence
      // taken (409) and wait for the other update to release it; both directions are run, whichever order
      // the engine sees, and at least one of them must have gone that way.
      const releasing = { tier: "analytics", accessType: "essential", groups: [], permissions: { websiteAccess: true } };
      const there = await swap([["202", { tier: "liveAnalytics" }], ["201", releasing]], "201", "202");
      const back = await swap([["202", releasing], ["201", { tier: "liveAnalytics" }]], "202", "201");
      expect([there, back]).toContain(true);
    }));
  });

  describe("out-of-band changes (412)", () => {
    /** A stack that made ext 201 an analytics user, its program now raising the tier. */
    const start = async (t: TestTenant) => {
      const p = declaredProject({ resources: users([["201", { tier: "analytics" }]]) });
      const stack = tenantStack(t, p.dir);
      const first = await stack.up();
      expect(first.ok, first.text()).toBe(true);
      p.declare({ resources: users([["201", { tier: "liveAnalytics" }]]) });
      return stack;
    };

    it("re-applies when the portal change touched other fields, and keeps that change", () => withTenant({}, async (t) => {
      const stack = await start(t);
      await patchOutOfBand(t, "user201@acme.example", { softphoneDevice: null, groups: [] }); // other fields, bumps the etag
      const r = await stack.up();
      expect(r.ok, r.text()).toBe(true);
      expect(ops(r)).toEqual({ "ext-201": "update" });
      expect((await apiUser(t, "user201@acme.example"))?.roles).toContain("customer.supervisor.live");
      // State holds the platform's new version, so the next up has nothing to do.
      expect(stack.resources()[0].outputs.etag).toBe((await apiUser(t, "user201@acme.example"))?.etag);
    }));

    it("fails, saying what changed and to refresh, when the portal changed the same field", () => withTenant({}, async (t) => {
      const stack = await start(t);
      await patchOutOfBand(t, "user201@acme.example", { roles: ["customer.user.pbx", "customer.permission.website", "customer.supervisor.reports"] });
      const before = stack.resources()[0];
      const r = await stack.up();
      expect(r.ok).toBe(false);
      expect(stepOf(r, "ext-201")).toMatchObject({ op: "update", error: expect.stringMatching(/changed outside Pulumi \(roles\).*pulumi refresh/) });
      expect(r.text()).toMatch(/updating failed: .*changed outside Pulumi \(roles\)/);
      expect((await apiUser(t, "user201@acme.example"))?.roles).toContain("customer.supervisor.reports");
      // The failed update leaves the resource's state as it was, and no pending operation.
      expect(stack.resources()[0]).toEqual(before);
      expect(stack.state().pendingOperations).toEqual([]);
    }));
  });

  describe("an unreliable platform", () => {
    it("an up of 200 users with 10% 503s, dropped connections and 429s completes, once each, equal to the declaration", () => withTenant({ users: 200, licences: { professional: 200, analytics: 100 } }, async (t) => {
      const spec: [string, Record<string, unknown>][] = [];
      for (let i = 1; i <= 200; i++) spec.push([String(200 + i), i % 2 ? { tier: "analytics" } : { accessType: "professional" }]);
      const manual: Declared[] = Array.from({ length: 20 }, (_, i) => ({ kind: "User", name: `guest-${i}`, args: { email: `guest${i}@partner.example`, tier: "reports" } }));
      const p = declaredProject({ resources: [...users(spec), ...manual] });
      const stack = tenantStack(t, p.dir);
      t.platform.setFaults([{ error503: 0.1, dropConnection: 0.1 }]);
      t.platform.setRateLimit({ perMinute: 6000, burst: 30 }); // parallel steps run into it: real 429s with Retry-After
      const r = await stack.up({ timeoutMs: 170_000 });
      t.platform.clearFaults();
      t.platform.setRateLimit(false);
      expect(dynamicSteps(r).filter((s) => s.error)).toEqual([]);
      expect(r.ok, r.text()).toBe(true);
      expect(dynamicSteps(r).filter((s) => s.op === "create")).toHaveLength(220);
      expect(stack.resources()).toHaveLength(220);
      const page = (await (await fetch(`${t.platform.apiUrl}/users?limit=500`, { headers: { authorization: `Bearer ${t.adminToken}` } })).json()) as { items: { email: string; extension: string | null; roles: string[] }[] };
      const guests = page.items.filter((u) => u.email.endsWith("@partner.example"));
      expect(guests).toHaveLength(20); // no duplicate from a retried POST
      for (let i = 1; i <= 200; i++) {
        const u = page.items.find((x) => x.extension === String(200 + i))!;
        expect(u.roles).toContain(i % 2 ? "customer.supervisor.analytics" : "customer.user.uc.remote");
      }
      // The faults did happen: 220 writes were needed, the retries are on top.
      expect(t.platform.stats().writes).toBeGreaterThan(220);
    }), 180_000);
  });
});
