// RingCentral's REST API as AT&T Office@Hand serves it (../../../../shared/VENDOR-APIS.md §2), over the
// platform's one store: tenants of profile "officeathand" are accounts, their PBX users are extensions,
// their roles are user roles (presets are the standard roles, read-only), role holders are assigned
// roles. The JWT bearer grant takes a platform token (issueToken) as its assertion; access and refresh
// tokens are random and only their sha256 is kept. Rate limits per user, app and group (Light 50,
// Medium 40, Heavy 10, Auth 5 per 60 s by default, a sliding window) with a 60 s penalty that a
// request during the penalty restarts; the platform's fault injection applies to these paths too.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { BodyTooLarge, closeIfUnread, decodeSegment, jsonDepthOver, readBody as readBounded } from "../../http";
import type { ServerState } from "../../router";
import type { VendorApi } from "../index";
import { sha256, type Role, type Store, type Tenant, type User } from "../../store";
import { Problem } from "../../problem";
import { REPORT_PERMISSIONS } from "../../keys";
import { createRole, deleteRole, patchRole, putAssignments } from "../../operations/roles";
import type { Ctx } from "../../operations/write";

export type RcGroup = "Light" | "Medium" | "Heavy" | "Auth";

/** Limits per user per app per group, over a sliding window; over one: 429 and a penalty that a request during it restarts. */
export interface RcLimits {
  Light: number; Medium: number; Heavy: number; Auth: number;
  windowSeconds: number; penaltySeconds: number;
  /** Probability that a request is refused with 429 regardless of the count (a storm), with Retry-After `stormRetryAfterSeconds` (default 1) and no penalty. */
  storm?: number; stormRetryAfterSeconds?: number;
}
export const RC_DEFAULT_LIMITS: RcLimits = { Light: 50, Medium: 40, Heavy: 10, Auth: 5, windowSeconds: 60, penaltySeconds: 60 };

/** The Analytics Portal report permissions as this account's permission dictionary names them (ids are the platform's: the real ones are not public). */
export const RC_REPORT_PERMISSIONS: Record<(typeof REPORT_PERMISSIONS)[number], { id: string; displayName: string }> = {
  "adoption-and-usage": { id: "AnalyticsAdoptionAndUsage", displayName: "Adoption and Usage Reports" },
  "company-numbers": { id: "AnalyticsCompanyNumbers", displayName: "Company Numbers Reports" },
  "live-reports.full": { id: "LiveReportsFullAccess", displayName: "Live Reports \u2013 Full Access" },
  "live-reports.view": { id: "LiveReportsViewOnly", displayName: "Live Reports \u2013 View Only" },
  performance: { id: "AnalyticsPerformance", displayName: "Performance Reports" },
  "qos.alerts": { id: "QualityOfServiceAlerts", displayName: "Quality of Service Reports \u2013 Alerts" },
  "qos.full": { id: "QualityOfServiceFullAccess", displayName: "Quality of Service Reports \u2013 Full Access" },
};
/** Other permissions of the dictionary (so that discovery by display name has something to skip). */
const OTHER_PERMISSIONS = [
  { id: "ReadAccounts", displayName: "Read Accounts" }, { id: "EditUserRoles", displayName: "Edit User Roles" },
  { id: "ReadUserRoles", displayName: "Read User Roles" }, { id: "ReadAssignedRoles", displayName: "Read Assigned Roles" },
  { id: "EditAssignedRoles", displayName: "Edit Assigned Roles" }, { id: "Users", displayName: "Users" },
  { id: "EditExtensions", displayName: "Edit Extensions" }, { id: "ReadCallLog", displayName: "Read Call Log" },
];
const KEY_OF_RC = new Map(Object.entries(RC_REPORT_PERMISSIONS).map(([k, v]) => [v.id, k]));

