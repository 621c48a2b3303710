// What a route is and how one runs. A route's entry in the table (routes.ts) is its contract: the
// permission it needs, the body it takes, the answer it gives, the refusals it may answer with. The
// router enforces what the entry declares before the handler runs (the permission, then the body's
// schema, If-Match only where declared), the OpenAPI document (openapi.ts) is generated from the same
// entries, and the handler's input and output are typed from its schemas.
import type { z } from "zod";
import { Problem } from "./problem";
import { decodeSegment } from "./http";
import type { Code, PermissionKey } from "./codes";
import { PERMISSIONS } from "./keys";
import type { Ctx } from "./operations/write";
import type { Store } from "./store";
import type { Faults } from "./faults";
import type { RateLimiter } from "./ratelimit";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface ServerState {
  store: Store; faults: Faults; limiter: RateLimiter;
  /** sha256 of the platform's admin credential; without one the admin routes are closed (401 ADMIN-CREDENTIAL). */
  adminKeyHash?: string;
  /** Failed authentications per client address (tenant tokens and the admin credential); past its bucket: 429 AUTH-THROTTLED. */
  authFailures?: RateLimiter;
  stats: { total: number; reads: number; writes: number; rateLimited: number; byRoute: Record<string, number> };
}

export interface ApiRequest<B = unknown> {
  ctx: Ctx; params: Record<string, string>; query: URLSearchParams;
  /** The request's X-Request-Id (admin routes record it in the audit log). */
  requestId?: string | null;
  /** The body, parsed with the route's `request` schema. */
  body: B;
  /** The If-Match header, on routes that declare `ifMatch` only. */
  ifMatch?: string;
  state: ServerState;
}
export interface ApiResult<T = unknown> { status: number; body?: T; etag?: string }

/** Refusals an operation may answer with, by status; codes.ts must list each code with that status. */
export type Refusals = { 403?: Code[]; 409?: Code[]; 422?: Code[] };

interface RouteFields {
  method: Method; path: string; summary: string; tag: string;
  /** false: no tenant token (the admin routes, which take the admin credential instead). */
  auth?: boolean;
  /** Admin routes: the platform's admin credential (never a tenant token), same-site only, JSON only; not counted in stats, not rate limited, no fault injection. */
  admin?: boolean;
  /** The permission the token's user must hold; without it the router answers 403 PERM-<key> before anything runs. */
  permission?: PermissionKey;
  response?: z.ZodType; status: number;
  /** The operation's own refusals (401, 403 PERM-, 404, 412 and VALIDATION follow from the other fields). */
  codes?: Refusals;
  query?: { name: string; description: string }[];
  /** Takes If-Match (412 ETAG); the handler sees the header only then. */
  ifMatch?: boolean;
  /** Documents Idempotency-Key (every POST with a token honours it: the write path stores the answer). */
  idempotent?: boolean;
}

export interface RouteDef extends RouteFields {
  request?: z.ZodType;
  handler: (r: ApiRequest) => ApiResult;
}

type In<S> = S extends z.ZodType ? z.output<S> : undefined;
type Out<S> = S extends z.ZodType ? z.input<S> : unknown;

/** One entry of the table, its handler typed by its schemas: the body it gets is `request`'s output, what it answers must fit `response`. */
export function route<Req extends z.ZodType | undefined = undefined, Res extends z.ZodType | undefined = undefined>(
  def: RouteFields & { request?: Req; response?: Res; handler: (r: ApiRequest<In<Req>>) => ApiResult<Out<Res>> },
): RouteDef {
  if (def.permission && def.auth === false) throw new Error(`${def.method} ${def.path}: a permission needs a token`);
  if (def.admin && def.auth !== false) throw new Error(`${def.method} ${def.path}: admin routes take the admin credential, not a tenant token (auth: false)`);
  return def as unknown as RouteDef;
}

/** Runs a matched route: the guards its entry declares, then its handler. */
export function dispatch(def: RouteDef, req: ApiRequest): ApiResult {
  if (def.permission) requirePermission(def, req.ctx);
  const body = def.request ? def.request.parse(req.body ?? {}) : req.body;
  return def.handler({ ...req, body, ifMatch: def.ifMatch ? req.ifMatch : undefined });
}

export function requirePermission(def: Pick<RouteDef, "method" | "path" | "permission">, ctx: Ctx): void {
  const key = def.permission!;
  if (ctx.actor.roles.includes(key)) return;
  throw new Problem(403, `PERM-${key}` as const, `${def.method} ${def.path} needs the "${PERMISSIONS[key]}" permission (${key}); the token's user ${ctx.actor.email} does not have it. Use a token of a user who has it, or grant it to this user.`, { missingPermission: key });
}

// ---------- matching ----------
export interface CompiledRoute { def: RouteDef; regex: RegExp; names: string[]; key: string }

export function compile(routes: RouteDef[]): CompiledRoute[] {
  return routes.map((def) => {
    const names: string[] = [];
    const src = def.path.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === "{" || c === "}" ? c : `\\${c}`)).replace(/\{(\w+)\}/g, (_m, n: string) => { names.push(n); return "([^/]+)"; });
    return { def, regex: new RegExp(`^${src}$`), names, key: `${def.method} ${def.path}` };
  });
}

export function match(compiled: CompiledRoute[], method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } | null {
  const allowed: string[] = [];
  for (const c of compiled) {
    const m = c.regex.exec(path);
    if (!m) continue;
    if (c.def.method !== method) { allowed.push(c.def.method); continue; }
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => {
      const v = decodeSegment(m[i + 1]);
      if (v === undefined) throw new Problem(400, "BAD-REQUEST", `The path segment "${m[i + 1].slice(0, 60)}" is not valid percent-encoding. Encode ids with encodeURIComponent.`);
      params[n] = v;
    });
    return { route: c, params };
  }
  return allowed.length ? { allowed } : null;
}
