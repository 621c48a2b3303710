// The User resource through the engine model (a real program, the SDK's real dynamic-provider
// host), against the real platform: preview, up (create, update, replace, no-op), refresh and
// destroy, each a whole `pulumi` command on one stack whose program changes between runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateTenantSettings } from "../../platform";
import { Stack, type RunResult } from "../support/engine";
import { declaredProject, type Declared } from "../support/projects";
import { chains, checkFailures, dynamicSteps, expectNowhere, nameOf, ops, stepOf, tenantStack } from "../support/runs";
import { apiUser, auditCount, startTestTenant, type TestTenant } from "../support/tenant";

let t: TestTenant;
let viewerToken = "";

beforeAll(async () => {
  t = await startTestTenant();
});
afterAll(async () => t?.close());

/** No token of the tenant in anything the run printed or in the state file. */
function noTokens(r: RunResult, stack: Stack): void {
  expectNowhere(r, stack, t.adminToken, t.limitedToken, ...(viewerToken ? [viewerToken] : []));
}

const user = (name: string, args: Record<string, unknown>): Declared => ({ kind: "User", name, args });

describe("User resource through the engine", () => {
  const declared = (ext201: Record<string, unknown> = {}): Declared[] => [
    user("ext-201", { extension: "201", tier: "analytics", groups: [], permissions: { recordingPlayback: "own" }, ...ext201 }),
    user("ext-202", { extension: "202", accessType: "professional", ucClient: { softphone: { device: "desk-202" } } }),
    user("auditor", { email: "Auditor@Partner.example", displayName: "Auditor", tier: "reports" }),
  ];
  const project = declaredProject({ resources: declared() });
  let stack: Stack;
  const state = (name: string) => stack.resources().find((r) => nameOf(r.urn) === name)!;

  beforeAll(() => {
    stack = tenantStack(t, project.dir);
  });

  it("preview checks every resource, plans creates and changes nothing", async () => {
    const before = await auditCount(t);
    t.platform.resetStats();
    const r = await stack.preview();
    expect(r.ok, r.text()).toBe(true);
    expect(ops(r)).toEqual({ "ext-201": "create", "ext-202": "create", auditor: "create" });
    // Check's canonical declaration: a PBX user's email from the directory, Website Access implied by the tier.
    expect(stepOf(r, "ext-201").inputs).toMatchObject({ origin: "pbx", extension: "201", email: "user201@acme.example", accessType: "essential", tier: "analytics", permissions: { websiteAccess: true, recordingPlayback: "own" } });
    expect(r.calls.filter((c) => !["configure", "check"].includes(c.method))).toEqual([]);
    expect(t.platform.stats().writes).toBe(0);
    expect(await auditCount(t)).toBe(before);
    expect(stack.resources()).toEqual([]); // a preview writes no state
    noTokens(r, stack);
  });

  it("up adopts PBX users and creates the manual one", async () => {
    const r = await stack.up();
    expect(r.ok, r.text()).toBe(true);
    expect(dynamicSteps(r).map((s) => [nameOf(s.urn), s.op, s.error]).sort()).toEqual([["auditor", "create", undefined], ["ext-201", "create", undefined], ["ext-202", "create", undefined]]);
    expect((await apiUser(t, "user201@acme.example"))?.roles).toEqual(expect.arrayContaining(["customer.user.pbx", "customer.supervisor.analytics", "customer.permission.website", "customer.permission.recording.own"]));
    expect(await apiUser(t, "user202@acme.example")).toMatchObject({ softphoneDevice: "desk-202", roles: expect.arrayContaining(["customer.user.uc.remote"]) });
    expect((await apiUser(t, "auditor@partner.example"))?.roles).toEqual(expect.arrayContaining(["customer.supervisor.reports"]));
    expect(state("auditor").outputs).toMatchObject({ origin: "manual", tier: "reports", userId: expect.any(String), etag: expect.any(String) });
    expect(state("auditor").id).toBe(state("auditor").outputs.userId);
    noTokens(r, stack);
  });

  it("a second up with nothing changed makes zero write calls", async () => {
    t.platform.resetStats();
    const r = await stack.up();
    expect(r.ok, r.text()).toBe(true);
    expect(ops(r)).toEqual({ "ext-201": "same", "ext-202": "same", auditor: "same" });
    expect(r.calls.filter((c) => ["create", "update", "delete"].includes(c.method))).toEqual([]);
    expect(t.platform.stats().writes).toBe(0);
    noTokens(r, stack);
  });

  it("up updates a changed tier in place", async () => {
    project.declare({ resources: declared({ tier: "liveAnalytics" }) });
    const r = await stack.up();
    expect(r.ok, r.text()).toBe(true);
    expect(ops(r)).toEqual({ "ext-201": "update", "ext-202": "same", auditor: "same" });
    // The provider leaves the decision to the engine, which names the changed key.
    expect(stepOf(r, "ext-201").diff).toMatchObject({ decidedBy: "engine", changedKeys: ["tier"], replaceKeys: [] });
    expect((await apiUser(t, "user201@acme.example"))?.roles).toEqual(expect.arrayContaining(["customer.supervisor.live", "customer.user.pbx.realtime"]));
    expect(state("ext-201").inputs).toMatchObject({ tier: "liveAnalytics" });
    noTokens(r, stack);
  });

  it("refresh reads every user from one list, and sees a change made in the portal", async () => {
    const u = (await apiUser(t, "auditor@partner.example"))!;
    const res = await fetch(`${t.platform.apiUrl}/users/${u.id}`, {
      method: "PATCH", headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json", "if-match": u.etag },
      body: JSON.stringify({ roles: ["customer.permission.website", "customer.supervisor.analytics"] }),
    });
    expect(res.status).toBe(200);
    t.platform.resetStats();
    const r = await stack.refresh();
    expect(r.ok, r.text()).toBe(true);
    expect(ops(r)).toEqual({ "ext-201": "refresh", "ext-202": "refresh", auditor: "refresh" });
    // One list of users for all of them, each collection listed at most once, nothing written.
    const stats = t.platform.stats();
    // Pages of users, plus the groups (names) and the tenant (its profile frames the declarations).
    expect(stats.total).toBeLessThanOrEqual(Math.ceil(stack.resources().length / 500) + 2);
    expect(Object.keys(stats.byRoute).sort()).toEqual(["GET /groups", "GET /tenant", "GET /users"]);
    expect(stats.byRoute["GET /users"]).toBe(1);
    expect(Object.entries(stats.byRoute).filter(([, n]) => n > 1)).toEqual([]);
    expect(Object.keys(stats.byRoute).filter((k) => k.includes("{"))).toEqual([]); // no per-user reads
    expect(stats.writes).toBe(0);
    // The drift shown, and the refreshed state.
    expect(stepOf(r, "auditor").drift).toMatchObject({ changes: "some", changedKeys: ["tier"] });
    expect(stepOf(r, "ext-201").drift).toMatchObject({ changes: "none" });
    expect(state("auditor").outputs).toMatchObject({ tier: "analytics" });
    expect(state("auditor").inputs).toMatchObject({ tier: "analytics" });
    noTokens(r, stack);

    // The next up puts back what the program declares.
    const back = await stack.up();
    expect(back.ok, back.text()).toBe(true);
    expect(ops(back)).toEqual({ "ext-201": "same", "ext-202": "same", auditor: "update" });
    expect(stepOf(back, "auditor").diff).toMatchObject({ changedKeys: ["tier"] });
    expect((await apiUser(t, "auditor@partner.example"))?.roles).toContain("customer.supervisor.reports");
    expect((await apiUser(t, "auditor@partner.example"))?.roles).not.toContain("customer.supervisor.analytics");
    noTokens(back, stack);
  });

  it("changing a PBX user's extension replaces it: the old one is revoked, the new one adopted", async () => {
    const oldId = state("ext-201").id;
    project.declare({ resources: declared({ extension: "203", tier: "liveAnalytics" }) });
    const r = await stack.up();
    expect(r.ok, r.text()).toBe(true);
    expect(ops(r)).toEqual({ "ext-201": "replace", "ext-202": "same", auditor: "same" });
    // Delete before replace: ext 201 gives up its Live Analytics licence before ext 203 takes one.
    expect(chains(r)["ext-201"].map((s) => s.op)).toEqual(["delete-replaced", "replace", "create-replacement"]);
    expect(stepOf(r, "ext-202").op).toBe("same");
    expect(chains(r)["ext-201"][1].diff).toMatchObject({ replaceKeys: ["extension"], deleteBeforeReplace: true });
    expect((await apiUser(t, "user201@acme.example"))?.roles).toEqual(["customer.user.pbx"]);
    expect((await apiUser(t, "user203@acme.example"))?.roles).toContain("customer.supervisor.live");
    expect(state("ext-201").id).not.toBe(oldId);
    expect(state("ext-201").outputs).toMatchObject({ extension: "203", email: "user203@acme.example" });
    noTokens(r, stack);
  });

  it("destroy deletes manual users and revokes PBX users to their baseline", async () => {
    const r = await stack.destroy();
    expect(r.ok, r.text()).toBe(true);
    expect(ops(r)).toEqual({ "ext-201": "delete", "ext-202": "delete", auditor: "delete" });
    expect(stack.state().resources).toEqual([]);
    expect(await apiUser(t, "auditor@partner.example")).toBeUndefined();
    expect(await apiUser(t, "user202@acme.example")).toMatchObject({ roles: ["customer.user.pbx"], softphoneDevice: null });
    expect((await apiUser(t, "user203@acme.example"))?.roles).toEqual(["customer.user.pbx"]);
    noTokens(r, stack);
  });
});

