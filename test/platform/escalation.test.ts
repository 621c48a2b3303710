// No way around the platform's permissions: every write route in the route table × every permission key
// a token may lack. The token's user holds every permission key but that one; it tries, on each route,
// to gain what it was not given (the missing key on its own user, a licence, a setting, the admin
// routes) and to take authority from the tenant admin. Whatever the platform answers, afterwards:
// - the token's own user holds nothing new, and is in no new named role;
// - nobody gained an authority permission the token lacks, nor lost one;
// - licence capacities are unchanged (they are the service provider's), and so are the tenant's settings
//   unless the token holds Customer Settings; fault rules, counters and tokens too;
// and every refusal is problem+json with a code from codes.ts and leaves data and audit log as they were.
// The matrix is generated from ROUTES: a write route without an attack here fails the first test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../platform/routes";
import { AUTHORITY_PERMISSIONS, PERMISSIONS } from "../../platform/keys";
import { CODES } from "../../platform/codes";
import { forceUserRoles, startPlatform, type RunningPlatform } from "../../platform/index";
import { adminClient, client, type Call, type Res } from "./helpers";

const P = "customer.user.pbx", WEB = "customer.permission.website", ANALYTICS = "customer.supervisor.analytics";
const KEYS = Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[];
const AUTHORITY: readonly string[] = AUTHORITY_PERMISSIONS;
const WRITES = ROUTES.filter((r) => r.method !== "GET");
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** One cell's tenant: the acting token's user (every permission key but `lacks`), a tenant admin holding all of them, and an entity of each kind. */
interface Cell {
  tenantId: string; lacks: string; actorId: string; adminId: string; adminTokenId: string;
  groupId: string; workspaceId: string; grantId: string; roleId: string;
}
interface Attack { what: string; path: string; body?: unknown; headers?: Record<string, string>; mustRefuse: boolean }

const ATTACKS: Record<string, (c: Cell) => Omit<Attack, "headers">[]> = {
  "PATCH /tenant": () => [{ what: "change the customer settings", path: "/tenant", body: { name: "Taken over", recordingBucket: "s3://elsewhere" }, mustRefuse: false }],
  "POST /users": (c) => [{ what: "create a user holding the missing permission", path: "/users", body: { displayName: "Sock puppet", email: `puppet-${c.tenantId}@t.example`, roles: [...new Set([WEB, c.lacks])] }, mustRefuse: AUTHORITY.includes(c.lacks) }],
  "PATCH /users/{id}": (c) => [
    { what: "add the missing permission to its own user", path: `/users/${c.actorId}`, body: { roles: KEYS }, mustRefuse: true },
    { what: "take the missing permission from the tenant admin", path: `/users/${c.adminId}`, body: { roles: KEYS.filter((k) => k !== c.lacks) }, mustRefuse: AUTHORITY.includes(c.lacks) },
    { what: "take every authority permission from the tenant admin", path: `/users/${c.adminId}`, body: { roles: [WEB] }, mustRefuse: AUTHORITY.includes(c.lacks) },
  ],
  "DELETE /users/{id}": (c) => [{ what: "delete the tenant admin", path: `/users/${c.adminId}`, mustRefuse: AUTHORITY.includes(c.lacks) }],
  "POST /users/{id}/revoke": (c) => [{ what: "revoke the tenant admin", path: `/users/${c.adminId}/revoke`, mustRefuse: AUTHORITY.includes(c.lacks) }],
  "POST /groups": () => [{ what: "create a group", path: "/groups", body: { name: "New group" }, mustRefuse: false }],
  "PATCH /groups/{id}": (c) => [{ what: "rename a group", path: `/groups/${c.groupId}`, body: { name: "Renamed" }, mustRefuse: false }],
  "DELETE /groups/{id}": (c) => [{ what: "delete a group", path: `/groups/${c.groupId}`, mustRefuse: false }],
  "POST /workspaces": () => [{ what: "create a workspace", path: "/workspaces", body: { name: "New workspace" }, mustRefuse: false }],
  "PATCH /workspaces/{id}": (c) => [{ what: "rename a workspace", path: `/workspaces/${c.workspaceId}`, body: { name: "Renamed" }, mustRefuse: false }],
  "DELETE /workspaces/{id}": (c) => [{ what: "delete a workspace", path: `/workspaces/${c.workspaceId}`, mustRefuse: false }],
  "POST /workspace-grants": (c) => [{ what: "grant its own user a workspace", path: "/workspace-grants", body: { workspaceId: c.workspaceId, userId: c.actorId, access: "admin" }, mustRefuse: false }],
  "PATCH /workspace-grants/{id}": (c) => [{ what: "raise a grant to admin", path: `/workspace-grants/${c.grantId}`, body: { access: "admin" }, mustRefuse: false }],
  "DELETE /workspace-grants/{id}": (c) => [{ what: "remove a grant", path: `/workspace-grants/${c.grantId}`, mustRefuse: false }],
  "POST /roles": () => [{ what: "create a role", path: "/roles", body: { name: "New role" }, mustRefuse: false }],
  "PATCH /roles/{id}": (c) => [{ what: "change a role", path: `/roles/${c.roleId}`, body: { description: "changed" }, mustRefuse: false }],
  "DELETE /roles/{id}": (c) => [{ what: "delete a role", path: `/roles/${c.roleId}`, mustRefuse: false }],
  "PUT /roles/{id}/assignments": (c) => [{ what: "assign its own user a named role", path: `/roles/${c.roleId}/assignments`, body: { userIds: [c.actorId] }, mustRefuse: true }],
  "PUT /admin/tenants/{tenantId}/licences": (c) => [{ what: "raise its tenant's licence capacity", path: `/admin/tenants/${c.tenantId}/licences`, body: { items: [{ key: "professional", capacity: 1000 }, { key: "analytics", capacity: 1000 }] }, mustRefuse: true }],
  "POST /admin/tokens/{id}/revoke": (c) => [{ what: "revoke the tenant admin's token", path: `/admin/tokens/${c.adminTokenId}/revoke`, mustRefuse: true }],
  "POST /admin/faults": () => [{ what: "inject a fault", path: "/admin/faults", body: { error500: 1 }, mustRefuse: true }],
  "DELETE /admin/faults": () => [{ what: "clear the fault rules", path: "/admin/faults", mustRefuse: true }],
  "POST /admin/rate-limit": () => [{ what: "turn the rate limit off", path: "/admin/rate-limit", body: { perMinute: 1, enabled: false }, mustRefuse: true }],
  "POST /admin/stats/reset": () => [{ what: "reset the request counters", path: "/admin/stats/reset", mustRefuse: true }],
};

