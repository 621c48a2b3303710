// The API's route table: one entry per operation, with the schemas and error codes that document it
// (openapi.ts reads this table) and the handler that runs it (server.ts dispatches on it).
import { z } from "zod";
import * as S from "./schemas";
import * as svc from "./service";
import { Problem } from "./problem";
import type { Ctx } from "./service";
import type { Store } from "./store";
import type { Faults } from "./faults";
import type { RateLimiter } from "./ratelimit";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface ServerState {
  store: Store; faults: Faults; limiter: RateLimiter;
  stats: { total: number; reads: number; writes: number; rateLimited: number; byRoute: Record<string, number> };
}

export interface ApiRequest {
  ctx: Ctx; params: Record<string, string>; query: URLSearchParams; body: unknown;
  ifMatch?: string; state: ServerState;
}
export interface ApiResult { status: number; body?: unknown; etag?: string }

export interface RouteDef {
  method: Method; path: string; summary: string; tag: string;
  /** false: no token needed (admin controls, the OpenAPI document). */
  auth?: boolean;
  /** Admin routes: not counted in stats, not rate limited, no fault injection. */
  admin?: boolean;
  permission?: string;
  request?: z.ZodType; response?: z.ZodType; status: number;
  errors?: number[]; codes?: string[];
  query?: { name: string; description: string }[];
  ifMatch?: boolean; idempotent?: boolean;
  handler: (r: ApiRequest) => ApiResult;
}

// ---------- paging ----------
export function parseLimit(q: URLSearchParams, def: number, max: number): number {
  const raw = q.get("limit");
  if (raw === null || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Problem(422, "VALIDATION", `limit must be an integer from 1 to ${max}; got "${raw}".`, { errors: [{ path: "limit", message: `1..${max}` }] });
  return n;
}
export const encodeCursor = (after: string | number) => Buffer.from(JSON.stringify({ a: after })).toString("base64url");
export function decodeCursor(q: URLSearchParams): string | null {
  const raw = q.get("cursor");
  if (!raw) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { a?: unknown };
    if (typeof v.a === "string" || typeof v.a === "number") return String(v.a);
  } catch { /* fall through */ }
  throw new Problem(400, "CURSOR", `cursor "${raw.slice(0, 40)}" is not one this server issued. Start again without a cursor.`);
}
function paged<T>(items: T[], limit: number, key: (t: T) => string | number) {
  const more = items.length > limit;
  const page = more ? items.slice(0, limit) : items;
  return { items: page, nextCursor: more ? encodeCursor(key(page[page.length - 1])) : null };
}

const ok = (body: unknown, etag?: string): ApiResult => ({ status: 200, body, etag });
const created = (body: { etag?: string }): ApiResult => ({ status: 201, body, etag: body.etag });
const parse = <T extends z.ZodType>(schema: T, body: unknown): z.infer<T> => schema.parse(body ?? {});
const pageQuery = [
  { name: "limit", description: "Page size (1..500, default 500)" },
  { name: "cursor", description: "nextCursor from the previous page" },
];

const getOr404 = <T>(v: T | undefined, what: string, id: string): T => {
  if (v === undefined) throw new Problem(404, "NOT-FOUND", `${what} "${id}" does not exist in this tenant. List them (GET) to find the right id.`, { id });
  return v;
};

const tid = (r: ApiRequest) => r.ctx.tenant.id;

