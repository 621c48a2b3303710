// The Xarios Enterprise Portal API (../../../../shared/VENDOR-APIS.md §1), over the platform's one
// store: what the `xarios` backend talks to in tests and development.
//
// Mapping onto the platform (also in README.md, "Dimensions and Ooma through Xarios"):
// - `{customer}` is a platform tenant id of profile dimensions or ooma; `{account}` is the one
//   reseller account the embedded platform has, XARIOS_ACCOUNT ("embedded"). Any other is 404.
// - An access token is bound to the tenant and portal user who consented; it reaches only that
//   tenant (another `{customer}` is 404, as Xarios answers for a tenant it does not know).
// - Role keys are translated both ways by ./keys.ts; PBX users are listed (holding customer.user.pbx).
// - OAuth2 authorization code: GET /oauth/authorize consents at once for the platform user whose
//   platform API token is sent (dev only: `dev_token=<token>` in the query, or Authorization:
//   Bearer <token>), and redirects to the loopback redirect_uri with a code; POST /oauth/token
//   exchanges it (grant_type=authorization_code) and renews access tokens (grant_type=refresh_token).
//   One client is registered: XARIOS_DEV_CLIENT. Codes, access and refresh tokens are kept as their
//   sha256 only, in this process's memory (a platform restart means logging in again). Refresh
//   tokens are not rotated (reused until revoked): Xarios's behaviour there is unverified.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { BodyTooLarge, closeIfUnread, decodeSegment, jsonDepthOver, readBody as readBounded } from "../../http";
import { Problem } from "../../problem";
import { authenticate, bearerOf } from "../../auth";
import { sha256, type Store, type User } from "../../store";
import type { ServerState } from "../../router";
import { normalizeRoles, sortKeys } from "../../invariants";
import { createUser, deleteUser, patchUser } from "../../operations/users";
import type { Ctx } from "../../operations/write";
import type { VendorApi } from "..";
import { LICENSED_XARIOS_KEYS, PLATFORM_KEY_OF_XARIOS, XARIOS_KEY_OF_PLATFORM } from "./keys";

export const XARIOS_ACCOUNT = "embedded";
export const XARIOS_DEV_CLIENT = { id: "analytics-access-dev", secret: "embedded-dev-secret" } as const;
export const ACCESS_TOKEN_SECONDS = 3600;
const CODE_SECONDS = 120;
const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

interface Bound { tenantId: string; userId: string; clientId: string }
interface OAuthState {
  codes: Map<string, Bound & { redirectUri: string; expiresAt: number }>;
  access: Map<string, Bound & { expiresAt: number }>;
  refresh: Map<string, Bound>;
}
const oauthStates = new WeakMap<Store, OAuthState>();
function oauthOf(store: Store): OAuthState {
  let s = oauthStates.get(store);
  if (!s) oauthStates.set(store, (s = { codes: new Map(), access: new Map(), refresh: new Map() }));
  return s;
}

/** A refusal in Xarios's envelope: `{error, message, status: "error", timestamp}` (+ errorCode, extras). */
class XariosError extends Error {
  constructor(readonly status: number, message: string, readonly errorCode?: string, readonly extra: Record<string, unknown> = {}, readonly headers: Record<string, string> = {}) { super(message); }
  body() { return { error: this.status, message: this.message, status: "error", timestamp: new Date().toISOString(), ...(this.errorCode ? { errorCode: this.errorCode } : {}), ...this.extra }; }
}
const notFound = () => new XariosError(404, "Not Found");

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...closeIfUnread(res), ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** The body, bounded (../../http.ts): 413 before reading when Content-Length is over the limit, cut at it otherwise. */
async function readBody(req: IncomingMessage): Promise<string> {
  let raw: string;
  try { raw = await readBounded(req); } catch (e) {
    if (e instanceof BodyTooLarge) throw new XariosError(413, "Payload too large");
    throw e;
  }
  if (jsonDepthOver(raw) !== -1) throw new XariosError(400, "The request body nests too deep.");
  return raw;
}
const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
const now = () => Date.now();
const secret = () => randomBytes(32).toString("base64url");
const success = () => ({ status: "success", timestamp: new Date().toISOString() });