let p: RunningPlatform;
let operator: Call;
let n = 0;

function cell(lacks: string): Cell {
  const tenantId = `esc${++n}`;
  p.createTenant({ id: tenantId, name: `Escalation ${n}`, profile: "dimensions", recordingBucket: "s3://rec", licences: { professional: 2, analytics: 2 } });
  const actor = p.createPortalUser(tenantId, { email: "actor@t.example", roles: KEYS.filter((k) => k !== lacks) });
  const admin = p.createPortalUser(tenantId, { email: "admin@t.example", roles: [...KEYS] });
  p.createPortalUser(tenantId, { email: "deputy@t.example", roles: [...KEYS] }); // a second admin: the first is not the last (LAST-ADMIN would hide a missing PERM-GRANT)
  p.issueToken(tenantId, admin.id, "tenant admin");
  const adminTokenId = p.store.listTokens(tenantId).find((t) => t.userId === admin.id)!.id;
  const pbx = p.addDirectoryEntry(tenantId, { extension: "201", displayName: "Pat", email: "pat@t.example" });
  forceUserRoles(p.store, tenantId, pbx.id, [P, WEB, ANALYTICS]); // a workspace grant needs the Analytics tier
  return { tenantId, lacks, actorId: actor.id, adminId: admin.id, adminTokenId, groupId: "", workspaceId: "", grantId: "", roleId: "" };
}

/** A group, a workspace, a grant of it to the PBX user and a named role, made through the API by the tenant admin. */
async function entities(c: Cell): Promise<Cell> {
  const admin = client(p.apiUrl, p.issueToken(c.tenantId, c.adminId, "seed"));
  const ok = async (r: Promise<Res>) => { const x = await r; expect(x.status, JSON.stringify(x.body)).toBeLessThan(300); return x.body; };
  const pbx = p.store.getUserByExtension(c.tenantId, "201")!;
  const groupId = (await ok(admin("POST", "/groups", { name: "Sales" }))).id;
  const workspaceId = (await ok(admin("POST", "/workspaces", { name: "Floor" }))).id;
  const grantId = (await ok(admin("POST", "/workspace-grants", { workspaceId, userId: pbx.id, access: "view" }))).id;
  const roleId = (await ok(admin("POST", "/roles", { name: "Leads" }))).id;
  return { ...c, groupId, workspaceId, grantId, roleId };
}