interface Session { tenantId: string; userId: string; clientId: string; expiresAt: number }
interface RcState {
  access: Map<string, Session>; refresh: Map<string, Session>;
  windows: Map<string, number[]>; penalty: Map<string, number>;
  /** Requests per group, refused ones too (what a run cost). */
  byGroup: Record<RcGroup, number>; refused: number;
}
const STATES = new WeakMap<Store, RcState>();
const LIMITS = new WeakMap<Store, RcLimits | false>();
const stateOf = (store: Store): RcState => {
  let s = STATES.get(store);
  if (!s) STATES.set(store, (s = { access: new Map(), refresh: new Map(), windows: new Map(), penalty: new Map(), byGroup: { Light: 0, Medium: 0, Heavy: 0, Auth: 0 }, refused: 0 }));
  return s;
};

/**
 * The RingCentral limits of the platform serving `store`: a config, `false` (none), or undefined
 * (the default: the documented limits, unless the platform's own rate limit is off). Clears the counts.
 */
export function setRingCentralLimits(store: Store, limits: Partial<RcLimits> | false | undefined): void {
  if (limits === undefined) LIMITS.delete(store);
  else LIMITS.set(store, limits === false ? false : { ...RC_DEFAULT_LIMITS, ...limits });
  const s = stateOf(store);
  s.windows.clear();
  s.penalty.clear();
}
/** Requests per rate-limit group since the last reset, and how many were refused with 429. */
export function ringCentralStats(store: Store, reset = false): { byGroup: Record<RcGroup, number>; refused: number } {
  const s = stateOf(store);
  const out = { byGroup: { ...s.byGroup }, refused: s.refused };
  if (reset) { s.byGroup = { Light: 0, Medium: 0, Heavy: 0, Auth: 0 }; s.refused = 0; }
  return out;
}

class RcError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string, readonly extra: Record<string, string> = {}) { super(message); }
}

interface Req { state: ServerState; rc: RcState; store: Store; url: URL; params: string[]; body: Record<string, unknown>; form: URLSearchParams; req: IncomingMessage; session?: Session; requestId: string }
interface Answer { status: number; body?: unknown }
interface Route { method: string; pattern: RegExp; template: string; group: RcGroup; auth: boolean; handle(r: Req): Answer }

const V1 = "/restapi/v1.0";
const ACCOUNT = `${V1}/account/~`;
const ID = "([^/]+)";

// ---------- wire shapes ----------
const extensionId = (u: User) => String(Number(u.id.replace(/\D/g, "")) + 62_000_000);
const nameParts = (display: string) => { const i = display.lastIndexOf(" "); return i < 0 ? { firstName: display, lastName: "" } : { firstName: display.slice(0, i), lastName: display.slice(i + 1) }; };
const extensionView = (base: string, u: User) => ({
  id: Number(extensionId(u)), uri: `${base}${ACCOUNT}/extension/${extensionId(u)}`, extensionNumber: u.extension, name: u.displayName,
  contact: { ...nameParts(u.displayName), email: u.email }, type: "User", status: "Enabled",
});
const rolePermissions = (r: Role) => r.permissions.map((p) => RC_REPORT_PERMISSIONS[p as keyof typeof RC_REPORT_PERMISSIONS]?.id ?? p).sort();
const roleView = (base: string, r: Role, dictionary = false) => ({
  id: r.id, uri: `${base}${dictionary ? `${V1}/dictionary` : ACCOUNT}/user-role/${r.id}`, displayName: r.name, description: r.description,
  custom: !r.preset, scope: "Account", hidden: false, siteCompatible: true, lastUpdated: r.updatedAt,
  permissions: rolePermissions(r).map((id) => ({ id, uri: `${base}${V1}/dictionary/permission/${id}`, siteCompatible: "Independent", readOnly: false, assignable: true })),
});
const assignedRoleView = (base: string, r: Role) => ({ id: r.id, uri: `${base}${ACCOUNT}/user-role/${r.id}`, displayName: r.name, autoAssigned: false, siteCompatible: true, siteRestricted: false });