const USERS = /^\/v1\.0\/accounts\/([^/]+)\/customers\/([^/]+)\/users(?:\/([^/]+))?$/;
const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const xariosApi: VendorApi = {
  name: "xarios",
  prefixes: ["/v1.0/accounts/", "/oauth/"],
  async handle(state, req, res, url, requestId) {
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const users = USERS.exec(path);
    const routeKey = users ? `${method} /v1.0/accounts/{account}/customers/{customer}/users${users[3] ? "/{userId}" : ""}` : path.startsWith("/oauth/") ? `${method} ${path}` : `${method} (unmatched)`;
    state.stats.total++;
    // Token requests change nothing in a tenant: counted as reads; writes are the users API's.
    if (users && WRITE.has(method)) state.stats.writes++; else state.stats.reads++;
    const key = `xarios ${routeKey}`;
    state.stats.byRoute[key] = (state.stats.byRoute[key] ?? 0) + 1;

    const fault = state.faults.decide(method, path);
    if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.action === "drop") { req.socket.destroy(); return; }
    try {
      if (fault.action === "error500") throw new XariosError(500, "Injected fault: internal server error. Nothing was applied; retry.");
      if (fault.action === "error503") throw new XariosError(503, "Injected fault: service unavailable. Nothing was applied; retry.", undefined, {}, { "Retry-After": "1" });
      if (path.startsWith("/oauth/")) { await oauth(state, req, res, url, method, path); return; }
      if (!users) throw notFound();

      const bearer = bearerOf(header(req, "authorization"));
      const decision = state.limiter.take(bearer ? `t:${sha256(bearer)}` : `ip:${req.socket.remoteAddress}`);
      if (decision && !decision.allowed) {
        state.stats.rateLimited++;
        throw new XariosError(429, `Too many requests; retry after ${decision.retryAfterSeconds} s.`, undefined, {}, { "Retry-After": String(decision.retryAfterSeconds) });
      }
      const ctx = principal(state.store, bearer, users[1], users[2], requestId);
      const userId = users[3] ? decodeSegment(users[3]) : undefined;
      if (users[3] && userId === undefined) throw new XariosError(400, "The user id in the path is not valid percent-encoding.");
      const raw = method === "POST" || method === "PATCH" ? await readBody(req) : (req.resume(), "");
      const result = usersRoute(ctx, method, userId, raw, url, req, path);
      if (fault.dropAfterWrite && result.status < 300) { req.socket.destroy(); return; } // committed, never acknowledged
      send(res, result.status, result.body, result.headers);
    } catch (err) {
      if (err instanceof XariosError) { send(res, err.status, err.body(), err.headers); return; }
      if (err instanceof Problem) { send(res, err.status, new XariosError(err.status, err.detail, err.code).body()); return; }
      throw err;
    }
  },
};

function principal(store: Store, bearer: string | null, account: string, customer: string, requestId: string): Ctx {
  if (!bearer) throw new XariosError(401, "Authorization has been denied for this request: no bearer token.");
  const grant = oauthOf(store).access.get(sha256(bearer));
  if (!grant || grant.expiresAt <= now()) throw new XariosError(401, "Authorization has been denied for this request: the token is invalid or expired.");
  if (account !== XARIOS_ACCOUNT || customer !== grant.tenantId) throw notFound();
  const tenant = store.getTenant(grant.tenantId);
  const actor = tenant && store.getUser(tenant.id, grant.userId);
  if (!tenant || !actor) throw new XariosError(401, "Authorization has been denied for this request: the consenting user no longer exists.");
  return { store, tenant, actor, requestId };
}

const xariosRoles = (roles: string[]) => [...new Set(roles.flatMap((k) => XARIOS_KEY_OF_PLATFORM[k] ?? []))].sort();
function platformRoles(roles: unknown): string[] {
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== "string")) throw new XariosError(400, "roles must be an array of role keys.");
  const unknown = roles.filter((r) => !PLATFORM_KEY_OF_XARIOS[r as string]);
  if (unknown.length) throw new XariosError(400, `The role key(s) ${unknown.map((k) => `'${k}'`).join(", ")} are not valid.`, "InvalidRole");
  return roles.map((r) => PLATFORM_KEY_OF_XARIOS[r as string]);
}
const listed = (u: User) => ({ id: u.id, displayName: u.displayName, email: u.email, primaryTenant: u.tenantId, isParent: false });
const full = (u: User) => ({ ...listed(u), roles: xariosRoles(u.roles) });

