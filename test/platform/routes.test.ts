// The route table is the contract, checked route by route over HTTP: every route that declares a
// permission refuses a token without it (403 PERM-<key>, nothing written, before the body is even
// validated); a token holding just the declared permission gets through, so no operation enforces a
// permission its route does not declare (BILL-1 only where the route declares it); every POST replays
// its answer for an Idempotency-Key; every code a route declares comes with that status in codes.ts.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../platform/routes";
import { CODES, codeInfo } from "../../platform/codes";
import { ADMIN_ROLES, client, fixture, pbxUser, type Call, type Fixture } from "./helpers";

const P = "customer.user.pbx", PRO = "customer.user.uc.remote", WEB = "customer.permission.website", ANALYTICS = "customer.supervisor.analytics";
type Req = { path: string; body?: unknown };
/** A request that succeeds for a token holding the route's permission, on entities made for it alone. */
type Sample = () => Promise<Req>;

let f: Fixture;
let n = 0;
const uniq = () => `${++n}`;
const ok = async (res: Promise<{ status: number; body: any }>) => { const r = await res; expect(r.status, JSON.stringify(r.body)).toBeLessThan(300); return r.body; };
const pbx = async (roles = [P]) => { const u = pbxUser(f, `5${uniq().padStart(3, "0")}`); if (roles.length > 1) await ok(f.admin("PATCH", `/users/${u.id}`, { roles })); return u.id; };
const manual = async (roles: string[] = [WEB]) => (await ok(f.admin("POST", "/users", { displayName: "M", email: `m${uniq()}@t.example`, roles }))).id as string;
const group = async () => (await ok(f.admin("POST", "/groups", { name: `G${uniq()}` }))).id as string;
const workspace = async () => (await ok(f.admin("POST", "/workspaces", { name: `W${uniq()}` }))).id as string;
const grant = async () => (await ok(f.admin("POST", "/workspace-grants", { workspaceId: await workspace(), userId: await pbx([P, ANALYTICS]), access: "view" }))).id as string;
const role = async () => (await ok(f.admin("POST", "/roles", { name: `R${uniq()}` }))).id as string;

const SAMPLES: Record<string, { run: Sample; billable?: Sample }> = {
  "GET /me": { run: async () => ({ path: "/me" }) },
  "GET /tenant": { run: async () => ({ path: "/tenant" }) },
  "PATCH /tenant": { run: async () => ({ path: "/tenant", body: { name: `Tenant ${uniq()}` } }) },
  "GET /directory": { run: async () => ({ path: "/directory" }) },
  "GET /users": { run: async () => ({ path: "/users" }) },
  "POST /users": {
    run: async () => ({ path: "/users", body: { displayName: "New", email: `new${uniq()}@t.example`, roles: [WEB] } }),
    billable: async () => ({ path: "/users", body: { displayName: "New", email: `new${uniq()}@t.example`, roles: [ANALYTICS] } }),
  },
  "GET /users/{id}": { run: async () => ({ path: `/users/${await pbx()}` }) },
  "PATCH /users/{id}": {
    run: async () => ({ path: `/users/${await pbx()}`, body: { roles: [P, WEB, "customer.permission.silentmonitor"] } }),
    billable: async () => ({ path: `/users/${await pbx()}`, body: { roles: [P, PRO] } }),
  },
  "DELETE /users/{id}": {
    run: async () => ({ path: `/users/${await manual()}` }),
    billable: async () => ({ path: `/users/${await manual([ANALYTICS])}` }),
  },
  "POST /users/{id}/revoke": {
    run: async () => ({ path: `/users/${await pbx([P, WEB])}/revoke` }),
    billable: async () => ({ path: `/users/${await pbx([P, PRO])}/revoke` }),
  },
  "GET /groups": { run: async () => ({ path: "/groups" }) },
  "POST /groups": { run: async () => ({ path: "/groups", body: { name: `G${uniq()}` } }) },
  "GET /groups/{id}": { run: async () => ({ path: `/groups/${await group()}` }) },
  "PATCH /groups/{id}": { run: async () => ({ path: `/groups/${await group()}`, body: { description: "d" } }) },
  "DELETE /groups/{id}": { run: async () => ({ path: `/groups/${await group()}` }) },
  "GET /workspaces": { run: async () => ({ path: "/workspaces" }) },
  "POST /workspaces": { run: async () => ({ path: "/workspaces", body: { name: `W${uniq()}` } }) },
  "GET /workspaces/{id}": { run: async () => ({ path: `/workspaces/${await workspace()}` }) },
  "PATCH /workspaces/{id}": { run: async () => ({ path: `/workspaces/${await workspace()}`, body: { description: "d" } }) },
  "DELETE /workspaces/{id}": { run: async () => ({ path: `/workspaces/${await workspace()}` }) },
  "GET /workspace-grants": { run: async () => ({ path: "/workspace-grants" }) },
  "POST /workspace-grants": { run: async () => ({ path: "/workspace-grants", body: { workspaceId: await workspace(), userId: await pbx([P, ANALYTICS]), access: "admin" } }) },
  "GET /workspace-grants/{id}": { run: async () => ({ path: `/workspace-grants/${await grant()}` }) },
  "PATCH /workspace-grants/{id}": { run: async () => ({ path: `/workspace-grants/${await grant()}`, body: { access: "admin" } }) },
  "DELETE /workspace-grants/{id}": { run: async () => ({ path: `/workspace-grants/${await grant()}` }) },
  "GET /roles": { run: async () => ({ path: "/roles" }) },
  "POST /roles": { run: async () => ({ path: "/roles", body: { name: `R${uniq()}` } }) },
  "GET /roles/{id}": { run: async () => ({ path: `/roles/${await role()}` }) },
  "PATCH /roles/{id}": { run: async () => ({ path: `/roles/${await role()}`, body: { description: "d" } }) },
  "DELETE /roles/{id}": { run: async () => ({ path: `/roles/${await role()}` }) },
  "GET /roles/{id}/assignments": { run: async () => ({ path: `/roles/${await role()}/assignments` }) },
  "PUT /roles/{id}/assignments": { run: async () => ({ path: `/roles/${await role()}/assignments`, body: { userIds: [await pbx()] } }) },
  "GET /licences": { run: async () => ({ path: "/licences" }) },
  "GET /audit": { run: async () => ({ path: "/audit" }) },
};