export const ROUTES: RouteDef[] = [
  // ---- who am I, tenant, directory ----
  { method: "GET", path: "/me", tag: "tenant", summary: "The acting credential: tenant, portal user, permissions", response: S.Me, status: 200,
    handler: (r) => ok(svc.meView(r.ctx)) },
  { method: "GET", path: "/tenant", tag: "tenant", summary: "Tenant settings", response: S.Tenant, status: 200,
    handler: (r) => ok(svc.tenantView(r.ctx.tenant)) },
  { method: "PATCH", path: "/tenant", tag: "tenant", summary: "Change customer settings (name, recording bucket)", permission: "customer.permission.settings",
    request: S.TenantPatch, response: S.Tenant, status: 200, errors: [403, 409, 422], codes: ["REC-1"],
    handler: (r) => ok(svc.patchTenant(r.ctx, parse(S.TenantPatch, r.body))) },
  { method: "GET", path: "/directory", tag: "tenant", summary: "PBX directory (extensions, devices), paged by extension", query: pageQuery,
    response: S.page(S.DirectoryEntry, "DirectoryPage"), status: 200,
    handler: (r) => {
      const limit = parseLimit(r.query, 500, 500);
      return ok(paged(r.state.store.listDirectory(tid(r), decodeCursor(r.query), limit + 1), limit, (d) => d.extension));
    } },

  // ---- users ----
  { method: "GET", path: "/users", tag: "users", summary: "Users, paged by id", query: pageQuery, response: S.page(S.User, "UserPage"), status: 200,
    handler: (r) => {
      const limit = parseLimit(r.query, 500, 500);
      const p = paged(r.state.store.listUsers(tid(r), decodeCursor(r.query), limit + 1), limit, (u) => u.id);
      return ok({ items: p.items.map(svc.userView), nextCursor: p.nextCursor });
    } },
  { method: "POST", path: "/users", tag: "users", summary: "Create a manual user (PBX users come from the directory)", permission: "customer.permission.users",
    request: S.UserCreate, response: S.User, status: 201, idempotent: true, errors: [403, 409, 422],
    codes: ["SRC-3", "USER-EXISTS", "KEY-1", "BILL-1", "SRC-1", "WEB-2", "TIER-1", "REC-1", "GRP-1", "LIC-1", "X8-1", "X8-2"],
    handler: (r) => created(svc.createUser(r.ctx, parse(S.UserCreate, r.body))) },
  { method: "GET", path: "/users/{id}", tag: "users", summary: "One user", response: S.User, status: 200, errors: [404],
    handler: (r) => { const u = svc.userView(getOr404(r.state.store.getUser(tid(r), r.params.id), "User", r.params.id)); return ok(u, u.etag); } },
  { method: "PATCH", path: "/users/{id}", tag: "users", summary: "Change a user (roles replace the whole set)", permission: "customer.permission.users (+ customer.permission.billable for billable items)",
    request: S.UserPatch, response: S.User, status: 200, ifMatch: true, errors: [403, 404, 409, 412, 422],
    codes: ["SRC-4", "KEY-1", "AGT-1", "BILL-1", "SRC-1", "SRC-2", "WEB-2", "TIER-1", "UC-1", "UC-2", "UC-3", "REC-1", "GRP-1", "MAIL-1", "WS-1", "WS-2", "LIC-1", "X8-1", "X8-2", "ETAG"],
    handler: (r) => { const u = svc.patchUser(r.ctx, r.params.id, parse(S.UserPatch, r.body), r.ifMatch); return ok(u, u.etag); } },
  { method: "DELETE", path: "/users/{id}", tag: "users", summary: "Delete a manual user (PBX users: revoke instead)", permission: "customer.permission.users",
    status: 204, ifMatch: true, errors: [403, 404, 409, 412], codes: ["SRC-3", "BILL-1", "ETAG"],
    handler: (r) => { svc.deleteUser(r.ctx, r.params.id, r.ifMatch); return { status: 204 }; } },
  { method: "POST", path: "/users/{id}/revoke", tag: "users", summary: "Reset a user to the baseline (PBX: Essential [+ auto Agent]; manual: no roles), clear softphone, remove workspace grants; groups are kept",
    permission: "customer.permission.users", response: S.User, status: 200, ifMatch: true, idempotent: true, errors: [403, 404, 412], codes: ["BILL-1", "ETAG"],
    handler: (r) => { const u = svc.revokeUser(r.ctx, r.params.id, r.ifMatch); return ok(u, u.etag); } },

  // ---- groups ----
  ...namedRoutes("groups", "Group", S.Group, S.GroupCreate, S.GroupPatch, "customer.permission.users", "GRP-2"),
  ...namedRoutes("workspaces", "Workspace", S.Workspace, S.WorkspaceCreate, S.WorkspacePatch, "customer.permission.workspaces", "WS-EXISTS"),

  // ---- workspace grants ----
  { method: "GET", path: "/workspace-grants", tag: "workspaces", summary: "All workspace grants in the tenant, paged by id", query: pageQuery,
    response: S.page(S.Grant, "WorkspaceGrantPage"), status: 200,
    handler: (r) => {
      const limit = parseLimit(r.query, 500, 500);
      const p = paged(r.state.store.listGrants(tid(r), decodeCursor(r.query), limit + 1), limit, (g) => g.id);
      return ok({ items: p.items.map(svc.grantView), nextCursor: p.nextCursor });
    } },
  { method: "POST", path: "/workspace-grants", tag: "workspaces", summary: "Grant a user access to a workspace", permission: "customer.permission.workspaces",
    request: S.GrantCreate, response: S.Grant, status: 201, idempotent: true, errors: [403, 409, 422], codes: ["WS-1", "WS-2", "GRANT-EXISTS"],
    handler: (r) => created(svc.createGrant(r.ctx, parse(S.GrantCreate, r.body))) },
  { method: "GET", path: "/workspace-grants/{id}", tag: "workspaces", summary: "One workspace grant", response: S.Grant, status: 200, errors: [404],
    handler: (r) => { const g = svc.grantView(getOr404(r.state.store.getGrant(tid(r), r.params.id), "Workspace grant", r.params.id)); return ok(g, g.etag); } },
  { method: "PATCH", path: "/workspace-grants/{id}", tag: "workspaces", summary: "Change a grant's access level", permission: "customer.permission.workspaces",
    request: S.GrantPatch, response: S.Grant, status: 200, ifMatch: true, errors: [403, 404, 412, 422], codes: ["ETAG"],
    handler: (r) => { const g = svc.patchGrant(r.ctx, r.params.id, parse(S.GrantPatch, r.body), r.ifMatch); return ok(g, g.etag); } },
  { method: "DELETE", path: "/workspace-grants/{id}", tag: "workspaces", summary: "Remove a grant", permission: "customer.permission.workspaces",
    status: 204, ifMatch: true, errors: [403, 404, 412], codes: ["ETAG"],
    handler: (r) => { svc.deleteGrant(r.ctx, r.params.id, r.ifMatch); return { status: 204 }; } },

  // ---- named roles ----
  { method: "GET", path: "/roles", tag: "roles", summary: "Named roles (Office@Hand / IntelePeer)", response: z.object({ items: z.array(S.Role) }).meta({ id: "RoleList" }), status: 200,
    handler: (r) => ok({ items: r.state.store.listRoles(tid(r)).map(svc.roleView) }) },
  { method: "POST", path: "/roles", tag: "roles", summary: "Create a custom role", permission: "customer.permission.users", request: S.RoleCreate, response: S.Role,
    status: 201, idempotent: true, errors: [403, 409, 422], codes: ["ROLE-2", "ROLE-3"],
    handler: (r) => created(svc.createRole(r.ctx, parse(S.RoleCreate, r.body))) },
  { method: "GET", path: "/roles/{id}", tag: "roles", summary: "One role", response: S.Role, status: 200, errors: [404],
    handler: (r) => { const v = svc.roleView(getOr404(r.state.store.getRole(tid(r), r.params.id), "Role", r.params.id)); return ok(v, v.etag); } },
  { method: "PATCH", path: "/roles/{id}", tag: "roles", summary: "Change a custom role (presets are read-only)", permission: "customer.permission.users", request: S.RolePatch,
    response: S.Role, status: 200, ifMatch: true, errors: [403, 404, 409, 412, 422], codes: ["ROLE-1", "ROLE-2", "ROLE-3", "ETAG"],
    handler: (r) => { const v = svc.patchRole(r.ctx, r.params.id, parse(S.RolePatch, r.body), r.ifMatch); return ok(v, v.etag); } },
  { method: "DELETE", path: "/roles/{id}", tag: "roles", summary: "Delete a custom role", permission: "customer.permission.users", status: 204, ifMatch: true,
    errors: [403, 404, 409, 412], codes: ["ROLE-1", "ETAG"],
    handler: (r) => { svc.deleteRole(r.ctx, r.params.id, r.ifMatch); return { status: 204 }; } },
  { method: "GET", path: "/roles/{id}/assignments", tag: "roles", summary: "Users holding the role", response: S.RoleAssignmentsView, status: 200, errors: [404],
    handler: (r) => { const v = svc.assignmentsView(getOr404(r.state.store.getRole(tid(r), r.params.id), "Role", r.params.id)); return ok(v, v.etag); } },
  { method: "PUT", path: "/roles/{id}/assignments", tag: "roles", summary: "Replace the set of users holding the role (allowed on presets too); If-Match is the role's ETag",
    permission: "customer.permission.users", request: S.RoleAssignments, response: S.RoleAssignmentsView, status: 200, ifMatch: true, errors: [403, 404, 412, 422], codes: ["ROLE-4", "ETAG"],
    handler: (r) => { const v = svc.putAssignments(r.ctx, r.params.id, parse(S.RoleAssignments, r.body).userIds, r.ifMatch); return ok(v, v.etag); } },

  // ---- licences, audit ----
  { method: "GET", path: "/licences", tag: "licences", summary: "Metered licences: capacity and in use (a key absent here is not metered)", response: S.Licences, status: 200,
    handler: (r) => ok(svc.licencesView(r.state.store, tid(r))) },
  { method: "PUT", path: "/admin/licences", tag: "licences", summary: "Set licence capacities (capacity null stops metering a key)", permission: "customer.permission.billable",
    request: S.LicencesPut, response: S.Licences, status: 200, admin: true, errors: [403, 422],
    handler: (r) => ok(svc.putLicences(r.ctx, parse(S.LicencesPut, r.body).items)) },
  { method: "GET", path: "/audit", tag: "audit", summary: "Audit log, oldest first (order=desc for newest first), paged by seq",
    query: [{ name: "limit", description: "1..500, default 100" }, { name: "cursor", description: "nextCursor from the previous page" }, { name: "order", description: "asc (default) or desc" }],
    response: S.page(S.AuditEntry, "AuditPage"), status: 200,
    handler: (r) => {
      const limit = parseLimit(r.query, 100, 500);
      const desc = r.query.get("order") === "desc";
      const after = Number(decodeCursor(r.query) ?? 0);
      return ok(paged(r.state.store.listAudit(tid(r), after, limit + 1, desc), limit, (e) => e.seq));
    } },

  // ---- admin and test controls (no token; the server listens on 127.0.0.1 only) ----
  { method: "GET", path: "/admin/faults", tag: "admin", summary: "Current fault-injection rules", auth: false, admin: true, response: S.FaultsView, status: 200,
    handler: (r) => ok({ rules: r.state.faults.rules }) },
  { method: "POST", path: "/admin/faults", tag: "admin", summary: "Add a fault rule (replaces the rule for the same route)", auth: false, admin: true,
    request: S.FaultRule, response: S.FaultsView, status: 200,
    handler: (r) => { r.state.faults.add(parse(S.FaultRule, r.body)); return ok({ rules: r.state.faults.rules }); } },
  { method: "DELETE", path: "/admin/faults", tag: "admin", summary: "Remove every fault rule", auth: false, admin: true, status: 204,
    handler: (r) => { r.state.faults.clear(); return { status: 204 }; } },
  { method: "POST", path: "/admin/rate-limit", tag: "admin", summary: "Configure the per-token rate limit (enabled:false turns it off)", auth: false, admin: true,
    request: S.RateLimitConfig, response: z.object({ enabled: z.boolean(), perMinute: z.number().optional(), burst: z.number().optional() }).meta({ id: "RateLimitView" }), status: 200,
    handler: (r) => {
      const c = parse(S.RateLimitConfig, r.body);
      if (c.enabled === false) { r.state.limiter.configure(false); return ok({ enabled: false }); }
      const cfg = { perMinute: c.perMinute, burst: c.burst ?? c.perMinute };
      r.state.limiter.configure(cfg);
      return ok({ enabled: true, ...cfg });
    } },
  { method: "GET", path: "/admin/stats", tag: "admin", summary: "Requests counted per route and method since start or the last reset", auth: false, admin: true, response: S.Stats, status: 200,
    handler: (r) => ok(r.state.stats) },
  { method: "POST", path: "/admin/stats/reset", tag: "admin", summary: "Reset the request counters", auth: false, admin: true, response: S.Stats, status: 200,
    handler: (r) => { Object.assign(r.state.stats, { total: 0, reads: 0, writes: 0, byRoute: {} }); return ok(r.state.stats); } },
];