/** 402 unless accept-charges: true, when the change adds a licensed key (Real-Time that a tier brings included). */
function charges(ctx: Ctx, req: IncomingMessage, before: string[], requested: string[], body: unknown): void {
  const after = xariosRoles(normalizeRoles(requested, null, ctx.tenant));
  const had = new Set(xariosRoles(before));
  const added = after.filter((k) => LICENSED_XARIOS_KEYS.has(k) && !had.has(k));
  if (!added.length || header(req, "accept-charges")?.toLowerCase() === "true") return;
  throw new XariosError(402, `This request adds charges (${added.join(", ")}) and was not carried out. Repeat it with the header "accept-charges: true" to accept them.`, "ChargesNotAccepted", { charges: added, request: body });
}

function usersRoute(ctx: Ctx, method: string, userId: string | undefined, raw: string, url: URL, req: IncomingMessage, path: string): { status: number; body: unknown; headers?: Record<string, string> } {
  const json = (): unknown => {
    try { return raw.trim() ? JSON.parse(raw) : undefined; } catch { throw new XariosError(400, "The request body is not valid JSON."); }
  };
  const manageUsers = () => {
    if (!ctx.actor.roles.includes("customer.permission.users")) throw new XariosError(403, `The consenting user ${ctx.actor.email} may not manage users (Manage Users).`, "Forbidden");
  };
  if (!userId) {
    if (method === "GET") {
      const pageIndex = intParam(url, "pageIndex", 0);
      const pageSize = intParam(url, "pageSize", DEFAULT_PAGE);
      if (pageSize < 1 || pageSize > MAX_PAGE) throw new XariosError(400, `The value '${pageSize}' is not valid for pageSize (1 to ${MAX_PAGE}).`);
      const all = ctx.store.listUsers(ctx.tenant.id);
      const data = all.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize).map(listed);
      return { status: 200, body: { page_size: pageSize, page_index: pageIndex, data, ...success() } };
    }
    if (method === "POST") {
      manageUsers();
      const body = json() as { email?: unknown; displayName?: unknown; roles?: unknown } | undefined;
      if (!body || typeof body.email !== "string" || typeof body.displayName !== "string") throw new XariosError(400, "email and displayName are required.");
      const roles = sortKeys([...new Set(["customer.permission.website", ...platformRoles(body.roles ?? [])])]); // customer.user is always added
      charges(ctx, req, [], roles, body);
      const created = createUser(ctx, { origin: "manual", email: body.email, displayName: body.displayName, roles, groups: [], primaryGroup: null, softphoneDevice: null });
      const u = ctx.store.getUser(ctx.tenant.id, created.id)!;
      return { status: 201, body: { data: full(u), ...success() }, headers: { Location: `http://${req.headers.host ?? "127.0.0.1"}${path}/${u.id}` } };
    }
    throw new XariosError(405, `${method} is not allowed here.`);
  }
  const current = ctx.store.getUser(ctx.tenant.id, userId);
  if (!current) throw notFound();
  if (method === "GET") return { status: 200, body: { data: full(current), ...success() } };
  if (method === "PATCH") {
    manageUsers();
    if (!(header(req, "content-type") ?? "").toLowerCase().startsWith("application/json-patch+json"))
      throw new XariosError(415, "Send the change as a JSON Patch with Content-Type: application/json-patch+json.");
    const ops = json();
    if (!Array.isArray(ops)) throw new XariosError(400, "The body must be a JSON Patch array.");
    const doc = { displayName: current.displayName, email: current.email, roles: xariosRoles(current.roles) };
    for (const op of ops) applyOp(doc, op);
    // A replace of /roles keeps the PBX user role: it is synchronised from the PBX.
    const roles = platformRoles(current.roles.includes("customer.user.pbx") ? [...new Set([...doc.roles, "customer.user.pbx"])] : doc.roles);
    charges(ctx, req, current.roles, roles, ops);
    patchUser(ctx, userId, {
      ...(doc.displayName !== current.displayName ? { displayName: doc.displayName } : {}),
      ...(doc.email !== current.email ? { email: doc.email } : {}),
      roles: sortKeys([...new Set(roles)]),
    });
    return { status: 200, body: success() };
  }
  if (method === "DELETE") {
    manageUsers();
    deleteUser(ctx, userId);
    return { status: 200, body: success() };
  }
  throw new XariosError(405, `${method} is not allowed here.`);
}

