// The API's route table: one entry per operation, with the permission the router enforces, the schemas
// that type and validate it, and the refusals it may answer with (openapi.ts documents the same
// entries; router.ts says what each field does). Handlers are one line over platform/operations/.
import { z } from "zod";
import * as S from "./schemas";
import { Problem } from "./problem";
import { type ApiResult, compile, match, route, type RouteDef } from "./router";
import { find, type Ctx } from "./operations/write";
import { createUser, deleteUser, patchUser, revokeUser, USERS, userView } from "./operations/users";
import { createGroup, deleteGroup, GROUPS, patchGroup } from "./operations/groups";
import { createWorkspace, deleteWorkspace, patchWorkspace, WORKSPACES } from "./operations/workspaces";
import { namedView } from "./operations/named";
import { createGrant, deleteGrant, GRANTS, grantView, patchGrant } from "./operations/grants";
import { assignmentsView, createRole, deleteRole, patchRole, putAssignments, ROLES, roleView } from "./operations/roles";
import { licencesView, putLicences } from "./operations/licences";
import { meView, patchTenant, tenantView } from "./operations/tenant";
import { adminCtx } from "./operations/admin";
import { listTokens, revokeToken } from "./tenants";

export type { ApiRequest, ApiResult, RouteDef, ServerState } from "./router";

// ---------- paging ----------
export function parseLimit(q: URLSearchParams, def: number, max: number): number {
  const raw = q.get("limit");
  if (raw === null || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Problem(422, "VALIDATION", `limit must be an integer from 1 to ${max}; got "${raw}".`, { errors: [{ path: "limit", message: `1..${max}` }] });
  return n;
}
/** A cursor names its collection (`c`): one from another collection's list is refused (400 CURSOR). */
export const encodeCursor = (collection: string, after: string | number) => Buffer.from(JSON.stringify({ c: collection, a: after })).toString("base64url");
export function decodeCursor(q: URLSearchParams, collection: string): string | null {
  const raw = q.get("cursor");
  if (raw === null) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { c?: unknown; a?: unknown };
    if (v && v.c === collection && (typeof v.a === "string" || typeof v.a === "number")) return String(v.a);
    if (v && typeof v.c === "string" && v.c !== collection) throw new Problem(400, "CURSOR", `cursor is for the ${v.c.slice(0, 40)} list, not ${collection}. Pass the nextCursor of this list, or start again without a cursor.`);
  } catch (e) { if (e instanceof Problem) throw e; /* fall through */ }
  throw new Problem(400, "CURSOR", `cursor "${raw.slice(0, 40)}" is not one this server issued. Start again without a cursor.`);
}
function paged<T>(collection: string, items: T[], limit: number, key: (t: T) => string | number) {
  const more = items.length > limit;
  const page = more ? items.slice(0, limit) : items;
  return { items: page, nextCursor: more ? encodeCursor(collection, key(page[page.length - 1])) : null };
}
const pageQuery = [
  { name: "limit", description: "Page size (1..500, default 500)" },
  { name: "cursor", description: "nextCursor from the previous page" },
];

const ok = <T>(body: T, etag?: string): ApiResult<T> => ({ status: 200, body, etag });
const created = <T extends { etag: string }>(body: T): ApiResult<T> => ({ status: 201, body, etag: body.etag });
const withEtag = <T extends { etag: string }>(body: T): ApiResult<T> => ok(body, body.etag);
const gone = (): ApiResult<unknown> => ({ status: 204 });
const tid = (ctx: Ctx) => ctx.tenant.id;

const USERS_PERM = "customer.permission.users", WORKSPACES_PERM = "customer.permission.workspaces";

