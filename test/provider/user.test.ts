// The User resource through the SDK's real dynamic-provider host, against the real platform:
// the engine's sequences for preview, up (create, update, replace, no-op), refresh and destroy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderHost, type ResourceState, urnFor } from "../support/engine";
import { serializedStub } from "../support/engine-serialize";
import { updateTenantSettings } from "../../platform";
import { apiUser, auditCount, startTestTenant, type TestTenant } from "../support/tenant";

const USER_TYPE = "pulumi-nodejs:dynamic/analytics-access:User";
let t: TestTenant;
let provider: string;

beforeAll(async () => {
  t = await startTestTenant();
  provider = await serializedStub("user");
});
afterAll(async () => t?.close());

/** One `pulumi` command: a fresh host process, configured like the engine does. */
async function run<T>(fn: (host: ProviderHost) => Promise<T>, token?: string): Promise<T> {
  const host = await ProviderHost.start();
  try {
    await host.configure(t.config(token), { secretKeys: ["analytics-access:token"] });
    const result = await fn(host);
    // The token is in no state, no check failure, no error and nothing the host printed.
    for (const secret of [t.adminToken, t.limitedToken]) {
      expect(JSON.stringify(result)).not.toContain(secret);
      expect(host.output()).not.toContain(secret);
    }
    return result;
  } finally {
    await host.stop();
  }
}

const desired = (name: string, inputs: Record<string, unknown>) => ({ urn: urnFor(name, USER_TYPE), inputs: { ...inputs, __provider: provider } as Record<string, unknown> });

describe("User resource through the real host", () => {
  let state: ResourceState[] = [];
  const declared = () => [
    desired("ext-201", { extension: "201", tier: "analytics", groups: [], permissions: { recordingPlayback: "own" } }),
    desired("ext-202", { extension: "202", accessType: "professional", ucClient: { softphone: { device: "desk-202" } } }),
    desired("auditor", { email: "Auditor@Partner.example", displayName: "Auditor", tier: "reports" }),
  ];

  it("preview checks every resource, plans creates and changes nothing", async () => {
    const before = await auditCount(t);
    t.platform.resetStats();
    const steps = await run((h) => h.preview(declared()));
    expect(steps.map((s) => s.op)).toEqual(["create", "create", "create"]);
    expect(steps[0].inputs).toMatchObject({ origin: "pbx", extension: "201", email: "user201@acme.example", accessType: "essential", tier: "analytics", permissions: { websiteAccess: true, recordingPlayback: "own" } });
    expect(t.platform.stats().writes).toBe(0);
    expect(await auditCount(t)).toBe(before);
  });

  it("up adopts PBX users and creates the manual one", async () => {
    const res = await run((h) => h.up(declared()));
    expect(res.steps.map((s) => [s.op, s.error])).toEqual([["create", undefined], ["create", undefined], ["create", undefined]]);
    state = res.states;
    expect((await apiUser(t, "user201@acme.example"))?.roles).toEqual(expect.arrayContaining(["customer.user.pbx", "customer.supervisor.analytics", "customer.permission.website", "customer.permission.recording.own"]));
    expect(await apiUser(t, "user202@acme.example")).toMatchObject({ softphoneDevice: "desk-202", roles: expect.arrayContaining(["customer.user.uc.remote"]) });
    expect((await apiUser(t, "auditor@partner.example"))?.roles).toEqual(expect.arrayContaining(["customer.supervisor.reports"]));
    expect(state[2].outputs).toMatchObject({ origin: "manual", tier: "reports", userId: expect.any(String), etag: expect.any(String) });
  });

  it("a second up with nothing changed makes zero write calls", async () => {
    t.platform.resetStats();
    const res = await run((h) => h.up(declared(), state));
    expect(res.steps.map((s) => s.op)).toEqual(["same", "same", "same"]);
    expect(t.platform.stats().writes).toBe(0);
  });

  it("up updates a changed tier in place", async () => {
    const next = declared();
    next[0].inputs.tier = "liveAnalytics";
    const res = await run((h) => h.up(next, state));
    expect(res.steps.map((s) => s.op)).toEqual(["update", "same", "same"]);
    state = res.states;
    expect((await apiUser(t, "user201@acme.example"))?.roles).toEqual(expect.arrayContaining(["customer.supervisor.live", "customer.user.pbx.realtime"]));
  });

  it("refresh reads every user from one list, and sees a change made in the portal", async () => {
    const u = (await apiUser(t, "auditor@partner.example"))!;
    await fetch(`${t.platform.apiUrl}/users/${u.id}`, {
      method: "PATCH", headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json", "if-match": u.etag },
      body: JSON.stringify({ roles: ["customer.permission.website", "customer.supervisor.analytics"] }),
    });
    t.platform.resetStats();
    const res = await run((h) => h.refresh(state));
    expect(res.ok).toBe(true);
    expect(t.platform.stats().total).toBeLessThanOrEqual(Math.ceil(state.length / 500) + 2);
    expect(res.states[2].outputs).toMatchObject({ tier: "analytics" });
    state = res.states;
    // The next up puts back what the manifest says.
    const back = await run((h) => h.up(declared().map((d, i) => (i === 0 ? { ...d, inputs: { ...d.inputs, tier: "liveAnalytics" } } : d)), state));
    expect(back.steps.map((s) => s.op)).toEqual(["same", "same", "update"]);
    state = back.states;
    expect((await apiUser(t, "auditor@partner.example"))?.roles).toContain("customer.supervisor.reports");
  });

  it("changing a PBX user's extension replaces it: the old one is revoked, the new one adopted", async () => {
    const next = declared();
    next[0].inputs = { ...next[0].inputs, extension: "203", tier: "liveAnalytics" };
    const res = await run((h) => h.up(next, state));
    expect(res.steps[0]).toMatchObject({ op: "replace" });
    state = res.states;
    expect((await apiUser(t, "user201@acme.example"))?.roles).toEqual(["customer.user.pbx"]);
    expect((await apiUser(t, "user203@acme.example"))?.roles).toContain("customer.supervisor.live");
  });

  it("destroy deletes manual users and revokes PBX users to their baseline", async () => {
    const res = await run((h) => h.destroy(state));
    expect(res.ok).toBe(true);
    expect(await apiUser(t, "auditor@partner.example")).toBeUndefined();
    expect((await apiUser(t, "user202@acme.example"))).toMatchObject({ roles: ["customer.user.pbx"], softphoneDevice: null });
    expect((await apiUser(t, "user203@acme.example"))?.roles).toEqual(["customer.user.pbx"]);
  });
});