function intParam(url: URL, name: string, dflt: number): number {
  const v = url.searchParams.get(name);
  if (v === null) return dflt;
  if (!/^\d+$/.test(v)) throw new XariosError(400, `The value '${v}' is not valid for ${name}.`);
  return Number(v);
}

function applyOp(doc: { displayName: string; email: string; roles: string[] }, op: unknown): void {
  const o = op as { op?: unknown; path?: unknown; value?: unknown };
  const bad = (why: string) => new XariosError(400, `Invalid patch operation ${JSON.stringify(op)}: ${why}.`);
  if (typeof o?.path !== "string" || !["add", "replace", "remove"].includes(o.op as string)) throw bad("op must be add, replace or remove with a path");
  if (o.path === "/displayName" || o.path === "/email") {
    if (o.op === "remove" || typeof o.value !== "string" || !o.value) throw bad(`${o.path} takes a non-empty string`);
    doc[o.path.slice(1) as "displayName" | "email"] = o.value;
    return;
  }
  if (o.path === "/roles") {
    if (o.op === "remove") { doc.roles = []; return; }
    if (!Array.isArray(o.value) || o.value.some((v) => typeof v !== "string")) throw bad("/roles takes an array of role keys");
    doc.roles = [...(o.value as string[])];
    return;
  }
  const m = /^\/roles\/(-|\d+)$/.exec(o.path);
  if (!m) throw bad(`${o.path} is not a property that can be patched`);
  if (o.op === "add") {
    if (typeof o.value !== "string") throw bad("a role is a string");
    if (m[1] === "-") doc.roles.push(o.value); else doc.roles.splice(Number(m[1]), 0, o.value);
    return;
  }
  const i = m[1] === "-" ? doc.roles.length - 1 : Number(m[1]);
  if (i < 0 || i >= doc.roles.length) throw bad("no role at that index");
  if (o.op === "remove") doc.roles.splice(i, 1);
  else if (typeof o.value === "string") doc.roles[i] = o.value;
  else throw bad("a role is a string");
}

// ---------- OAuth2 (the login server's endpoints; RFC 6749 error bodies) ----------
class OAuthError extends Error {
  constructor(readonly status: number, readonly error: string, readonly description: string) { super(description); }
}

