// The platform's HTTP API over real HTTP on an ephemeral port: statuses, codes, bodies, and that a
// refusal leaves the store exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, fixture, pbxUser, type Fixture } from "./helpers";

const sorted = (a: string[]) => [...a].sort();
const P = "customer.user.pbx", PRO = "customer.user.uc.remote", WEB = "customer.permission.website";

async function expectRefused(f: Fixture, call: Promise<{ status: number; body: any; headers: Headers }>, status: number, code: string) {
  const before = f.snapshot();
  const res = await call;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe(code);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.detail).toBe("string");
  expect(res.body.detail.length).toBeGreaterThan(20);
  expect(f.snapshot()).toBe(before);
  return res.body;
}

describe("auth, permissions, basics", () => {
  let f: Fixture;
  beforeAll(async () => { f = await fixture(); pbxUser(f, "100"); });
  afterAll(() => f.p.close());

  it("401 without a token and with an unknown token, as problem+json", async () => {
    const a = await f.anon("GET", "/users");
    expect(a.status).toBe(401);
    expect(a.body.code).toBe("AUTH-MISSING-TOKEN");
    const b = await client(f.p.apiUrl, "aat_nope")("GET", "/users");
    expect(b.status).toBe(401);
    expect(b.body.code).toBe("AUTH-INVALID-TOKEN");
  });

  it("GET /me describes the acting credential; X-Request-Id is echoed or generated", async () => {
    const me = await f.usersOnly("GET", "/me", undefined, { "X-Request-Id": "req-abc-1" });
    expect(me.status).toBe(200);
    expect(me.headers.get("x-request-id")).toBe("req-abc-1");
    expect(me.body).toEqual({
      tenant: { id: f.tenantId, name: expect.any(String), profile: "dimensions" },
      user: { id: expect.any(String), email: "users@t.example", displayName: "users@t.example" },
      permissions: ["customer.permission.users", "customer.permission.website", "customer.permission.workspaces"],
    });
    const other = await f.admin("GET", "/tenant");
    expect(other.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(other.body).toMatchObject({ id: f.tenantId, profile: "dimensions", recordingBucket: null, agentAutoAssign: false, realTimeWithLive: true });
  });

  it("403 names the missing permission; the store does not change", async () => {
    const u = f.p.store.getUserByExtension(f.tenantId, "100")!;
    const body = await expectRefused(f, f.readOnly("PATCH", `/users/${u.id}`, { roles: [P, WEB] }), 403, "PERM-customer.permission.users");
    expect(body.missingPermission).toBe("customer.permission.users");
    await expectRefused(f, f.usersOnly("POST", "/licences", {}), 405, "METHOD");
    await expectRefused(f, f.usersOnly("PUT", `/admin/tenants/${f.tenantId}/licences`, { items: [{ key: "crm", capacity: 1 }] }), 401, "ADMIN-CREDENTIAL");
    await expectRefused(f, f.admin("PUT", `/admin/tenants/${f.tenantId}/licences`, { items: [{ key: "crm", capacity: 1 }] }), 401, "ADMIN-CREDENTIAL");
    await expectRefused(f, f.readOnly("POST", "/workspaces", { name: "W" }), 403, "PERM-customer.permission.workspaces");
  });

  it("403 BILL-1 for billable changes without Manage Billable Items; non-billable changes pass", async () => {
    const u = f.p.store.getUserByExtension(f.tenantId, "100")!;
    const body = await expectRefused(f, f.usersOnly("PATCH", `/users/${u.id}`, { roles: [P, PRO] }), 403, "BILL-1");
    expect(body.missingPermission).toBe("customer.permission.billable");
    expect(body.keys).toEqual([PRO]);
    const ok = await f.usersOnly("PATCH", `/users/${u.id}`, { roles: [P, WEB, "customer.permission.silentmonitor"] });
    expect(ok.status).toBe(200);
    expect(ok.body.roles).toEqual(sorted([P, "customer.permission.silentmonitor", WEB]));
    const withBill = await f.admin("PATCH", `/users/${u.id}`, { roles: [P, PRO] });
    expect(withBill.status).toBe(200);
  });

  it("404 for unknown ids and routes", async () => {
    await expectRefused(f, f.admin("GET", "/users/usr_999999"), 404, "NOT-FOUND");
    await expectRefused(f, f.admin("PATCH", "/users/usr_999999", { roles: [] }), 404, "NOT-FOUND");
    await expectRefused(f, f.admin("GET", "/nothing-here"), 404, "ROUTE");
  });

  it("422 VALIDATION for a malformed body names the field; 400 for bad JSON", async () => {
    const body = await expectRefused(f, f.admin("POST", "/users", { displayName: "X", email: "not-an-email", colour: "red" }), 422, "VALIDATION");
    expect(JSON.stringify(body.errors)).toMatch(/email/);
    expect(JSON.stringify(body.errors)).toMatch(/colour/);
    const res = await fetch(`${f.p.apiUrl}/users`, { method: "POST", headers: { Authorization: `Bearer ${f.tokens.admin}`, "Content-Type": "application/json" }, body: "{nope" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).code).toBe("BAD-JSON");
  });

  it("the web page is served read-only HTML, and the OpenAPI document is served", async () => {
    const page = await fetch(`${f.p.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/Audit log/);
    const doc: any = await fetch(`${f.p.apiUrl}/openapi.json`).then((r) => r.json());
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/v1/users/{id}"].patch).toBeDefined();
  });
});

describe("users: origin, uniqueness, ETags, idempotency", () => {
  let f: Fixture;
  beforeAll(async () => { f = await fixture(); pbxUser(f, "200"); pbxUser(f, "201"); });
  afterAll(() => f.p.close());

  it("creates a manual user (201, ETag header); creating it again is 409 USER-EXISTS naming the id", async () => {
    const c = await f.admin("POST", "/users", { displayName: "Ext Consultant", email: "Consultant@Partner.example", roles: [WEB] });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ origin: "manual", extension: null, roles: [WEB], groups: [], primaryGroup: null, softphoneDevice: null });
    expect(c.headers.get("etag")).toBe(c.body.etag);
    const again = await expectRefused(f, f.admin("POST", "/users", { displayName: "Other", email: "consultant@partner.EXAMPLE" }), 409, "USER-EXISTS");
    expect(again.existingId).toBe(c.body.id);
    const pbx = f.p.store.getUserByExtension(f.tenantId, "200")!;
    const adopt = await expectRefused(f, f.admin("POST", "/users", { displayName: "x", email: pbx.email }), 409, "USER-EXISTS");
    expect(adopt.existingId).toBe(pbx.id);
  });

  it("409 MAIL-1 when an email change collides case-insensitively", async () => {
    const a = await f.admin("POST", "/users", { displayName: "A", email: "a@m.example" });
    await f.admin("POST", "/users", { displayName: "B", email: "b@m.example" });
    const body = await expectRefused(f, f.admin("PATCH", `/users/${a.body.id}`, { email: "B@M.example" }), 409, "MAIL-1");
    expect(body.existingId).toBeDefined();
    expect(body.detail).toContain(body.existingId);
  });

  it("PBX users: create with origin pbx and delete are 409 SRC-3; name/email/extension are 409 SRC-4; manual delete works", async () => {
    await expectRefused(f, f.admin("POST", "/users", { displayName: "P", email: "p@x.example", origin: "pbx" }), 409, "SRC-3");
    const pbx = f.p.store.getUserByExtension(f.tenantId, "200")!;
    const del = await expectRefused(f, f.admin("DELETE", `/users/${pbx.id}`), 409, "SRC-3");
    expect(del.detail).toMatch(/revoke/);
    const ro = await expectRefused(f, f.admin("PATCH", `/users/${pbx.id}`, { displayName: "Renamed", extension: "999" }), 409, "SRC-4");
    expect(ro.fields).toEqual(["displayName", "extension"]);
    const same = await f.admin("PATCH", `/users/${pbx.id}`, { displayName: pbx.displayName });
    expect(same.status).toBe(200);
    const m = await f.admin("POST", "/users", { displayName: "Temp", email: "temp@x.example" });
    expect((await f.admin("DELETE", `/users/${m.body.id}`)).status).toBe(204);
    expect(f.p.store.getUser(f.tenantId, m.body.id)).toBeUndefined();
    expect((await f.admin("GET", `/users/${m.body.id}`)).status).toBe(404);
  });

  it("If-Match: 412 ETAG on a stale etag, success with the current one, and the etag moves", async () => {
    const pbx = f.p.store.getUserByExtension(f.tenantId, "201")!;
    const g = await f.admin("GET", `/users/${pbx.id}`);
    const etag = g.headers.get("etag")!;
    expect(etag).toBe(g.body.etag);
    const ok = await f.admin("PATCH", `/users/${pbx.id}`, { roles: [P, WEB] }, { "If-Match": etag });
    expect(ok.status).toBe(200);
    expect(ok.body.etag).not.toBe(etag);
    const stale = await expectRefused(f, f.admin("PATCH", `/users/${pbx.id}`, { roles: [P] }, { "If-Match": etag }), 412, "ETAG");
    expect(stale.currentEtag).toBe(ok.body.etag);
    await expectRefused(f, f.admin("POST", `/users/${pbx.id}/revoke`, undefined, { "If-Match": etag }), 412, "ETAG");
  });

  it("Idempotency-Key: a repeat returns the first status and body without a second write", async () => {
    const body = { displayName: "Idem", email: "idem@x.example", roles: [WEB] };
    const first = await f.admin("POST", "/users", body, { "Idempotency-Key": "k-1" });
    expect(first.status).toBe(201);
    const audit = f.p.store.listAudit(f.tenantId, 0, 100_000).length;
    const second = await f.admin("POST", "/users", body, { "Idempotency-Key": "k-1" });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(f.p.store.listAudit(f.tenantId, 0, 100_000).length).toBe(audit);
    expect(f.p.store.listUsers(f.tenantId).filter((u) => u.email === "idem@x.example")).toHaveLength(1);
    // without the key the same request is a conflict
    expect((await f.admin("POST", "/users", body)).body.code).toBe("USER-EXISTS");
    // the same key with another body is refused; another token has its own key space
    await expectRefused(f, f.admin("POST", "/users", { ...body, displayName: "Other" }, { "Idempotency-Key": "k-1" }), 422, "IDEMPOTENCY-MISMATCH");
    expect((await f.usersOnly("POST", "/groups", { name: "G-idem" }, { "Idempotency-Key": "k-1" })).status).toBe(201);
  });

  it("revoke resets a PBX user to Essential, clears the softphone, removes grants, keeps groups", async () => {
    const u = pbxUser(f, "250");
    const grp = await f.admin("POST", "/groups", { name: "Revoke group" });
    const ws = await f.admin("POST", "/workspaces", { name: "Revoke WS" });
    const up = await f.admin("PATCH", `/users/${u.id}`, { roles: [P, PRO, "customer.supervisor.analytics"], softphoneDevice: "desk-250", groups: [grp.body.id], primaryGroup: grp.body.id });
    expect(up.status).toBe(200);
    expect(up.body.roles).toEqual([P, "customer.permission.website", "customer.supervisor.analytics", PRO].sort());
    const gr = await f.admin("POST", "/workspace-grants", { workspaceId: ws.body.id, userId: u.id, access: "view" });
    expect(gr.status).toBe(201);
    const rv = await f.admin("POST", `/users/${u.id}/revoke`);
    expect(rv.status).toBe(200);
    expect(rv.body).toMatchObject({ roles: [P], softphoneDevice: null, groups: [grp.body.id], primaryGroup: grp.body.id });
    expect(f.p.store.grantsOfUser(u.id)).toEqual([]);
    const last = f.p.store.listAudit(f.tenantId, 0, 100_000).at(-1)!;
    expect(last).toMatchObject({ action: "user.revoke", actor: "admin@t.example", entityId: u.id });
  });

  it("pages users with limit and cursor; limit over 500 is 422", async () => {
    const all = f.p.store.listUsers(f.tenantId).map((u) => u.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await f.admin("GET", `/users?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((u: { id: string }) => u.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    await expectRefused(f, f.admin("GET", "/users?limit=501"), 422, "VALIDATION");
    await expectRefused(f, f.admin("GET", "/users?cursor=garbage"), 400, "CURSOR");
  });
});

describe("role rules on users", () => {
  let f: Fixture;
  let u: string;
  beforeAll(async () => {
    f = await fixture({ recordingBucket: null });
    u = pbxUser(f, "300").id;
    pbxUser(f, "301");
  });
  afterAll(() => f.p.close());

  it("KEY-UNKNOWN names unknown keys (and 8x8 keys on other profiles)", async () => {
    const b = await expectRefused(f, f.admin("PATCH", `/users/${u}`, { roles: [P, "customer.user.bogus", "x8.analytics.essentials"] }), 422, "KEY-UNKNOWN");
    expect(b.keys).toEqual(["customer.user.bogus", "x8.analytics.essentials"]);
    expect(b.detail).toContain("customer.user.bogus");
  });

  it("Website Access is added with a tier or UC client; WEB-2 for other permissions without it", async () => {
    const t = await f.admin("PATCH", `/users/${u}`, { roles: [P, "customer.supervisor.reports"] });
    expect(t.body.roles).toContain(WEB);
    const d = await f.admin("PATCH", `/users/${u}`, { roles: [P, "customer.uc.desktop"] });
    expect(d.body.roles).toEqual(sorted([P, "customer.permission.website", "customer.uc.desktop"]));
    const b = await expectRefused(f, f.admin("PATCH", `/users/${u}`, { roles: [P, "customer.permission.users"] }), 422, "WEB-2");
    expect(b.keys).toEqual(["customer.permission.users"]);
  });

  it("Real-Time is added with Live Analytics where the tenant does so", async () => {
    const r = await f.admin("PATCH", `/users/${u}`, { roles: [P, "customer.supervisor.live"] });
    expect(r.status).toBe(200);
    expect(r.body.roles).toEqual(sorted([P, "customer.permission.website", "customer.supervisor.live", "customer.user.pbx.realtime"]));
  });

  it("TIER-MULTIPLE for two tiers; SRC-1 on manual users; SRC-2 removing Essential", async () => {
    await expectRefused(f, f.admin("PATCH", `/users/${u}`, { roles: [P, "customer.supervisor.reports", "customer.supervisor.analytics"] }), 422, "TIER-MULTIPLE");
    const s1 = await expectRefused(f, f.admin("POST", "/users", { displayName: "M", email: "m@x.example", roles: [PRO, "customer.user.crm"] }), 422, "SRC-1");
    expect(s1.keys).toEqual([PRO, "customer.user.crm"]);
    await expectRefused(f, f.admin("PATCH", `/users/${u}`, { roles: [WEB] }), 422, "SRC-2");
  });

  it("UC-1 softphone without Professional; UC-2 foreign device or CRM on non-WebRTC; UC-3 CRM client without CRM", async () => {
    await expectRefused(f, f.admin("PATCH", `/users/${u}`, { roles: [P], softphoneDevice: "desk-300" }), 422, "UC-1");
    const foreign = await expectRefused(f, f.admin("PATCH", `/users/${u}`, { roles: [P, PRO], softphoneDevice: "desk-301" }), 422, "UC-2");
    expect(foreign.ownedDevices).toEqual(["desk-300", "web-300"]);
    await expectRefused(f, f.admin("PATCH", `/users/${u}`, { roles: [P, PRO, "customer.user.crm", "customer.uc.crm"], softphoneDevice: "desk-300" }), 422, "UC-2");
    await expectRefused(f, f.admin("PATCH", `/users/${u}`, { roles: [P, PRO, "customer.uc.crm"] }), 422, "UC-3");
    const ok = await f.admin("PATCH", `/users/${u}`, { roles: [P, PRO, "customer.user.crm", "customer.uc.crm"], softphoneDevice: "web-300" });
    expect(ok.status).toBe(200);
    expect(ok.body.softphoneDevice).toBe("web-300");
  });

  it("REC-1 without a recording bucket; allowed once the tenant has one; bucket removal refused while used", async () => {
    const roles = [P, WEB, "customer.permission.recording.own"];
    await expectRefused(f, f.admin("PATCH", `/users/${u}`, { roles, softphoneDevice: null }), 422, "REC-1");
    expect((await f.admin("PATCH", "/tenant", { recordingBucket: "s3://rec" })).status).toBe(200);
    expect((await f.admin("PATCH", `/users/${u}`, { roles, softphoneDevice: null })).status).toBe(200);
    await expectRefused(f, f.admin("PATCH", "/tenant", { recordingBucket: null }), 409, "REC-1");
  });

  it("GRP-1 for unknown groups and a primary group the user is not in", async () => {
    const g = await f.admin("POST", "/groups", { name: "Sales" });
    await expectRefused(f, f.admin("PATCH", `/users/${u}`, { groups: ["grp_nope"] }), 422, "GRP-1");
    await expectRefused(f, f.admin("PATCH", `/users/${u}`, { groups: [], primaryGroup: g.body.id }), 422, "GRP-1");
    const ok = await f.admin("PATCH", `/users/${u}`, { groups: [g.body.id], primaryGroup: g.body.id });
    expect(ok.body).toMatchObject({ groups: [g.body.id], primaryGroup: g.body.id });
    expect((await f.admin("POST", "/groups", { name: "Sales" })).body).toMatchObject({ status: 409, code: "GROUP-EXISTS", existingId: g.body.id });
    expect((await f.admin("DELETE", `/groups/${g.body.id}`)).status).toBe(204);
    expect((await f.admin("GET", `/users/${u}`)).body).toMatchObject({ groups: [], primaryGroup: null });
  });
});

describe("workspaces and grants", () => {
  let f: Fixture;
  beforeAll(async () => { f = await fixture(); });
  afterAll(() => f.p.close());

  it("WS-1 for unknown workspaces and users without Website Access; WS-2 below Analytics; grants and ETags work", async () => {
    const u = pbxUser(f, "400");
    const ws = await f.usersOnly("POST", "/workspaces", { name: "Floor", description: "d" });
    expect(ws.status).toBe(201);
    await expectRefused(f, f.usersOnly("POST", "/workspace-grants", { workspaceId: "wsp_nope", userId: u.id, access: "view" }), 422, "WS-1");
    await expectRefused(f, f.usersOnly("POST", "/workspace-grants", { workspaceId: ws.body.id, userId: u.id, access: "view" }), 422, "WS-1");
    await f.admin("PATCH", `/users/${u.id}`, { roles: [P, "customer.supervisor.reports"] });
    await expectRefused(f, f.usersOnly("POST", "/workspace-grants", { workspaceId: ws.body.id, userId: u.id, access: "view" }), 422, "WS-2");
    await f.admin("PATCH", `/users/${u.id}`, { roles: [P, "customer.supervisor.analytics"] });
    const g = await f.usersOnly("POST", "/workspace-grants", { workspaceId: ws.body.id, userId: u.id, access: "view" });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ workspaceId: ws.body.id, userId: u.id, access: "view", etag: expect.any(String) });
    const dup = await expectRefused(f, f.usersOnly("POST", "/workspace-grants", { workspaceId: ws.body.id, userId: u.id, access: "admin" }), 409, "GRANT-EXISTS");
    expect(dup.existingId).toBe(g.body.id);
    const up = await f.usersOnly("PATCH", `/workspace-grants/${g.body.id}`, { access: "admin" }, { "If-Match": g.body.etag });
    expect(up.body.access).toBe("admin");
    await expectRefused(f, f.usersOnly("PATCH", `/workspace-grants/${g.body.id}`, { access: "view" }, { "If-Match": g.body.etag }), 412, "ETAG");
    // the user may not drop below Analytics while holding the grant
    await expectRefused(f, f.admin("PATCH", `/users/${u.id}`, { roles: [P, "customer.supervisor.reports"] }), 409, "WS-2");
    const list = await f.usersOnly("GET", "/workspace-grants?limit=1");
    expect(list.body.items).toHaveLength(1);
    expect((await f.usersOnly("DELETE", `/workspaces/${ws.body.id}`)).status).toBe(204);
    expect(f.p.store.listGrants(f.tenantId)).toEqual([]);
  });
});

describe("licences", () => {
  let f: Fixture;
  beforeAll(async () => { f = await fixture({ licences: { professional: 1, analytics: 1 } }); });
  afterAll(() => f.p.close());

  it("LIC-1 names licence, capacity and use; GET /licences reports use; capacity can be raised", async () => {
    const a = pbxUser(f, "500"), b = pbxUser(f, "501");
    expect((await f.admin("PATCH", `/users/${a.id}`, { roles: [P, PRO] })).status).toBe(200);
    const body = await expectRefused(f, f.admin("PATCH", `/users/${b.id}`, { roles: [P, PRO] }), 409, "LIC-1");
    expect(body).toMatchObject({ licence: "professional", capacity: 1, inUse: 1 });
    expect((await f.admin("GET", "/licences")).body.items).toEqual([
      { key: "analytics", capacity: 1, inUse: 0 }, { key: "professional", capacity: 1, inUse: 1 },
    ]);
    // re-sending a user's existing licence does not count it twice
    expect((await f.admin("PATCH", `/users/${a.id}`, { roles: [P, PRO, "customer.uc.desktop"] })).status).toBe(200);
    // a tier that consumes a metered licence is billable
    await expectRefused(f, f.usersOnly("PATCH", `/users/${b.id}`, { roles: [P, "customer.supervisor.analytics"] }), 403, "BILL-1");
    // reports is not metered here, so not billable
    expect((await f.usersOnly("PATCH", `/users/${b.id}`, { roles: [P, "customer.supervisor.reports"] })).status).toBe(200);
    const put = await f.platformAdmin("PUT", `/admin/tenants/${f.tenantId}/licences`, { items: [{ key: "professional", capacity: 2 }] });
    expect(f.p.store.listAudit(f.tenantId, 0, 10_000, true)[0]).toMatchObject({ actor: "platform admin", action: "licences.update" });
    expect(put.body.items).toContainEqual({ key: "professional", capacity: 2, inUse: 1 });
    expect((await f.admin("PATCH", `/users/${b.id}`, { roles: [P, PRO] })).status).toBe(200);
  });
});

describe("agent auto-assign, 8x8, named roles", () => {
  it("AGT-1: the tenant manages the Agent add-on; revoke keeps it for ACD agents", async () => {
    const f = await fixture({ agentAutoAssign: true, licences: { agent: 5 } });
    try {
      const agent = pbxUser(f, "600", { acdAgent: true });
      const plain = pbxUser(f, "601");
      expect(agent.roles).toEqual(sorted([P, "customer.user.acd"]));
      await expectRefused(f, f.admin("PATCH", `/users/${plain.id}`, { roles: [P, "customer.user.acd"] }), 409, "AGT-1");
      await expectRefused(f, f.admin("PATCH", `/users/${agent.id}`, { roles: [P] }), 409, "AGT-1");
      const ok = await f.admin("PATCH", `/users/${agent.id}`, { roles: [P, "customer.user.acd", "customer.supervisor.reports"] });
      expect(ok.status).toBe(200);
      expect((await f.admin("POST", `/users/${agent.id}/revoke`)).body.roles).toEqual(sorted([P, "customer.user.acd"]));
    } finally { await f.p.close(); }
  });

  it("X8-1 / X8-2 follow the tenant's licence tables", async () => {
    const f = await fixture({ profile: "8x8", x8LicenceTiers: { essentials: ["X2", "X6"], supervisor: ["X6"] } });
    try {
      const x2 = pbxUser(f, "700", { serviceLicence: "X2" });
      const x1 = pbxUser(f, "701", { serviceLicence: "X1" });
      expect((await f.admin("PATCH", `/users/${x2.id}`, { roles: [P, "x8.analytics.essentials"] })).status).toBe(200);
      const b = await expectRefused(f, f.admin("PATCH", `/users/${x1.id}`, { roles: [P, "x8.analytics.essentials"] }), 422, "X8-1");
      expect(b.serviceLicence).toBe("X1");
      await expectRefused(f, f.admin("PATCH", `/users/${x2.id}`, { roles: [P, "x8.analytics.supervisor"] }), 422, "X8-2");
      expect((await f.admin("GET", "/tenant")).body.x8LicenceTiers).toEqual({ essentials: ["X2", "X6"], supervisor: ["X6"] });
    } finally { await f.p.close(); }
  });

  it("Office@Hand presets are read-only (ROLE-PRESET-READONLY); custom roles and assignments work", async () => {
    const f = await fixture({ profile: "officeathand" });
    try {
      const roles = (await f.admin("GET", "/roles")).body.items;
      expect(roles.map((r: { name: string }) => r.name)).toEqual(["Super Admin", "Phone System Admin", "Billing Admin"]);
      const preset = roles[0];
      await expectRefused(f, f.admin("PATCH", `/roles/${preset.id}`, { name: "Mine" }), 409, "ROLE-PRESET-READONLY");
      await expectRefused(f, f.admin("DELETE", `/roles/${preset.id}`), 409, "ROLE-PRESET-READONLY");
      await expectRefused(f, f.admin("POST", "/roles", { name: "Bad", permissions: ["teleport"] }), 422, "ROLE-UNKNOWN-PERMISSION");
      const c = await f.admin("POST", "/roles", { name: "QoS", permissions: ["qos.full", "performance"] });
      expect(c.body).toMatchObject({ name: "QoS", permissions: ["performance", "qos.full"], preset: false });
      const u = pbxUser(f, "800");
      const a = await f.admin("PUT", `/roles/${c.body.id}/assignments`, { userIds: [u.id] }, { "If-Match": c.body.etag });
      expect(a.body).toMatchObject({ roleId: c.body.id, userIds: [u.id] });
      await expectRefused(f, f.admin("PUT", `/roles/${c.body.id}/assignments`, { userIds: [] }, { "If-Match": c.body.etag }), 412, "ETAG");
      await expectRefused(f, f.admin("PUT", `/roles/${c.body.id}/assignments`, { userIds: ["usr_nope"] }), 422, "ROLE-UNKNOWN-USER");
      expect((await f.admin("GET", `/roles/${c.body.id}/assignments`)).body.userIds).toEqual([u.id]);
    } finally { await f.p.close(); }
  });
});

describe("rate limit, faults, stats, audit", () => {
  it("429 with Retry-After and X-Rate-Limit-* once the bucket is empty; per token", async () => {
    const f = await fixture({}, { rateLimit: { perMinute: 3, burst: 3 } });
    try {
      const statuses: number[] = [];
      let last: any;
      for (let i = 0; i < 4; i++) { last = await f.admin("GET", "/me"); statuses.push(last.status); }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last.body.code).toBe("RATE-LIMIT");
      expect(Number(last.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(last.headers.get("x-rate-limit-limit")).toBe("3");
      expect(last.headers.get("x-rate-limit-remaining")).toBe("0");
      expect(last.headers.get("x-rate-limit-window")).toBe("60");
      expect((await f.usersOnly("GET", "/me")).status).toBe(200);
      // reconfigured over the admin route
      const cfg = await f.platformAdmin("POST", "/admin/rate-limit", { perMinute: 1000 });
      expect(cfg.status).toBe(200);
      expect((await f.admin("GET", "/me")).status).toBe(200);
    } finally { await f.p.close(); }
  });

  it("injected 500/503 apply nothing; dropped connections fail the request; latency is added", async () => {
    const f = await fixture({}, { randomSeed: 1 });
    try {
      expect((await f.platformAdmin("POST", "/admin/faults", { route: "POST /groups", error500: 1 })).status).toBe(200);
      const before = f.snapshot();
      const r = await f.admin("POST", "/groups", { name: "G" });
      expect(r.status).toBe(500);
      expect(r.body.code).toBe("FAULT-500");
      expect(f.snapshot()).toBe(before);
      expect((await f.admin("GET", "/groups")).status).toBe(200);
      f.p.setFaults([{ route: "/groups", error503: 1 }]);
      const s = await f.admin("GET", "/groups");
      expect(s.status).toBe(503);
      expect(s.headers.get("retry-after")).toBe("1");
      f.p.setFaults([{ route: "/me", dropConnection: 1 }]);
      await expect(f.admin("GET", "/me")).rejects.toThrow();
      f.p.setFaults([{ route: "/me", latencyMs: 150 }]);
      const t0 = Date.now();
      expect((await f.admin("GET", "/me")).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
      // committed, then the connection drops: a retry with the same Idempotency-Key gets the first result
      f.p.setFaults([{ route: "POST /groups", dropAfterWrite: 1 }]);
      await expect(f.admin("POST", "/groups", { name: "Lost ack" }, { "Idempotency-Key": "g-1" })).rejects.toThrow();
      expect(f.p.store.getNamedByName("groups", f.tenantId, "Lost ack")).toBeDefined();
      f.p.clearFaults();
      const retry = await f.admin("POST", "/groups", { name: "Lost ack" }, { "Idempotency-Key": "g-1" });
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(retry.body.id).toBe(f.p.store.getNamedByName("groups", f.tenantId, "Lost ack")!.id);
      f.p.setFaults([{ route: "/me", error500: 1 }]);
      expect((await f.platformAdmin("DELETE", "/admin/faults")).status).toBe(204);
      expect((await f.admin("POST", "/groups", { name: "G" })).status).toBe(201);
    } finally { await f.p.close(); }
  });

  it("counts requests per route and method; admin routes are not counted", async () => {
    const f = await fixture();
    try {
      const u = pbxUser(f, "900");
      f.p.resetStats();
      await f.admin("GET", "/users");
      await f.admin("GET", `/users/${u.id}`);
      await f.admin("GET", `/users/${u.id}`);
      await f.admin("PATCH", `/users/${u.id}`, { roles: [P, WEB] });
      const s = (await f.platformAdmin("GET", "/admin/stats")).body;
      expect(s).toEqual({ total: 4, reads: 3, writes: 1, rateLimited: 0, byRoute: { "GET /users": 1, "GET /users/{id}": 2, "PATCH /users/{id}": 1 } });
      expect(f.p.stats()).toEqual(s);
    } finally { await f.p.close(); }
  });

  it("the audit log records every change with its actor, before/after and request id; pages by seq", async () => {
    const f = await fixture();
    try {
      const u = pbxUser(f, "950");
      await f.usersOnly("PATCH", `/users/${u.id}`, { roles: [P, WEB] }, { "X-Request-Id": "audit-req-1" });
      const page = await f.readOnly("GET", "/audit?order=desc&limit=1");
      expect(page.body.items[0]).toMatchObject({
        actor: "users@t.example", action: "user.update", entity: "user", entityId: u.id, requestId: "audit-req-1",
        before: { roles: [P] }, after: { roles: sorted([P, WEB]) },
      });
      expect(page.body.nextCursor).toEqual(expect.any(String));
      const all = await f.readOnly("GET", "/audit?limit=500");
      expect(all.body.items.map((e: { seq: number }) => e.seq)).toEqual([...all.body.items.map((e: { seq: number }) => e.seq)].sort((a: number, b: number) => a - b));
      // a no-op PATCH writes nothing
      const n = f.p.store.listAudit(f.tenantId, 0, 10_000).length;
      await f.usersOnly("PATCH", `/users/${u.id}`, { roles: [P, WEB] });
      expect(f.p.store.listAudit(f.tenantId, 0, 10_000).length).toBe(n);
    } finally { await f.p.close(); }
  });
});

describe("tenant isolation", () => {
  it("a token sees and changes only its own tenant", async () => {
    const f = await fixture();
    try {
      const other = f.p.createTenant({ name: "Other", profile: "ooma" });
      const stranger = f.p.addDirectoryEntry(other.id, { extension: "1", displayName: "S", email: "s@other.example" });
      const mine = pbxUser(f, "10");
      expect((await f.admin("GET", `/users/${stranger.id}`)).status).toBe(404);
      expect((await f.admin("PATCH", `/users/${stranger.id}`, { roles: ["customer.user.pbx", "customer.permission.website"] })).status).toBe(404);
      const ids = (await f.admin("GET", "/users")).body.items.map((u: { id: string }) => u.id);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(stranger.id);
      f.p.createPortalUser(other.id, { email: "admin@t.example", roles: ["customer.permission.website", "customer.permission.users"] });
      const otherAdmin = client(f.p.apiUrl, f.p.issueToken(other.id, "admin@t.example"));
      expect((await otherAdmin("GET", "/me")).body.tenant).toEqual({ id: other.id, name: "Other", profile: "ooma" });
    } finally { await f.p.close(); }
  });
});