export const ROUTES: RouteDef[] = [
  // ---- who am I, tenant, directory ----
  route({ method: "GET", path: "/me", tag: "tenant", summary: "The acting credential: tenant, portal user, permissions", response: S.Me, status: 200,
    handler: (r) => ok(meView(r.ctx)) }),
  route({ method: "GET", path: "/tenant", tag: "tenant", summary: "Tenant settings", response: S.Tenant, status: 200,
    handler: (r) => ok(tenantView(r.ctx.tenant)) }),
  route({ method: "PATCH", path: "/tenant", tag: "tenant", summary: "Change customer settings (name, recording bucket)", permission: "customer.permission.settings",
    request: S.TenantPatch, response: S.Tenant, status: 200, codes: { 409: ["REC-1"] },
    handler: (r) => ok(patchTenant(r.ctx, r.body)) }),
  route({ method: "GET", path: "/directory", tag: "tenant", summary: "PBX directory (extensions, devices), paged by extension", query: pageQuery,
    response: S.page(S.DirectoryEntry, "DirectoryPage"), status: 200,
    handler: (r) => {
      const limit = parseLimit(r.query, 500, 500);
      return ok(paged("directory", r.state.store.listDirectory(tid(r.ctx), decodeCursor(r.query, "directory"), limit + 1), limit, (d) => d.extension));
    } }),

  // ---- users ----
  route({ method: "GET", path: "/users", tag: "users", summary: "Users, paged by id", query: pageQuery, response: S.page(S.User, "UserPage"), status: 200,
    handler: (r) => {
      const limit = parseLimit(r.query, 500, 500);
      const p = paged("users", r.state.store.listUsers(tid(r.ctx), decodeCursor(r.query, "users"), limit + 1), limit, (u) => u.id);
      return ok({ items: p.items.map(userView), nextCursor: p.nextCursor });
    } }),
  route({ method: "POST", path: "/users", tag: "users", summary: "Create a manual user (PBX users come from the directory)", permission: USERS_PERM,
    request: S.UserCreate, response: S.User, status: 201, idempotent: true,
    codes: { 403: ["PERM-GRANT", "BILL-1"], 409: ["SRC-3", "USER-EXISTS", "LIC-1"], 422: ["KEY-UNKNOWN", "SRC-1", "WEB-2", "TIER-MULTIPLE", "REC-1", "GRP-1", "X8-1", "X8-2"] },
    handler: (r) => created(createUser(r.ctx, r.body)) }),
  route({ method: "GET", path: "/users/{id}", tag: "users", summary: "One user", response: S.User, status: 200,
    handler: (r) => withEtag(userView(find(r.ctx, USERS, r.params.id))) }),
  route({ method: "PATCH", path: "/users/{id}", tag: "users", summary: "Change a user (roles replace the whole set)", permission: USERS_PERM,
    request: S.UserPatch, response: S.User, status: 200, ifMatch: true,
    codes: { 403: ["PERM-SELF", "PERM-GRANT", "BILL-1"], 409: ["SRC-4", "AGT-1", "MAIL-1", "WS-1", "WS-2", "LAST-ADMIN", "LIC-1"], 422: ["KEY-UNKNOWN", "SRC-1", "SRC-2", "WEB-2", "TIER-MULTIPLE", "UC-1", "UC-2", "UC-3", "REC-1", "GRP-1", "X8-1", "X8-2"] },
    handler: (r) => withEtag(patchUser(r.ctx, r.params.id, r.body, r.ifMatch)) }),
  route({ method: "DELETE", path: "/users/{id}", tag: "users", summary: "Delete a manual user (PBX users: revoke instead)", permission: USERS_PERM,
    status: 204, ifMatch: true, codes: { 403: ["PERM-GRANT", "BILL-1"], 409: ["SRC-3", "LAST-ADMIN"] },
    handler: (r) => { deleteUser(r.ctx, r.params.id, r.ifMatch); return gone(); } }),
  route({ method: "POST", path: "/users/{id}/revoke", tag: "users", summary: "Reset a user to the baseline (PBX: Essential [+ auto Agent]; manual: no roles), clear softphone, remove workspace grants; groups are kept",
    permission: USERS_PERM, response: S.User, status: 200, ifMatch: true, idempotent: true, codes: { 403: ["PERM-GRANT", "BILL-1"], 409: ["LAST-ADMIN"] },
    handler: (r) => withEtag(revokeUser(r.ctx, r.params.id, r.ifMatch)) }),

  // ---- groups ----
  route({ method: "GET", path: "/groups", tag: "groups", summary: "Groups, paged by id", query: pageQuery, response: S.page(S.Group, "GroupPage"), status: 200,
    handler: (r) => {
      const limit = parseLimit(r.query, 500, 500);
      const after = decodeCursor(r.query, "groups");
      // ids sort in creation order (a prefix and a zero-padded counter)
      const rest = r.state.store.listNamed("groups", tid(r.ctx)).filter((g) => after === null || g.id > after).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const p = paged("groups", rest.slice(0, limit + 1), limit, (g) => g.id);
      return ok({ items: p.items.map(namedView), nextCursor: p.nextCursor });
    } }),
  route({ method: "POST", path: "/groups", tag: "groups", summary: "Create a group", permission: USERS_PERM, request: S.GroupCreate, response: S.Group, status: 201, idempotent: true,
    codes: { 409: ["GROUP-EXISTS"] },
    handler: (r) => created(createGroup(r.ctx, r.body)) }),
  route({ method: "GET", path: "/groups/{id}", tag: "groups", summary: "One group", response: S.Group, status: 200,
    handler: (r) => withEtag(namedView(find(r.ctx, GROUPS, r.params.id))) }),
  route({ method: "PATCH", path: "/groups/{id}", tag: "groups", summary: "Change a group", permission: USERS_PERM, request: S.GroupPatch, response: S.Group, status: 200, ifMatch: true,
    codes: { 409: ["GROUP-EXISTS"] },
    handler: (r) => withEtag(patchGroup(r.ctx, r.params.id, r.body, r.ifMatch)) }),
  route({ method: "DELETE", path: "/groups/{id}", tag: "groups", summary: "Delete a group (its members lose it; a primary group is cleared)", permission: USERS_PERM,
    status: 204, ifMatch: true,
    handler: (r) => { deleteGroup(r.ctx, r.params.id, r.ifMatch); return gone(); } }),

  // ---- workspaces ----
  route({ method: "GET", path: "/workspaces", tag: "workspaces", summary: "Workspaces", response: z.object({ items: z.array(S.Workspace) }).meta({ id: "WorkspaceList" }), status: 200,
    handler: (r) => ok({ items: r.state.store.listNamed("workspaces", tid(r.ctx)).map(namedView) }) }),
  route({ method: "POST", path: "/workspaces", tag: "workspaces", summary: "Create a workspace", permission: WORKSPACES_PERM, request: S.WorkspaceCreate, response: S.Workspace,
    status: 201, idempotent: true, codes: { 409: ["WS-EXISTS"] },
    handler: (r) => created(createWorkspace(r.ctx, r.body)) }),
  route({ method: "GET", path: "/workspaces/{id}", tag: "workspaces", summary: "One workspace", response: S.Workspace, status: 200,
    handler: (r) => withEtag(namedView(find(r.ctx, WORKSPACES, r.params.id))) }),
  route({ method: "PATCH", path: "/workspaces/{id}", tag: "workspaces", summary: "Change a workspace", permission: WORKSPACES_PERM, request: S.WorkspacePatch, response: S.Workspace,
    status: 200, ifMatch: true, codes: { 409: ["WS-EXISTS"] },
    handler: (r) => withEtag(patchWorkspace(r.ctx, r.params.id, r.body, r.ifMatch)) }),
  route({ method: "DELETE", path: "/workspaces/{id}", tag: "workspaces", summary: "Delete a workspace and its grants", permission: WORKSPACES_PERM, status: 204, ifMatch: true,
    handler: (r) => { deleteWorkspace(r.ctx, r.params.id, r.ifMatch); return gone(); } }),

  // ---- workspace grants ----
  route({ method: "GET", path: "/workspace-grants", tag: "workspaces", summary: "All workspace grants in the tenant, paged by id", query: pageQuery,
    response: S.page(S.Grant, "WorkspaceGrantPage"), status: 200,
    handler: (r) => {
      const limit = parseLimit(r.query, 500, 500);
      const p = paged("workspace-grants", r.state.store.listGrants(tid(r.ctx), decodeCursor(r.query, "workspace-grants"), limit + 1), limit, (g) => g.id);
      return ok({ items: p.items.map(grantView), nextCursor: p.nextCursor });
    } }),
  route({ method: "POST", path: "/workspace-grants", tag: "workspaces", summary: "Grant a user access to a workspace", permission: WORKSPACES_PERM,
    request: S.GrantCreate, response: S.Grant, status: 201, idempotent: true, codes: { 409: ["GRANT-EXISTS"], 422: ["WS-1", "WS-2"] },
    handler: (r) => created(createGrant(r.ctx, r.body)) }),
  route({ method: "GET", path: "/workspace-grants/{id}", tag: "workspaces", summary: "One workspace grant", response: S.Grant, status: 200,
    handler: (r) => withEtag(grantView(find(r.ctx, GRANTS, r.params.id))) }),
  route({ method: "PATCH", path: "/workspace-grants/{id}", tag: "workspaces", summary: "Change a grant's access level", permission: WORKSPACES_PERM,
    request: S.GrantPatch, response: S.Grant, status: 200, ifMatch: true,
    handler: (r) => withEtag(patchGrant(r.ctx, r.params.id, r.body, r.ifMatch)) }),
  route({ method: "DELETE", path: "/workspace-grants/{id}", tag: "workspaces", summary: "Remove a grant", permission: WORKSPACES_PERM, status: 204, ifMatch: true,
    handler: (r) => { deleteGrant(r.ctx, r.params.id, r.ifMatch); return gone(); } }),

  // ---- named roles ----
  route({ method: "GET", path: "/roles", tag: "roles", summary: "Named roles (Office@Hand / IntelePeer)", response: z.object({ items: z.array(S.Role) }).meta({ id: "RoleList" }), status: 200,
    handler: (r) => ok({ items: r.state.store.listRoles(tid(r.ctx)).map(roleView) }) }),
  route({ method: "POST", path: "/roles", tag: "roles", summary: "Create a custom role", permission: USERS_PERM, request: S.RoleCreate, response: S.Role,
    status: 201, idempotent: true, codes: { 409: ["ROLE-EXISTS"], 422: ["ROLE-UNKNOWN-PERMISSION"] },
    handler: (r) => created(createRole(r.ctx, r.body)) }),
  route({ method: "GET", path: "/roles/{id}", tag: "roles", summary: "One role", response: S.Role, status: 200,
    handler: (r) => withEtag(roleView(find(r.ctx, ROLES, r.params.id))) }),
  route({ method: "PATCH", path: "/roles/{id}", tag: "roles", summary: "Change a custom role (presets are read-only)", permission: USERS_PERM, request: S.RolePatch,
    response: S.Role, status: 200, ifMatch: true, codes: { 409: ["ROLE-PRESET-READONLY", "ROLE-EXISTS"], 422: ["ROLE-UNKNOWN-PERMISSION"] },
    handler: (r) => withEtag(patchRole(r.ctx, r.params.id, r.body, r.ifMatch)) }),
  route({ method: "DELETE", path: "/roles/{id}", tag: "roles", summary: "Delete a custom role", permission: USERS_PERM, status: 204, ifMatch: true,
    codes: { 409: ["ROLE-PRESET-READONLY"] },
    handler: (r) => { deleteRole(r.ctx, r.params.id, r.ifMatch); return gone(); } }),
  route({ method: "GET", path: "/roles/{id}/assignments", tag: "roles", summary: "Users holding the role", response: S.RoleAssignmentsView, status: 200,
    handler: (r) => withEtag(assignmentsView(find(r.ctx, ROLES, r.params.id))) }),
  route({ method: "PUT", path: "/roles/{id}/assignments", tag: "roles", summary: "Replace the set of users holding the role (allowed on presets too); If-Match is the role's ETag",
    permission: USERS_PERM, request: S.RoleAssignments, response: S.RoleAssignmentsView, status: 200, ifMatch: true, codes: { 403: ["PERM-SELF"], 422: ["ROLE-UNKNOWN-USER"] },
    handler: (r) => withEtag(putAssignments(r.ctx, r.params.id, r.body.userIds, r.ifMatch)) }),

  // ---- licences, audit ----
  route({ method: "GET", path: "/licences", tag: "licences", summary: "Metered licences: capacity and in use (a key absent here is not metered)", response: S.Licences, status: 200,
    handler: (r) => ok(licencesView(r.ctx)) }),
  route({ method: "GET", path: "/audit", tag: "audit", summary: "Audit log, oldest first (order=desc for newest first), paged by seq",
    query: [{ name: "limit", description: "1..500, default 100" }, { name: "cursor", description: "nextCursor from the previous page" }, { name: "order", description: "asc (default) or desc" }],
    response: S.page(S.AuditEntry, "AuditPage"), status: 200,
    handler: (r) => {
      const limit = parseLimit(r.query, 100, 500);
      const desc = r.query.get("order") === "desc";
      const after = Number(decodeCursor(r.query, "audit") ?? 0);
      return ok(paged("audit", r.state.store.listAudit(tid(r.ctx), after, limit + 1, desc), limit, (e) => e.seq));
    } }),

  // ---- the service provider's administration: the platform's admin credential, never a tenant token ----
  route({ method: "PUT", path: "/admin/tenants/{tenantId}/licences", tag: "admin", summary: "Set a tenant's licence capacities (capacity null stops metering a key); the service provider's, not the tenant's",
    auth: false, admin: true, request: S.LicencesPut, response: S.Licences, status: 200,
    handler: (r) => ok(putLicences(adminCtx(r.state.store, r.params.tenantId, r.requestId ?? null), r.body.items)) }),
  route({ method: "GET", path: "/admin/tokens", tag: "admin", summary: "Every API token (of one tenant with ?tenant=): id, user, label, expiry, status; never a secret",
    auth: false, admin: true, query: [{ name: "tenant", description: "Only this tenant's tokens" }], response: S.TokenList, status: 200,
    handler: (r) => {
      const tenant = r.query.get("tenant") ?? undefined;
      if (tenant !== undefined && !r.state.store.getTenant(tenant)) throw new Problem(404, "NOT-FOUND", `Tenant "${tenant}" does not exist.`, { id: tenant });
      return ok({ items: listTokens(r.state.store, tenant) });
    } }),
  route({ method: "POST", path: "/admin/tokens/{id}/revoke", tag: "admin", summary: "Revoke an API token: it stops working at once", auth: false, admin: true,
    response: S.TokenInfo, status: 200,
    handler: (r) => {
      const t = revokeToken(r.state.store, r.params.id);
      if (!t) throw new Problem(404, "NOT-FOUND", `Token "${r.params.id}" does not exist. List them (GET /admin/tokens or \`platform token list\`) to find its id.`, { id: r.params.id });
      return ok(t);
    } }),

  // ---- test controls (the admin credential too) ----
  route({ method: "GET", path: "/admin/faults", tag: "admin", summary: "Current fault-injection rules", auth: false, admin: true, response: S.FaultsView, status: 200,
    handler: (r) => ok({ rules: r.state.faults.rules }) }),
  route({ method: "POST", path: "/admin/faults", tag: "admin", summary: "Add a fault rule (replaces the rule for the same route)", auth: false, admin: true,
    request: S.FaultRule, response: S.FaultsView, status: 200,
    handler: (r) => { r.state.faults.add(r.body); return ok({ rules: r.state.faults.rules }); } }),
  route({ method: "DELETE", path: "/admin/faults", tag: "admin", summary: "Remove every fault rule", auth: false, admin: true, status: 204,
    handler: (r) => { r.state.faults.clear(); return gone(); } }),
  route({ method: "POST", path: "/admin/rate-limit", tag: "admin", summary: "Configure the per-token rate limit (enabled:false turns it off)", auth: false, admin: true,
    request: S.RateLimitConfig, response: z.object({ enabled: z.boolean(), perMinute: z.number().optional(), burst: z.number().optional() }).meta({ id: "RateLimitView" }), status: 200,
    handler: (r) => {
      const c = r.body;
      if (c.enabled === false) { r.state.limiter.configure(false); return ok({ enabled: false }); }
      const cfg = { perMinute: c.perMinute, burst: c.burst ?? c.perMinute };
      r.state.limiter.configure(cfg);
      return ok({ enabled: true, ...cfg });
    } }),
  route({ method: "GET", path: "/admin/stats", tag: "admin", summary: "Requests counted per route and method since start or the last reset", auth: false, admin: true, response: S.Stats, status: 200,
    handler: (r) => ok(r.state.stats) }),
  route({ method: "POST", path: "/admin/stats/reset", tag: "admin", summary: "Reset the request counters", auth: false, admin: true, response: S.Stats, status: 200,
    handler: (r) => { Object.assign(r.state.stats, { total: 0, reads: 0, writes: 0, byRoute: {} }); return ok(r.state.stats); } }),
];

// ---------- matching ----------
export const COMPILED = compile(ROUTES);
export const matchRoute = (method: string, path: string) => match(COMPILED, method, path);