async function oauth(state: ServerState, req: IncomingMessage, res: ServerResponse, url: URL, method: string, path: string): Promise<void> {
  const o = oauthOf(state.store);
  try {
    if (path === "/oauth/authorize" && method === "GET") {
      req.resume();
      const q = url.searchParams;
      const clientId = q.get("client_id") ?? "";
      const redirectUri = q.get("redirect_uri") ?? "";
      if (q.get("response_type") !== "code") throw new OAuthError(400, "unsupported_response_type", "response_type must be code");
      if (clientId !== XARIOS_DEV_CLIENT.id) throw new OAuthError(400, "unauthorized_client", `unknown client_id; the embedded platform registers "${XARIOS_DEV_CLIENT.id}"`);
      if (!isLoopback(redirectUri)) throw new OAuthError(400, "invalid_request", "redirect_uri must be a loopback http URL (http://127.0.0.1:<port>/…)");
      // Dev consent: the platform user whose platform API token comes with the request consents at once.
      const devToken = q.get("dev_token") ?? bearerOf(header(req, "authorization"));
      let p;
      try { p = authenticate(state.store, devToken ? `Bearer ${devToken}` : undefined); } catch {
        throw new OAuthError(401, "access_denied", "no consent: the embedded platform consents for the user of a platform API token, sent as dev_token=<token> or Authorization: Bearer <token> (`analytics-access platform token`)");
      }
      if (p.tenant.profile !== "dimensions" && p.tenant.profile !== "ooma") throw new OAuthError(400, "access_denied", `tenant ${p.tenant.id} is a ${p.tenant.profile} tenant; the Xarios API serves dimensions and ooma tenants`);
      const code = secret();
      o.codes.set(sha256(code), { tenantId: p.tenant.id, userId: p.user.id, clientId, redirectUri, expiresAt: now() + CODE_SECONDS * 1000 });
      const to = new URL(redirectUri);
      to.searchParams.set("code", code);
      if (q.get("state") !== null) to.searchParams.set("state", q.get("state")!);
      res.writeHead(302, { Location: to.toString(), "Cache-Control": "no-store" });
      res.end();
      return;
    }
    if (path === "/oauth/token" && method === "POST") {
      const raw = await readBody(req);
      let json: unknown = {};
      if ((header(req, "content-type") ?? "").includes("json")) {
        try { json = JSON.parse(raw || "{}"); } catch { throw new OAuthError(400, "invalid_request", "the body is not valid JSON"); }
        if (!json || typeof json !== "object" || Array.isArray(json)) throw new OAuthError(400, "invalid_request", "the body must be a JSON object");
      }
      const form = (header(req, "content-type") ?? "").includes("json") ? new URLSearchParams(Object.entries(json as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])) : new URLSearchParams(raw);
      const basic = /^Basic\s+(\S+)$/i.exec(header(req, "authorization") ?? "");
      const [bid, bsecret] = basic ? Buffer.from(basic[1], "base64").toString("utf8").split(":").map(decodeURIComponent) : [];
      const clientId = form.get("client_id") ?? bid;
      const clientSecret = form.get("client_secret") ?? bsecret;
      if (clientId !== XARIOS_DEV_CLIENT.id || clientSecret !== XARIOS_DEV_CLIENT.secret) throw new OAuthError(401, "invalid_client", "unknown client or wrong client secret");
      let bound: Bound;
      let refresh: string | undefined;
      if (form.get("grant_type") === "authorization_code") {
        const h = sha256(form.get("code") ?? "");
        const c = o.codes.get(h);
        o.codes.delete(h); // single use
        if (!c || c.expiresAt <= now() || c.clientId !== clientId) throw new OAuthError(400, "invalid_grant", "the code is unknown, used or expired");
        if (c.redirectUri !== form.get("redirect_uri")) throw new OAuthError(400, "invalid_grant", "redirect_uri differs from the authorize request's");
        bound = { tenantId: c.tenantId, userId: c.userId, clientId };
        refresh = secret();
        o.refresh.set(sha256(refresh), bound);
      } else if (form.get("grant_type") === "refresh_token") {
        const r = o.refresh.get(sha256(form.get("refresh_token") ?? ""));
        if (!r || r.clientId !== clientId || !state.store.getUser(r.tenantId, r.userId)) throw new OAuthError(400, "invalid_grant", "the refresh token is unknown or revoked; run the login again");
        bound = r;
      } else throw new OAuthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
      const access = secret();
      o.access.set(sha256(access), { ...bound, expiresAt: now() + ACCESS_TOKEN_SECONDS * 1000 });
      send(res, 200, { access_token: access, token_type: "Bearer", expires_in: ACCESS_TOKEN_SECONDS, scope: "openid offline_access onboarding", ...(refresh ? { refresh_token: refresh } : {}) });
      return;
    }
    req.resume();
    throw new OAuthError(404, "invalid_request", `nothing at ${method} ${path}; the login endpoints are GET /oauth/authorize and POST /oauth/token`);
  } catch (err) {
    if (err instanceof OAuthError) { send(res, err.status, { error: err.error, error_description: err.description }); return; }
    throw err;
  }
}

function isLoopback(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === "http:" && (u.hostname === "127.0.0.1" || u.hostname === "localhost" || u.hostname === "[::1]");
  } catch { return false; }
}

/** Revokes every Xarios grant of a tenant's user (tests: a consent withdrawn). */
export function revokeXariosGrants(store: Store, tenantId: string): void {
  const o = oauthOf(store);
  for (const m of [o.access, o.refresh] as Map<string, Bound>[]) for (const [k, v] of m) if (v.tenantId === tenantId) m.delete(k);
}