/** Everything an attempt could change, for the tenant and the platform. */
async function state(c: Cell) {
  const users = p.store.listUsers(c.tenantId);
  const holders = Object.fromEntries(KEYS.map((k) => [k, users.filter((u) => u.roles.includes(k)).map((u) => u.id).sort()]));
  return {
    data: JSON.stringify({
      users, grants: p.store.listGrants(c.tenantId), roles: p.store.listRoles(c.tenantId), groups: p.store.listNamed("groups", c.tenantId),
      workspaces: p.store.listNamed("workspaces", c.tenantId), audit: p.store.listAudit(c.tenantId, 0, 100_000),
    }),
    actorRoles: p.store.getUser(c.tenantId, c.actorId)!.roles,
    actorNamedRoles: p.store.listRoles(c.tenantId).filter((r) => r.userIds.includes(c.actorId)).map((r) => r.id),
    holders,
    licences: JSON.stringify([...p.store.licenceCapacities(c.tenantId)]),
    tenant: JSON.stringify(p.store.getTenant(c.tenantId)),
    tokens: JSON.stringify(p.store.listTokens(c.tenantId).map((t) => [t.id, t.revokedAt])),
    faults: JSON.stringify((await operator("GET", "/admin/faults")).body),
    total: p.stats().total,
  };
}

describe("permission escalation, route × missing permission (generated from the route table)", () => {
  beforeAll(async () => { p = await startPlatform({ rateLimit: false, authFailureLimit: false }); operator = adminClient(p); });
  afterAll(() => p.close());

  it("has an attack for every write route in the table", () => {
    expect(Object.keys(ATTACKS).sort()).toEqual(WRITES.map(key).sort());
  });

  let refusals = 0;
  for (const r of WRITES) {
    describe(key(r), () => {
      for (const lacks of KEYS) {
        it(`a token lacking ${lacks} gains nothing`, async () => {
          const c = await entities(cell(lacks));
          const as = client(p.apiUrl, p.issueToken(c.tenantId, c.actorId, "actor"));
          for (const attack of ATTACKS[key(r)](c)) {
            const before = await state(c);
            // JSON on every request: the admin routes would refuse anything else before looking at the credential
            const res = await as(r.method, attack.path, attack.body, { "Content-Type": "application/json" });
            const after = await state(c);
            const what = `${key(r)} lacking ${lacks}: ${attack.what} → ${res.status} ${JSON.stringify(res.body)}`;

            // its own user gains nothing
            expect(after.actorRoles.filter((k) => !before.actorRoles.includes(k)), what).toEqual([]);
            expect(after.actorNamedRoles.filter((x) => !before.actorNamedRoles.includes(x)), what).toEqual([]);
            // nobody gains or loses an authority permission the token lacks; nobody gains any key the token lacks on the token's behalf
            for (const k of KEYS) {
              if (c.lacks !== k) continue;
              if (AUTHORITY.includes(k)) expect(after.holders[k], what).toEqual(before.holders[k]);
              else expect(after.holders[k].filter((id) => id === c.actorId), what).toEqual([]);
            }
            // licences are the service provider's; settings need Customer Settings; the platform's controls need the admin credential
            expect(after.licences, what).toBe(before.licences);
            if (c.lacks === "customer.permission.settings") expect(after.tenant, what).toBe(before.tenant);
            expect(after.faults, what).toBe(before.faults);
            expect(after.total, what).toBeGreaterThanOrEqual(before.total); // the counters were not reset
            if (r.admin) expect(after.tokens, what).toBe(before.tokens);

            if (attack.mustRefuse || (r.permission === lacks)) expect(res.status, what).toBeGreaterThanOrEqual(400);
            if (res.status >= 400) {
              refusals++;
              expect(res.headers.get("content-type"), what).toMatch(/^application\/problem\+json/);
              expect(res.body.code in CODES || /^PERM-customer\.permission\./.test(res.body.code), what).toBe(true);
              expect(after.data, `${what}: a refusal changes nothing, audit log included`).toBe(before.data);
              expect(after.tenant, what).toBe(before.tenant);
            }
          }
        });
      }
    });
  }

  it("refused the attempts it had to", () => {
    // every admin route, every self-grant and self-assignment, and the authority attacks for each authority key
    expect(refusals).toBeGreaterThan(WRITES.filter((r) => r.admin).length * KEYS.length);
  });
});