describe("Check rejects at preview with the rule id, and nothing changes", () => {
  it.each([
    ["WEB-2", { email: "a@x.example", permissions: { manageUsers: true } }, "permissions.manageUsers"],
    ["WEB-1", { extension: "204", tier: "analytics", permissions: { websiteAccess: false } }, "permissions.websiteAccess"],
    ["SRC-1", { email: "b@x.example", accessType: "professional" }, "accessType"],
    ["SRC-3", { extension: "999" }, "extension"],
    ["UC-1", { extension: "204", ucClient: { softphone: { device: "desk-204" } } }, "ucClient.softphone"],
    ["UC-2", { extension: "204", accessType: "professional", ucClient: { softphone: { device: "desk-205" } } }, "ucClient.softphone.device"],
    ["MAIL-1", { email: "USER204@acme.example", tier: "reports" }, "email"],
  ])("%s", async (rule, inputs, property) => {
    const before = await auditCount(t);
    const steps = await run((h) => h.preview([desired(`bad-${rule}`, inputs)]));
    expect(steps[0].op).toBe("failed");
    expect(steps[0].failures).toEqual(expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringContaining(`[${rule}]`) })]));
    expect(await auditCount(t)).toBe(before);
  });

  it("BILL-1: a credential without Manage Billable Items may not add Professional", async () => {
    const steps = await run((h) => h.preview([desired("bill", { extension: "205", accessType: "professional" })]), t.limitedToken);
    expect(steps[0].failures?.[0].reason).toMatch(/\[BILL-1\].*\+professional.*Manage Billable Items/);
    const ok = await run((h) => h.preview([desired("nobill", { extension: "205", permissions: { websiteAccess: true } })]), t.limitedToken);
    expect(ok[0].op).toBe("create");
  });

  it("AUTH-1: a credential without Manage Users may not change users; REC-1 without a recording bucket", async () => {
    t.platform.createPortalUser(t.tenantId, { email: "viewer@acme.example", roles: ["customer.permission.website"] });
    const viewer = t.platform.issueToken(t.tenantId, "viewer@acme.example");
    const steps = await run((h) => h.preview([desired("auth", { extension: "206", tier: "reports" })]), viewer);
    expect(steps[0].failures?.[0].reason).toMatch(/^\[AUTH-1\] changing this user needs Manage Users/);
    updateTenantSettings(t.platform.store, t.tenantId, { recordingBucket: null });
    try {
      const rec = await run((h) => h.preview([desired("rec", { extension: "206", permissions: { websiteAccess: true, recordingPlayback: "own" } })]));
      expect(rec[0].failures).toEqual([expect.objectContaining({ property: "permissions.recordingPlayback", reason: expect.stringMatching(/^\[REC-1\]/) })]);
    } finally {
      updateTenantSettings(t.platform.store, t.tenantId, { recordingBucket: "s3://acme-recordings" });
    }
  });

  it("a schema error names the field", async () => {
    const steps = await run((h) => h.preview([desired("typo", { email: "c@x.example", tier: "analytic" })]));
    expect(steps[0].failures?.[0]).toMatchObject({ property: "tier" });
  });
});
