// The embedded backend against the reference platform: records in the provider's terms, the
// platform's refusals classified, and the rate limit it learned from the platform's headers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type RunningPlatform } from "../../../platform";
import { EmbeddedBackend } from ".";

let p: RunningPlatform;
let backend: EmbeddedBackend;

beforeAll(async () => {
  p = await startPlatform({ rateLimit: { perMinute: 600, burst: 50 } });
  const t = p.createTenant({ name: "Acme", profile: "dimensions", recordingBucket: null, licences: { analytics: 0 } });
  p.addDirectoryEntry(t.id, { extension: "201", displayName: "Ann", email: "ann@acme.example", devices: [{ id: "desk-201", name: "Desk", webrtc: false }] });
  p.createPortalUser(t.id, { email: "admin@acme.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces"] });
  backend = new EmbeddedBackend({ endpoint: p.url, token: p.issueToken(t.id, "admin@acme.example"), licenceWaitMs: 0, maxAttempts: 1 });
});
afterAll(async () => p?.close());

describe("the embedded backend", () => {
  it("answers the tenant's facts in the model's terms", async () => {
    expect(await backend.tenant()).toEqual({ profile: "dimensions", recordingBucket: false, agentAutoAssign: false, realTimeWithLive: true });
    expect(await backend.credential()).toEqual({ email: "admin@acme.example", permissions: expect.arrayContaining(["websiteAccess", "manageUsers", "manageBillableItems", "workspaceAdministrator"]) });
    expect(await backend.directory()).toEqual([{ extension: "201", displayName: "Ann", email: "ann@acme.example", serviceLicence: null, acdAgent: false, devices: [{ id: "desk-201", name: "Desk", webrtc: false }] }]);
    expect(await backend.licences()).toEqual({ analytics: { capacity: 0, inUse: 0 } });
    const [ann] = await backend.users.list();
    expect(backend.users.declarationOf(ann, (id) => id)).toEqual({ email: "ann@acme.example", displayName: "Ann", origin: "pbx", extension: "201", accessType: "essential" });
  });

  it("classifies the platform's refusals", async () => {
    const g = await backend.groups.create({ name: "Sales" });
    expect(g).toEqual({ id: expect.any(String), etag: expect.any(String), name: "Sales", description: "" });
    const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => backend.refusal(e));
    expect(await refusal(backend.groups.create({ name: "Sales" }))).toEqual({ kind: "exists", existingId: g.id });
    const changed = await backend.groups.update(g.id, { description: "Inbound" }, g.etag);
    expect(await refusal(backend.groups.update(g.id, { description: "Outbound" }, g.etag))).toEqual({ kind: "stale" });
    await backend.groups.delete(g.id);
    expect(await refusal(backend.groups.get(changed.id))).toEqual({ kind: "gone" });
    expect(await refusal(backend.users.create({ displayName: "Bo", email: "bo@acme.example", roles: ["customer.permission.website", "customer.supervisor.analytics"], softphoneDevice: null, groups: [], primaryGroup: null })))
      .toEqual({ kind: "capacity" });
    expect(backend.refusal(new Error("no answer"))).toBeUndefined();
  });

  it("says what it learned of the platform's rate limit, and how much of it this run spent", () => {
    const facts = backend.rateLimits();
    expect(facts.limits).toEqual([{ group: "", limit: 600, windowSeconds: 60, remaining: expect.any(Number) }]);
    expect(facts.sent).toBeGreaterThanOrEqual(10);
    expect(facts.refused).toBe(0);
  });
});