describe("the issue's scenario: a token whose user has Manage Users only", () => {
  let q: RunningPlatform;
  beforeAll(async () => { q = await startPlatform({ rateLimit: false }); });
  afterAll(() => q.close());

  it("cannot add Manage Billable Items to itself, raise licences, strip the admin, or reach the admin routes", async () => {
    const t = q.createTenant({ name: "Acme", profile: "dimensions", recordingBucket: "s3://rec", licences: { professional: 1 } });
    const admin = q.createPortalUser(t.id, { email: "admin@acme.example", roles: [WEB, "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces", "customer.permission.settings"] });
    const helpdesk = q.createPortalUser(t.id, { email: "helpdesk@acme.example", roles: [WEB, "customer.permission.users"] });
    const as = client(q.apiUrl, q.issueToken(t.id, helpdesk.email));
    const self = (await as("PATCH", `/users/${helpdesk.id}`, { roles: [WEB, "customer.permission.users", "customer.permission.billable"] })).body;
    expect(self).toMatchObject({ status: 403, code: "PERM-SELF", keys: ["customer.permission.billable"] });
    for (const k of ["customer.permission.workspaces", "customer.permission.settings"]) {
      expect((await as("PATCH", `/users/${helpdesk.id}`, { roles: [WEB, "customer.permission.users", k] })).body.code).toBe("PERM-SELF");
    }
    // nor through a sock puppet: granting an authority permission needs holding it
    const puppet = (await as("POST", "/users", { displayName: "Puppet", email: "puppet@acme.example", roles: [WEB, "customer.permission.users", "customer.permission.billable"] })).body;
    expect(puppet).toMatchObject({ status: 403, code: "PERM-GRANT", keys: ["customer.permission.billable"] });
    const strip = (await as("PATCH", `/users/${admin.id}`, { roles: [WEB] })).body;
    expect(strip).toMatchObject({ status: 403, code: "PERM-GRANT" });
    expect([...strip.keys].sort()).toEqual(["customer.permission.billable", "customer.permission.settings", "customer.permission.workspaces"]);
    expect((await as("DELETE", `/users/${admin.id}`)).body.code).toBe("PERM-GRANT");
    expect((await as("POST", `/users/${admin.id}/revoke`)).body.code).toBe("PERM-GRANT");
    const lic = await as("PUT", `/admin/tenants/${t.id}/licences`, { items: [{ key: "professional", capacity: 99 }] });
    expect(lic.body.code).toBe("ADMIN-CREDENTIAL");
    expect([...q.store.licenceCapacities(t.id)]).toEqual([["professional", 1]]);
    expect(q.store.getUser(t.id, helpdesk.id)!.roles).toEqual([WEB, "customer.permission.users"].sort());
    expect(q.store.getUser(t.id, admin.id)!.roles).toEqual(admin.roles);
  });

  it("the last tenant admin cannot be stripped, revoked or deleted, by itself or anyone; with a second admin it can", async () => {
    const t = q.createTenant({ name: "Solo", profile: "dimensions" });
    const FULL = [WEB, "customer.permission.users", "customer.permission.billable"];
    const solo = q.createPortalUser(t.id, { email: "solo@solo.example", roles: FULL });
    const as = client(q.apiUrl, q.issueToken(t.id, solo.email));
    const demote = (await as("PATCH", `/users/${solo.id}`, { roles: [WEB, "customer.permission.users"] })).body;
    expect(demote).toMatchObject({ status: 409, code: "LAST-ADMIN", keys: ["customer.permission.billable"], userId: solo.id });
    expect((await as("POST", `/users/${solo.id}/revoke`)).body).toMatchObject({ code: "LAST-ADMIN", keys: ["customer.permission.billable", "customer.permission.users"] });
    expect((await as("DELETE", `/users/${solo.id}`)).body.code).toBe("LAST-ADMIN");
    expect(q.store.getUser(t.id, solo.id)!.roles).toEqual([...FULL].sort());
    // a second admin, given by the first (who holds every key it grants): now the first may step down
    const second = (await as("POST", "/users", { displayName: "Second", email: "second@solo.example", roles: FULL })).body;
    expect(second.roles).toEqual([...FULL].sort());
    expect((await as("PATCH", `/users/${solo.id}`, { roles: [WEB] })).status).toBe(200);
    const by2 = client(q.apiUrl, q.issueToken(t.id, second.email));
    expect((await by2("DELETE", `/users/${second.id}`)).body.code).toBe("LAST-ADMIN");
  });
});