const API = ROUTES.filter((r) => r.auth !== false);
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** A token whose user holds exactly these permission keys (and Website Access). */
function tokenWith(roles: string[]): Call {
  const email = `p${uniq()}@t.example`;
  f.p.createPortalUser(f.tenantId, { email, roles: [...new Set([WEB, ...roles])] });
  return client(f.p.apiUrl, f.p.issueToken(f.tenantId, email));
}

describe("the route table", () => {
  beforeAll(async () => { f = await fixture({ licences: { analytics: 1000, professional: 1000 } }); });
  afterAll(() => f.p.close());

  it("has a sample request for every API route", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(API.map(key).sort());
  });

  it("every write route with a token declares the permission it needs; reads need only the token", () => {
    expect(API.filter((r) => r.method !== "GET" && !r.permission).map(key)).toEqual([]);
    expect(API.filter((r) => r.method === "GET" && r.permission).map(key)).toEqual([]);
  });

  it("every code a route declares comes with that status in codes.ts", () => {
    for (const r of ROUTES) {
      for (const [status, codes] of Object.entries(r.codes ?? {})) {
        for (const code of codes ?? []) expect(codeInfo(code).status, `${key(r)}: ${code} under ${status}`).toContain(Number(status));
      }
    }
    expect(Object.keys(CODES)).toContain("PERM-<permission key>");
  });

  for (const r of API.filter((x) => x.permission)) {
    it(`${key(r)} refuses a token without ${r.permission}: 403 PERM-${r.permission}, before validation, nothing written`, async () => {
      const without = tokenWith(ADMIN_ROLES.filter((k) => k !== r.permission));
      const req = await SAMPLES[key(r)].run();
      const bodies = r.request ? [req.body, { "not-a-field": true }] : [req.body];
      for (const body of bodies) {
        const before = f.snapshot();
        const res = await without(r.method, req.path, body);
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(res.body).toMatchObject({ code: `PERM-${r.permission}`, missingPermission: r.permission });
        expect(res.body.detail).toContain(r.permission);
        expect(f.snapshot()).toBe(before);
      }
    });
  }

  for (const r of API) {
    const needs = r.permission ? [r.permission] : [];
    it(`${key(r)} succeeds for a token holding ${needs.join(", ") || "no permission"} and nothing else`, async () => {
      const only = tokenWith(needs);
      const req = await SAMPLES[key(r)].run();
      const res = await only(r.method, req.path, req.body);
      expect(res.status, JSON.stringify(res.body)).toBe(r.status);
    });
  }

  for (const r of API.filter((x) => x.codes?.[403]?.includes("BILL-1"))) {
    it(`${key(r)} declares BILL-1: a billable change needs customer.permission.billable as well`, async () => {
      const only = tokenWith([r.permission!]);
      const refused = await SAMPLES[key(r)].billable!();
      const before = f.snapshot();
      const res = await only(r.method, refused.path, refused.body);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body).toMatchObject({ code: "BILL-1", missingPermission: "customer.permission.billable" });
      expect(f.snapshot()).toBe(before);
      const both = tokenWith([r.permission!, "customer.permission.billable"]);
      expect((await both(r.method, refused.path, refused.body)).status).toBe(r.status);
    });
  }

  it("operations name no permission but Manage Billable Items (BILL-1, which only user routes declare)", () => {
    for (const r of API) if (SAMPLES[key(r)].billable) expect(r.codes?.[403], key(r)).toContain("BILL-1");
    const dir = join(__dirname, "../../platform/operations");
    const named = readdirSync(dir).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
      .flatMap((file) => [...readFileSync(join(dir, file), "utf8").matchAll(/customer\.permission\.[a-z.]+/g)].map((m) => `${file}: ${m[0]}`));
    expect([...new Set(named)]).toEqual(["users.ts: customer.permission.billable"]);
  });

  for (const r of API.filter((x) => x.method === "POST")) {
    it(`${key(r)} stores its answer with the write: the same Idempotency-Key gets it again, nothing written twice`, async () => {
      expect(r.idempotent, "the OpenAPI document lists Idempotency-Key for it").toBe(true);
      const req = await SAMPLES[key(r)].run();
      const headers = { "Idempotency-Key": `idem-${uniq()}` };
      const first = await f.admin("POST", req.path, req.body, headers);
      expect(first.status, JSON.stringify(first.body)).toBe(r.status);
      const before = f.snapshot();
      const again = await f.admin("POST", req.path, req.body, headers);
      expect({ status: again.status, body: again.body, replayed: again.headers.get("idempotent-replayed"), etag: again.headers.get("etag") })
        .toEqual({ status: first.status, body: first.body, replayed: "true", etag: first.headers.get("etag") });
      expect(f.snapshot()).toBe(before);
    });
  }
});