/** A preview of a program declaring `resources`, with `token` as the stack's credential. */
async function preview(stack: Stack, project: ReturnType<typeof declaredProject>, resources: Declared[], token = t.adminToken): Promise<RunResult> {
  project.declare({ resources });
  stack.setConfig("analytics-access:token", token, { secret: true });
  const r = await stack.preview();
  noTokens(r, stack);
  return r;
}
/** The preview failed on `name`'s Check: no step for it, no write, and the run says why. */
function rejected(r: RunResult, name: string) {
  expect(r.ok).toBe(false);
  expect(dynamicSteps(r).filter((s) => nameOf(s.urn) === name)).toEqual([]);
  expect(r.calls.filter((c) => ["create", "update", "delete"].includes(c.method))).toEqual([]);
  expect(r.diagnostics.map((d) => d.message)).toContain("preview failed");
  return checkFailures(r, name);
}

// One preview per rule (a preview stops at the first invalid resource), each its own stack, run
// side by side: previews write nothing.
describe.concurrent("Check rejects at preview with the rule id, and nothing changes", () => {
  it.each([
    ["WEB-2", { email: "a@x.example", permissions: { manageUsers: true } }, "permissions.manageUsers"],
    ["WEB-1", { extension: "204", tier: "analytics", permissions: { websiteAccess: false } }, "permissions.websiteAccess"],
    ["SRC-1", { email: "b@x.example", accessType: "professional" }, "accessType"],
    ["SRC-3", { extension: "999" }, "extension"],
    ["UC-1", { extension: "204", ucClient: { softphone: { device: "desk-204" } } }, "ucClient.softphone"],
    ["UC-2", { extension: "204", accessType: "professional", ucClient: { softphone: { device: "desk-205" } } }, "ucClient.softphone.device"],
    ["MAIL-1", { email: "USER204@acme.example", tier: "reports" }, "email"],
  ])("%s", async (rule, args, property) => {
    const before = await auditCount(t);
    const project = declaredProject({ resources: [] });
    const r = await preview(tenantStack(t, project.dir), project, [user(`bad-${rule}`, args)]);
    const failures = rejected(r, `bad-${rule}`);
    expect(failures).toEqual(expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringContaining(`[${rule}]`) })]));
    expect(await auditCount(t)).toBe(before);
  });
});