function paged<T>(base: string, url: URL, items: T[], maxPerPage = 1000): unknown {
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
  const perPage = Math.min(maxPerPage, Math.max(1, Number(url.searchParams.get("perPage") ?? 100) || 100));
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const start = (page - 1) * perPage;
  const records = items.slice(start, start + perPage);
  const link = (p: number) => { const u = new URL(url.pathname, base); for (const [k, v] of url.searchParams) if (k !== "page") u.searchParams.set(k, v); u.searchParams.set("page", String(p)); return { uri: u.toString() }; };
  return {
    uri: link(page).uri, records,
    paging: { page, perPage, pageStart: start, pageEnd: start + Math.max(0, records.length - 1), totalPages, totalElements: items.length },
    navigation: { firstPage: link(1), ...(page < totalPages ? { nextPage: link(page + 1) } : {}), ...(page > 1 ? { previousPage: link(page - 1) } : {}), lastPage: link(totalPages) },
  };
}

// ---------- helpers ----------
function principal(r: Req): { tenant: Tenant; actor: User } {
  const s = r.session!;
  const tenant = r.store.getTenant(s.tenantId);
  const actor = tenant && r.store.getUser(tenant.id, s.userId);
  if (!tenant || !actor) throw new RcError(401, "OAU-213", "Token not found");
  return { tenant, actor };
}
const ctxOf = (r: Req): Ctx => { const { tenant, actor } = principal(r); return { store: r.store, tenant, actor, requestId: r.requestId }; };
const extensions = (r: Req) => r.store.listUsers(principal(r).tenant.id).filter((u) => u.extension !== null);
function roleOf(r: Req, id: string): Role {
  const role = r.store.getRole(principal(r).tenant.id, id);
  if (!role) throw new RcError(404, "CMN-102", `Resource for parameter [roleId] is not found`, {});
  return role;
}
function permissionKeys(body: Record<string, unknown>): string[] | undefined {
  if (body.permissions === undefined) return undefined;
  if (!Array.isArray(body.permissions)) throw new RcError(400, "CMN-101", "Parameter [permissions] value is invalid");
  const ids = body.permissions.map((p) => (p && typeof p === "object" ? String((p as { id?: unknown }).id) : String(p)));
  const unknown = ids.filter((id) => !KEY_OF_RC.has(id) && !OTHER_PERMISSIONS.some((o) => o.id === id));
  if (unknown.length) throw new RcError(400, "CMN-101", `Parameter [permissions.id] value is invalid: ${unknown.join(", ")}`);
  return ids.flatMap((id) => KEY_OF_RC.get(id) ?? []);
}
/** The platform's own refusals (Problem) in RingCentral's envelope. */
function fromProblem(p: Problem): RcError {
  const body = p.body() as { code?: string; detail?: string };
  const code = body.code ?? "";
  if (p.status === 404) return new RcError(404, "CMN-102", body.detail ?? "Resource not found");
  if (code === "ROLE-EXISTS") return new RcError(409, "RLM-10", body.detail ?? "Role with such name already exists");
  if (code === "ROLE-PRESET-READONLY") return new RcError(403, "RLM-11", body.detail ?? "Standard roles cannot be modified");
  if (p.status === 403) return new RcError(403, "CMN-401", body.detail ?? "In order to call this API endpoint, user needs to have [EditUserRoles] permission");
  return new RcError(p.status >= 500 ? 500 : 400, "CMN-101", body.detail ?? "Parameter value is invalid");
}
const requireEditRoles = (r: Req) => {
  if (!principal(r).actor.roles.includes("customer.permission.users"))
    throw new RcError(403, "CMN-401", "In order to call this API endpoint, user needs to have [EditUserRoles] permission for requested resource.");
};
const requireOfficeAtHand = (t: Tenant) => {
  if (t.profile !== "officeathand") throw new RcError(403, "OAU-251", `Account ${t.id} is not an Office@Hand (RingCentral) account; the RingCentral API serves Office@Hand tenants only`);
};

// ---------- routes ----------
const route = (method: string, template: string, group: RcGroup, handle: Route["handle"], auth = true): Route => ({
  method, template, group, auth, handle,
  pattern: new RegExp(`^${template.replace(/[.~]/g, (c) => `\\${c}`).replace(/\{\w+\}/g, ID)}$`),
});
const issue = (rc: RcState, s: Omit<Session, "expiresAt">) => {
  const access = `rc-at-${randomBytes(24).toString("base64url")}`;
  const refresh = `rc-rt-${randomBytes(24).toString("base64url")}`;
  rc.access.set(sha256(access), { ...s, expiresAt: Date.now() + 7199_000 });
  rc.refresh.set(sha256(refresh), { ...s, expiresAt: Date.now() + 604799_000 });
  return { access_token: access, token_type: "bearer", expires_in: 7199, refresh_token: refresh, refresh_token_expires_in: 604799, scope: "ReadAccounts RoleManagement", owner_id: s.userId, endpoint_id: "analytics-access" };
};