function namedRoutes(kind: "groups" | "workspaces", label: string, view: z.ZodType, create: z.ZodType, patch: z.ZodType, perm: string, dup: string): RouteDef[] {
  const tag = kind;
  return [
    { method: "GET", path: `/${kind}`, tag, summary: `${label}s`, response: z.object({ items: z.array(view) }).meta({ id: `${label}List` }), status: 200,
      handler: (r) => ok({ items: r.state.store.listNamed(kind, tid(r)).map(svc.namedView) }) },
    { method: "POST", path: `/${kind}`, tag, summary: `Create a ${label.toLowerCase()}`, permission: perm, request: create, response: view, status: 201, idempotent: true,
      errors: [403, 409, 422], codes: [dup],
      handler: (r) => created(svc.createNamed(r.ctx, kind, parse(create as typeof S.GroupCreate, r.body))) },
    { method: "GET", path: `/${kind}/{id}`, tag, summary: `One ${label.toLowerCase()}`, response: view, status: 200, errors: [404],
      handler: (r) => { const v = svc.namedView(getOr404(r.state.store.getNamed(kind, tid(r), r.params.id), label, r.params.id)); return ok(v, v.etag); } },
    { method: "PATCH", path: `/${kind}/{id}`, tag, summary: `Change a ${label.toLowerCase()}`, permission: perm, request: patch, response: view, status: 200, ifMatch: true,
      errors: [403, 404, 409, 412, 422], codes: [dup, "ETAG"],
      handler: (r) => { const v = svc.patchNamed(r.ctx, kind, r.params.id, parse(patch as typeof S.GroupPatch, r.body), r.ifMatch); return ok(v, v.etag); } },
    { method: "DELETE", path: `/${kind}/{id}`, tag,
      summary: kind === "groups" ? "Delete a group (its members lose it; a primary group is cleared)" : "Delete a workspace and its grants",
      permission: perm, status: 204, ifMatch: true, errors: [403, 404, 412], codes: ["ETAG"],
      handler: (r) => { svc.deleteNamed(r.ctx, kind, r.params.id, r.ifMatch); return { status: 204 }; } },
  ];
}

// ---------- matching ----------
export interface CompiledRoute { def: RouteDef; regex: RegExp; names: string[]; key: string }
export const COMPILED: CompiledRoute[] = ROUTES.map((def) => {
  const names: string[] = [];
  const src = def.path.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === "{" || c === "}" ? c : `\\${c}`)).replace(/\{(\w+)\}/g, (_m, n: string) => { names.push(n); return "([^/]+)"; });
  return { def, regex: new RegExp(`^${src}$`), names, key: `${def.method} ${def.path}` };
});

export function matchRoute(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } | null {
  const allowed: string[] = [];
  for (const c of COMPILED) {
    const m = c.regex.exec(path);
    if (!m) continue;
    if (c.def.method !== method) { allowed.push(c.def.method); continue; }
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
    return { route: c, params };
  }
  return allowed.length ? { allowed } : null;
}