describe("Check rejects at preview what the credential or the tenant's settings do not allow", () => {
  const project = declaredProject({ resources: [] });
  let stack: Stack;
  beforeAll(() => {
    stack = tenantStack(t, project.dir);
  });

  it("BILL-1: a credential without Manage Billable Items may not add Professional", async () => {
    const r = await preview(stack, project, [user("bill", { extension: "205", accessType: "professional" })], t.limitedToken);
    expect(rejected(r, "bill")[0].reason).toMatch(/\[BILL-1\].*\+professional.*Manage Billable Items/);
    const ok = await preview(stack, project, [user("nobill", { extension: "205", permissions: { websiteAccess: true } })], t.limitedToken);
    expect(ok.ok, ok.text()).toBe(true);
    expect(ops(ok)).toEqual({ nobill: "create" });
  });

  it("AUTH-1: a credential without Manage Users may not change users; REC-1 without a recording bucket", async () => {
    t.platform.createPortalUser(t.tenantId, { email: "viewer@acme.example", roles: ["customer.permission.website"] });
    viewerToken = t.platform.issueToken(t.tenantId, "viewer@acme.example");
    const r = await preview(stack, project, [user("auth", { extension: "206", tier: "reports" })], viewerToken);
    expect(rejected(r, "auth")[0].reason).toMatch(/^\[AUTH-1\] changing this user needs Manage Users/);
    updateTenantSettings(t.platform.store, t.tenantId, { recordingBucket: null });
    try {
      const rec = await preview(stack, project, [user("rec", { extension: "206", permissions: { websiteAccess: true, recordingPlayback: "own" } })]);
      expect(rejected(rec, "rec")).toEqual([expect.objectContaining({ property: "permissions.recordingPlayback", reason: expect.stringMatching(/^\[REC-1\]/) })]);
    } finally {
      updateTenantSettings(t.platform.store, t.tenantId, { recordingBucket: "s3://acme-recordings" });
    }
  });

  it("a schema error names the field", async () => {
    const r = await preview(stack, project, [user("typo", { email: "c@x.example", tier: "analytic" })]);
    expect(rejected(r, "typo")[0]).toMatchObject({ property: "tier" });
  });
});