const ROUTES: Route[] = [
  route("POST", "/restapi/oauth/token", "Auth", (r) => {
    const clientId = basicClientId(r.req);
    const grant = r.form.get("grant_type");
    if (grant === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      const assertion = r.form.get("assertion") ?? "";
      const rec = assertion ? r.store.tokenByHash(sha256(assertion)) : undefined;
      const tenant = rec && r.store.getTenant(rec.tenantId);
      if (!rec || !tenant) throw new RcError(400, "OAU-140", "Invalid token (JWT assertion)", {});
      requireOfficeAtHand(tenant);
      return { status: 200, body: issue(r.rc, { tenantId: rec.tenantId, userId: rec.userId, clientId }) };
    }
    if (grant === "refresh_token") {
      const hash = sha256(r.form.get("refresh_token") ?? "");
      const s = r.rc.refresh.get(hash);
      if (!s || s.expiresAt < Date.now() || s.clientId !== clientId) throw new RcError(400, "OAU-210", "Token not found");
      r.rc.refresh.delete(hash);
      return { status: 200, body: issue(r.rc, s) };
    }
    throw new RcError(400, "OAU-250", `Unsupported grant type ${grant ?? "(none)"}`);
  }, false),
  route("POST", "/restapi/oauth/revoke", "Auth", (r) => {
    const hash = sha256(r.form.get("token") ?? "");
    r.rc.access.delete(hash);
    r.rc.refresh.delete(hash);
    return { status: 200 };
  }, false),
  route("GET", `${ACCOUNT}/extension`, "Medium", (r) => {
    const base = baseOf(r);
    let list = extensions(r);
    const number = r.url.searchParams.get("extensionNumber");
    if (number) list = list.filter((u) => u.extension === number);
    const emails = r.url.searchParams.getAll("email").map((e) => e.toLowerCase());
    if (emails.length) list = list.filter((u) => emails.includes(u.email.toLowerCase()));
    return { status: 200, body: paged(base, r.url, list.map((u) => extensionView(base, u))) };
  }),
  route("GET", `${ACCOUNT}/extension/~`, "Light", (r) => {
    const { actor } = principal(r);
    return { status: 200, body: { id: Number(extensionId(actor)), extensionNumber: actor.extension, name: actor.displayName, contact: { ...nameParts(actor.displayName), email: actor.email }, type: "User", status: "Enabled" } };
  }),
  route("GET", `${ACCOUNT}/extension/{extensionId}`, "Light", (r) => {
    const u = extensions(r).find((x) => extensionId(x) === r.params[0]);
    if (!u) throw new RcError(404, "CMN-102", "Resource for parameter [extensionId] is not found");
    return { status: 200, body: extensionView(baseOf(r), u) };
  }),
  route("GET", `${ACCOUNT}/extension/~/authz-profile`, "Light", (r) => {
    const { actor } = principal(r);
    const ids = actor.roles.includes("customer.permission.users") ? ["ReadAccounts", "Users", "ReadUserRoles", "EditUserRoles", "ReadAssignedRoles", "EditAssignedRoles"] : ["ReadAccounts"];
    return { status: 200, body: { uri: `${baseOf(r)}${ACCOUNT}/extension/~/authz-profile`, permissions: ids.map((id) => ({ permission: { id }, effectiveRole: { id: "custom" }, scopes: ["Account"] })) } };
  }),
  route("GET", `${ACCOUNT}/user-role`, "Medium", (r) => {
    const custom = r.url.searchParams.get("custom");
    const base = baseOf(r);
    const roles = r.store.listRoles(principal(r).tenant.id).filter((x) => custom === null || (custom === "true") === !x.preset);
    return { status: 200, body: paged(base, r.url, roles.map((x) => roleView(base, x))) };
  }),
  route("POST", `${ACCOUNT}/user-role`, "Medium", (r) => {
    requireEditRoles(r);
    const name = r.body.displayName;
    if (typeof name !== "string" || !name.trim()) throw new RcError(400, "CMN-100", "Parameter [displayName] is not specified");
    const role = createRole(ctxOf(r), { name, description: typeof r.body.description === "string" ? r.body.description : "", permissions: permissionKeys(r.body) ?? [], accountScopes: [] });
    return { status: 200, body: roleView(baseOf(r), roleOf(r, role.id)) };
  }),
  route("GET", `${ACCOUNT}/user-role/{roleId}`, "Light", (r) => ({ status: 200, body: roleView(baseOf(r), roleOf(r, r.params[0])) })),
  route("PUT", `${ACCOUNT}/user-role/{roleId}`, "Medium", (r) => {
    requireEditRoles(r);
    const id = roleOf(r, r.params[0]).id;
    patchRole(ctxOf(r), id, {
      ...(typeof r.body.displayName === "string" ? { name: r.body.displayName } : {}),
      ...(typeof r.body.description === "string" ? { description: r.body.description } : {}),
      ...(r.body.permissions !== undefined ? { permissions: permissionKeys(r.body) } : {}),
    });
    return { status: 200, body: roleView(baseOf(r), roleOf(r, id)) };
  }),
  route("DELETE", `${ACCOUNT}/user-role/{roleId}`, "Medium", (r) => {
    requireEditRoles(r);
    deleteRole(ctxOf(r), roleOf(r, r.params[0]).id);
    return { status: 204 };
  }),
  route("POST", `${ACCOUNT}/user-role/{roleId}/bulk-assign`, "Heavy", (r) => {
    requireEditRoles(r);
    const role = roleOf(r, r.params[0]);
    const ids = (k: string) => { const v = r.body[k]; if (v !== undefined && !Array.isArray(v)) throw new RcError(400, "CMN-101", `Parameter [${k}] value is invalid`); return (v ?? []).map(String); };
    const added = ids("addedExtensionIds");
    const removed = ids("removedExtensionIds");
    const byExt = new Map(extensions(r).map((u) => [extensionId(u), u.id]));
    const unknown = [...added, ...removed].filter((x) => !byExt.has(x));
    if (unknown.length) throw new RcError(400, "CMN-101", `Parameter [extensionId] value is invalid: ${unknown.join(", ")}`);
    const holders = new Set(role.userIds);
    for (const x of added) holders.add(byExt.get(x)!);
    for (const x of removed) holders.delete(byExt.get(x)!);
    putAssignments(ctxOf(r), role.id, [...holders]);
    return { status: 204 };
  }),
  route("GET", `${ACCOUNT}/assigned-role`, "Medium", (r) => {
    const base = baseOf(r);
    const tenant = principal(r).tenant;
    const roles = r.store.listRoles(tenant.id);
    const records = extensions(r).map((u) => ({ extensionId: extensionId(u), roles: roles.filter((x) => x.userIds.includes(u.id)).map((x) => assignedRoleView(base, x)) }));
    return { status: 200, body: paged(base, r.url, records) };
  }),
  route("GET", `${ACCOUNT}/extension/{extensionId}/assigned-role`, "Light", (r) => {
    const base = baseOf(r);
    const u = extensions(r).find((x) => extensionId(x) === r.params[0]);
    if (!u) throw new RcError(404, "CMN-102", "Resource for parameter [extensionId] is not found");
    const roles = r.store.listRoles(u.tenantId).filter((x) => x.userIds.includes(u.id));
    return { status: 200, body: { records: roles.map((x) => assignedRoleView(base, x)), paging: { page: 1, perPage: 100, pageStart: 0, pageEnd: Math.max(0, roles.length - 1) }, navigation: {} } };
  }),
  route("GET", `${V1}/dictionary/user-role`, "Light", (r) => {
    const base = baseOf(r);
    return { status: 200, body: paged(base, r.url, r.store.listRoles(principal(r).tenant.id).filter((x) => x.preset).map((x) => roleView(base, x, true))) };
  }),
  route("GET", `${V1}/dictionary/permission`, "Light", (r) => {
    const base = baseOf(r);
    const all = [...Object.values(RC_REPORT_PERMISSIONS).map((p) => ({ ...p, category: "Reports" })), ...OTHER_PERMISSIONS.map((p) => ({ ...p, category: "Account" }))]
      .map((p) => ({ id: p.id, uri: `${base}${V1}/dictionary/permission/${p.id}`, displayName: p.displayName, assignable: true, readOnly: false, siteCompatible: "Independent", category: { id: p.category, uri: `${base}${V1}/dictionary/permission-category/${p.category}` } }));
    return { status: 200, body: paged(base, r.url, all) };
  }),
];

