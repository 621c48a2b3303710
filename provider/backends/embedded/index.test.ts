// The embedded backend against the reference platform: records in the provider's terms, the
// platform's refusals classified, and the rate limit it learned from the platform's headers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type RunningPlatform } from "../../../platform";
import { normalizeUser, User } from "../../../schema";
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

  it("applies an IntelePeer user's Insights and reads it back (issue 11: it was dropped)", async () => {
    const ip = p.createTenant({ name: "Globex", profile: "intelepeer", recordingBucket: null });
    p.createPortalUser(ip.id, { email: "admin@globex.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable"] });
    const b = new EmbeddedBackend({ endpoint: p.url, token: p.issueToken(ip.id, "admin@globex.example"), licenceWaitMs: 0, maxAttempts: 1 });
    const decl = User.parse({ email: "ivy@globex.example", displayName: "Ivy", insights: true });
    const roles = b.users.keysOf(normalizeUser(decl));
    expect(roles).toContain("intelepeer.insights");
    const created = await b.users.create({ displayName: "Ivy", email: "ivy@globex.example", roles, softphoneDevice: null, groups: [], primaryGroup: null });
    expect(created.roles).toContain("intelepeer.insights");
    const read = (await b.users.list()).find((u) => u.email === "ivy@globex.example")!;
    expect(b.users.declarationOf(read, (id) => id)).toMatchObject({ email: "ivy@globex.example", insights: true });
    const off = await b.users.update(read.id, { roles: b.users.keysOf(normalizeUser({ ...decl, insights: false })) }, read.etag);
    expect(b.users.declarationOf(off, (id) => id).insights).toBeUndefined();
    // The key is IntelePeer's: a Dimensions tenant refuses it, saying so.
    const refused = await backend.users.create({ displayName: "Ivy", email: "ivy@acme.example", roles: ["intelepeer.insights"], softphoneDevice: null, groups: [], primaryGroup: null }).then(() => undefined, (e: unknown) => e);
    expect(String((refused as { message?: string })?.message ?? refused)).toMatch(/intelepeer\.insights.*only on tenants with the intelepeer profile/s);
  });
});
