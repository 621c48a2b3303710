// The platform's credentials over HTTP: the admin routes take the platform's admin credential only and
// refuse cross-site requests; tenant tokens expire and can be listed and revoked; failed authentication
// is throttled per client address, and junk tokens share their sender's bucket instead of evicting a
// real token's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY_ENV, startPlatform, type RunningPlatform } from "../../platform/index";
import { ROUTES } from "../../platform/routes";
import { adminClient, client, fixture, type Fixture } from "./helpers";

const ADMIN_ROUTES = ROUTES.filter((r) => r.admin);
const samplePath = (path: string, f: Fixture) => path.replace("{tenantId}", f.tenantId).replace("{id}", "tok_0000000000000000");

describe("the admin routes", () => {
  let f: Fixture;
  beforeAll(async () => { f = await fixture({ licences: { professional: 1 } }, { authFailureLimit: false }); });
  afterAll(() => f.p.close());

  it("are every /admin/ route, and none takes a tenant token", () => {
    expect(ADMIN_ROUTES.map((r) => r.path).every((x) => x.startsWith("/admin/"))).toBe(true);
    expect(ROUTES.filter((r) => r.path.startsWith("/admin/") && !r.admin)).toEqual([]);
  });

  for (const r of ADMIN_ROUTES) {
    it(`${r.method} ${r.path}: 401 ADMIN-CREDENTIAL without the admin credential, with a tenant token or a wrong key; nothing changes`, async () => {
      const path = samplePath(r.path, f);
      const json = { "Content-Type": "application/json" };
      const before = f.snapshot(), faults = JSON.stringify((await f.platformAdmin("GET", "/admin/faults")).body);
      for (const call of [client(f.p.apiUrl), client(f.p.apiUrl, f.tokens.admin), client(f.p.apiUrl, "aak_not-the-key-at-all")]) {
        const res = await call(r.method, path, r.method === "GET" ? undefined : {}, r.method === "GET" ? {} : json);
        expect(res.status, JSON.stringify(res.body)).toBe(401);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(res.body.code).toBe("ADMIN-CREDENTIAL");
      }
      expect(f.snapshot()).toBe(before);
      expect(JSON.stringify((await f.platformAdmin("GET", "/admin/faults")).body)).toBe(faults);
    });
  }

  it("refuse cross-site requests and anything but JSON, even with the credential (a text/plain POST to /admin/faults adds nothing)", async () => {
    const key = f.p.adminKey;
    const post = (headers: Record<string, string>, body = JSON.stringify({ error500: 1 })) =>
      fetch(`${f.p.apiUrl}/admin/faults`, { method: "POST", headers: { Authorization: `Bearer ${key}`, ...headers }, body });
    const plain = await post({ "Content-Type": "text/plain" });
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as { code: string }).code).toBe("CONTENT-TYPE");
    const form = await post({ "Content-Type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    const cross = await post({ "Content-Type": "application/json", Origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as { code: string }).code).toBe("CROSS-SITE");
    expect((await post({ "Content-Type": "application/json", "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect((await post({ "Content-Type": "application/json", "Sec-Fetch-Site": "same-site" })).status).toBe(403);
    // another origin on this machine is another site too
    expect((await fetch(`${f.p.apiUrl}/admin/faults`, { headers: { Authorization: `Bearer ${key}`, Origin: "http://localhost:1", "Sec-Fetch-Site": "same-origin" } })).status).toBe(403);
    expect((await f.platformAdmin("GET", "/admin/faults")).body).toEqual({ rules: [] });
    const same = await post({ "Content-Type": "application/json", Origin: f.p.url, "Sec-Fetch-Site": "same-origin" });
    expect(same.status).toBe(200);
    f.p.clearFaults();
  });

  it("licence capacity is the service provider's: set with the admin credential, audited as the platform admin; unknown tenant 404", async () => {
    const put = await f.platformAdmin("PUT", `/admin/tenants/${f.tenantId}/licences`, { items: [{ key: "professional", capacity: 3 }] }, { "X-Request-Id": "lic-1" });
    expect(put.status).toBe(200);
    expect(put.body.items).toContainEqual({ key: "professional", capacity: 3, inUse: 0 });
    expect(f.p.store.listAudit(f.tenantId, 0, 10_000, true)[0]).toMatchObject({ actor: "platform admin", action: "licences.update", requestId: "lic-1" });
    expect((await f.platformAdmin("PUT", "/admin/tenants/nope/licences", { items: [] })).body.code).toBe("NOT-FOUND");
  });

  it("the admin credential comes from the option, else ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY, else a fresh aak_ key per start", async () => {
    expect(f.p.adminKey).toMatch(/^aak_[\w-]{30,}$/);
    expect(f.p.adminKeySource).toBe("generated");
    const prior = process.env[ADMIN_KEY_ENV];
    process.env[ADMIN_KEY_ENV] = "env-admin-key-0123456789";
    try {
      const q = await startPlatform({ rateLimit: false });
      try {
        expect(q.adminKeySource).toBe("env");
        expect((await adminClient(q)("GET", "/admin/stats")).status).toBe(200);
        expect((await adminClient({ apiUrl: q.apiUrl, adminKey: f.p.adminKey })("GET", "/admin/stats")).status).toBe(401);
      } finally { await q.close(); }
      await expect(startPlatform({ adminKey: "short" })).rejects.toThrow(/at least 16/);
    } finally { if (prior === undefined) delete process.env[ADMIN_KEY_ENV]; else process.env[ADMIN_KEY_ENV] = prior; }
  });
});

describe("tenant tokens: expiry, list, revoke", () => {
  let f: Fixture;
  beforeAll(async () => { f = await fixture(); });
  afterAll(() => f.p.close());

  it("a token expires (401 AUTH-EXPIRED-TOKEN); the default lifetime is 90 days", async () => {
    const short = f.p.issueToken(f.tenantId, "admin@t.example", "short", { ttlDays: 1 });
    const normal = f.p.issueToken(f.tenantId, "admin@t.example", "normal");
    const rec = f.p.store.listTokens(f.tenantId).find((t) => t.label === "normal")!;
    expect(Date.parse(rec.expiresAt) - Date.parse(rec.createdAt)).toBe(90 * 86_400_000);
    expect((await client(f.p.apiUrl, short)("GET", "/me")).status).toBe(200);
    const real = f.p.store.now;
    f.p.store.now = () => new Date(Date.now() + 2 * 86_400_000).toISOString();
    try {
      const res = await client(f.p.apiUrl, short)("GET", "/me");
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("AUTH-EXPIRED-TOKEN");
      expect((await client(f.p.apiUrl, normal)("GET", "/me")).status).toBe(200);
    } finally { f.p.store.now = real; }
    expect(() => f.p.issueToken(f.tenantId, "admin@t.example", "x", { ttlDays: 0 })).toThrow(/positive/);
  });

  it("GET /admin/tokens lists them without secrets; POST /admin/tokens/{id}/revoke stops one at once, audited", async () => {
    const token = f.p.issueToken(f.tenantId, "users@t.example", "to revoke");
    const list = await f.platformAdmin("GET", `/admin/tokens?tenant=${f.tenantId}`);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(token);
    const mine = list.body.items.find((t: { label: string }) => t.label === "to revoke");
    expect(mine).toMatchObject({ id: expect.stringMatching(/^tok_[0-9a-f]{16}$/), tenantId: f.tenantId, user: "users@t.example", status: "active", revokedAt: null });
    expect((await f.platformAdmin("GET", "/admin/tokens?tenant=nope")).body.code).toBe("NOT-FOUND");
    expect((await client(f.p.apiUrl, token)("GET", "/me")).status).toBe(200);
    const revoked = await f.platformAdmin("POST", `/admin/tokens/${mine.id}/revoke`);
    expect(revoked.body).toMatchObject({ id: mine.id, status: "revoked", revokedAt: expect.any(String) });
    const res = await client(f.p.apiUrl, token)("GET", "/me");
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("AUTH-REVOKED-TOKEN");
    expect(f.p.store.listAudit(f.tenantId, 0, 10_000, true)[0]).toMatchObject({ action: "token.revoke", entityId: mine.id });
    expect((await f.platformAdmin("POST", `/admin/tokens/${mine.id}/revoke`)).status).toBe(200); // again: no change
    expect((await f.platformAdmin("POST", "/admin/tokens/tok_nope/revoke")).body.code).toBe("NOT-FOUND");
    expect((await f.admin("GET", "/me")).status).toBe(200); // the others still work
  });

  it("each serve --demo start revokes the previous start's demo admin tokens", async () => {
    const p1 = await startPlatform({ demo: true, rateLimit: false });
    const store = p1.store;
    const old = p1.adminToken!;
    const p2 = await startPlatform({ demo: true, rateLimit: false, store });
    try {
      expect((await client(p2.apiUrl, p2.adminToken!)("GET", "/me")).status).toBe(200);
      expect((await client(p2.apiUrl, old)("GET", "/me")).body.code).toBe("AUTH-REVOKED-TOKEN");
      const demo = store.listTokens("demo").filter((t) => t.label.startsWith("demo admin"));
      expect(demo.filter((t) => !t.revokedAt)).toHaveLength(1);
      expect(Date.parse(demo.at(-1)!.expiresAt) - Date.parse(demo.at(-1)!.createdAt)).toBe(7 * 86_400_000);
    } finally { await p2.close(); await p1.close(); }
  });
});

describe("failed authentication", () => {
  let p: RunningPlatform;
  afterAll(() => p?.close());

  it("is throttled per client address: past the bucket every credential from it gets 429 AUTH-THROTTLED, a right one too", async () => {
    p = await startPlatform({ rateLimit: false, authFailureLimit: { perMinute: 1, burst: 3 } });
    const t = p.createTenant({ name: "T", profile: "dimensions" });
    p.createPortalUser(t.id, { email: "a@t.example", roles: ["customer.permission.website"] });
    const good = client(p.apiUrl, p.issueToken(t.id, "a@t.example"));
    expect((await good("GET", "/me")).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await client(p.apiUrl, `aat_junk${i}`)("GET", "/me")).body.code).toBe("AUTH-INVALID-TOKEN");
    const blocked = await client(p.apiUrl, "aat_junk-next")("GET", "/me");
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe("AUTH-THROTTLED");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await good("GET", "/me")).body.code).toBe("AUTH-THROTTLED");
    // guessing the admin credential counts too
    expect((await adminClient({ apiUrl: p.apiUrl, adminKey: "aak_guess-guess-guess" })("GET", "/admin/stats")).body.code).toBe("AUTH-THROTTLED");
    await p.close();
  });

  it("junk tokens share their sender's bucket: thousands of them neither get fresh buckets nor evict a real token's", async () => {
    p = await startPlatform({ rateLimit: { perMinute: 1, burst: 3 }, authFailureLimit: false });
    const t = p.createTenant({ name: "T", profile: "dimensions" });
    p.createPortalUser(t.id, { email: "a@t.example", roles: ["customer.permission.website"] });
    const good = client(p.apiUrl, p.issueToken(t.id, "a@t.example"));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await good("GET", "/me")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const junk = [];
    for (let i = 0; i < 200; i++) junk.push((await client(p.apiUrl, `aat_junk-${i}`)("GET", "/me")).status);
    expect(junk.slice(0, 3)).toEqual([401, 401, 401]);
    expect(junk.slice(3).every((s) => s === 429)).toBe(true); // one address, one bucket
    expect((await good("GET", "/me")).status).toBe(429); // its own bucket was not reset
    await p.close();
  });
});