function baseOf(r: Req): string { return `http://${r.req.headers.host ?? "127.0.0.1"}`; }
function basicClientId(req: IncomingMessage): string {
  const m = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
  const id = m ? Buffer.from(m[1], "base64").toString("utf8").split(":")[0] : "";
  if (!id) throw new RcError(401, "OAU-123", "Client authentication is required (Authorization: Basic base64(clientId:clientSecret))");
  return id;
}

// ---------- HTTP ----------
function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...(body === undefined ? {} : { "Content-Type": "application/json; charset=utf-8" }), "Cache-Control": "no-store", ...headers });
  res.end(body === undefined || status === 204 ? undefined : JSON.stringify(body));
}
const envelope = (e: RcError) => ({ errorCode: e.errorCode, message: e.message, errors: [{ errorCode: e.errorCode, message: e.message }] });

/** The body, bounded (../../http.ts): 413 before reading when Content-Length is over the limit, cut at it otherwise. */
async function readBody(req: IncomingMessage): Promise<string> {
  try { return await readBounded(req); } catch (e) {
    if (e instanceof BodyTooLarge) throw new RcError(413, "CMN-413", "Request body is too large");
    throw e;
  }
}

/** Counts the request against its group; a 429 decision (with Retry-After) or null, and the headers to send. */
function limit(state: ServerState, rc: RcState, key: string, group: RcGroup): { headers: Record<string, string>; refuse?: RcError } {
  const cfg = LIMITS.get(state.store) ?? (state.limiter.config === false ? false : RC_DEFAULT_LIMITS);
  if (!cfg) return { headers: {} };
  const now = Date.now();
  const k = `${key}\u0000${group}`;
  const cap = cfg[group];
  const headers = { "X-Rate-Limit-Group": group, "X-Rate-Limit-Limit": String(cap), "X-Rate-Limit-Window": String(cfg.windowSeconds) };
  if (cfg.storm && Math.random() < cfg.storm)
    return { headers: { ...headers, "Retry-After": String(cfg.stormRetryAfterSeconds ?? 1) }, refuse: new RcError(429, "CMN-301", `Request rate exceeded`) };
  const until = rc.penalty.get(k) ?? 0;
  if (now < until) {
    rc.penalty.set(k, now + cfg.penaltySeconds * 1000); // a request during the penalty restarts it
    return { headers: { ...headers, "X-Rate-Limit-Remaining": "0", "Retry-After": String(cfg.penaltySeconds) }, refuse: new RcError(429, "CMN-301", `Request rate exceeded`) };
  }
  const win = (rc.windows.get(k) ?? []).filter((t) => t > now - cfg.windowSeconds * 1000);
  if (win.length >= cap) {
    rc.windows.set(k, win);
    rc.penalty.set(k, now + cfg.penaltySeconds * 1000);
    return { headers: { ...headers, "X-Rate-Limit-Remaining": "0", "Retry-After": String(cfg.penaltySeconds) }, refuse: new RcError(429, "CMN-301", `Request rate exceeded`) };
  }
  win.push(now);
  rc.windows.set(k, win);
  return { headers: { ...headers, "X-Rate-Limit-Remaining": String(cap - win.length) } };
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
  const rc = stateOf(state.store);
  const method = (req.method ?? "GET").toUpperCase();
  const path = url.pathname;
  const found = ROUTES.find((x) => x.pattern.test(path) && x.method === method);
  const params = found ? found.pattern.exec(path)!.slice(1).map((p) => decodeSegment(p) ?? "\u0000bad") : [];
  state.stats.total++;
  if (method === "GET") state.stats.reads++; else state.stats.writes++;
  const key = `rc ${method} ${found ? found.template : "(unmatched)"}`;
  state.stats.byRoute[key] = (state.stats.byRoute[key] ?? 0) + 1;
  if (found) rc.byGroup[found.group]++;

  const fault = state.faults.decide(method, path);
  if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
  if (fault.action === "drop") { req.socket.destroy(); return; }
  if (fault.action === "error500") { send(res, 500, envelope(new RcError(500, "CMN-211", "Internal server error (injected fault); nothing was applied"))); return; }
  if (fault.action === "error503") { send(res, 503, envelope(new RcError(503, "CMN-211", "Service temporarily unavailable (injected fault); nothing was applied")), { "Retry-After": "1" }); return; }

  let headers: Record<string, string> = {};
  try {
    if (params.includes("\u0000bad")) throw new RcError(400, "CMN-101", "A path parameter is not valid percent-encoding");
    if (!found) {
      const other = ROUTES.some((x) => x.pattern.test(path));
      throw other ? new RcError(405, "CMN-405", `Method ${method} is not allowed for ${path}`) : new RcError(404, "CMN-102", `Resource for ${path} is not found`);
    }
    let session: Session | undefined;
    let limitKey = "";
    if (found.auth) {
      // the access token before any body is read
      const m = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ""));
      session = m ? rc.access.get(sha256(m[1])) : undefined;
      if (!session || session.expiresAt < Date.now()) throw new RcError(401, "OAU-213", "Token not found");
      limitKey = `${session.userId}\u0000${session.clientId}`;
    }
    const raw = method === "GET" || method === "DELETE" ? (req.resume(), "") : await readBody(req);
    if (jsonDepthOver(raw) !== -1) throw new RcError(400, "CMN-101", "Request body nests too deep");
    if (!found.auth) {
      limitKey = `auth\u0000${(() => { try { return basicClientId(req); } catch { return String(req.socket.remoteAddress); } })()}`;
      const assertion = new URLSearchParams(raw).get("assertion");
      const rec = assertion ? state.store.tokenByHash(sha256(assertion)) : undefined;
      if (rec) limitKey = `${rec.userId}\u0000${limitKey.split("\u0000")[1]}`;
    }
    const decision = limit(state, rc, limitKey, found.group);
    headers = decision.headers;
    if (decision.refuse) { state.stats.rateLimited++; rc.refused++; throw decision.refuse; }

    let body: Record<string, unknown> = {};
    let form = new URLSearchParams();
    const type = String(req.headers["content-type"] ?? "");
    if (raw.trim()) {
      if (type.includes("application/x-www-form-urlencoded")) form = new URLSearchParams(raw);
      else {
        try { body = JSON.parse(raw) as Record<string, unknown>; } catch { throw new RcError(400, "CMN-101", "Request body is not valid JSON"); }
        if (!body || typeof body !== "object" || Array.isArray(body)) throw new RcError(400, "CMN-101", "Request body must be a JSON object");
      }
    }
    if (session) requireOfficeAtHand(principal({ store: state.store, session } as Req).tenant);
    const r: Req = { state, rc, store: state.store, url, params, body, form, req, session, requestId };
    let answer: Answer;
    try {
      answer = state.store.tx(() => found.handle(r));
    } catch (err) {
      if (err instanceof Problem) throw fromProblem(err);
      throw err;
    }
    if (fault.dropAfterWrite && method !== "GET" && answer.status < 300) { req.socket.destroy(); return; } // committed, never acknowledged
    send(res, answer.status, answer.body, headers);
  } catch (err) {
    if (err instanceof RcError) { send(res, err.status, envelope(err), { ...closeIfUnread(res), ...headers, ...err.extra, ...(err.status === 429 ? { "Retry-After": headers["Retry-After"] ?? "60" } : {}) }); return; }
    throw err;
  }
}

export const RINGCENTRAL: VendorApi = { name: "ringcentral", prefixes: ["/restapi/"], handle };
