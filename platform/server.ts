// HTTP layer: node:http, routing on the table in routes.ts, problem+json errors, request ids, rate
// limits, fault injection, idempotency keys and request counters. Decisions live elsewhere.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { Problem } from "./problem";
import { authenticate, bearerOf, requireAdmin, requireSameSite, resolveToken } from "./auth";
import { matchRoute } from "./routes";
import { dispatch, type ServerState } from "./router";
import { sha256 } from "./store";
import { renderPage } from "./page";
import { buildOpenApi } from "./openapi";
import { storedAnswer, type Ctx } from "./operations/write";
import type { FaultDecision } from "./faults";
import { vendorApiFor } from "./vendors";
import { BodyTooLarge, closeIfUnread, drain, hasBody, isJsonType, jsonDepthOver, MAX_BODY, MAX_JSON_DEPTH, readBody } from "./http";

const API = "/api/v1";
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface ServerOptions { log?: (line: string) => void }

export function createPlatformServer(state: ServerState, opts: ServerOptions = {}): Server {
  let openapi: string | null = null;
  const server = createServer((req, res) => {
    const started = Date.now();
    handle(state, req, res, () => (openapi ??= JSON.stringify(buildOpenApi(), null, 2))).catch((err: unknown) => {
      sendProblem(res, new Problem(500, "INTERNAL", "The platform failed unexpectedly; the request was not applied. Retry; if it keeps failing, report it with the X-Request-Id."));
      process.stderr.write(`platform: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    }).finally(() => {
      drain(req); // what a refused request still sends is read and dropped (bounded), so its answer arrives
      // Never log headers or bodies: they may carry tokens.
      opts.log?.(`${req.method} ${(req.url ?? "").split("?")[0]} ${res.statusCode} ${Date.now() - started}ms`);
    });
  });
  server.keepAliveTimeout = 5_000;
  // What node's HTTP parser refuses (a malformed request line or header, headers too large) is
  // answered as problem+json too, instead of node's bare 400.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) { socket.destroy(); return; }
    const p = new Problem(400, "BAD-REQUEST", `The request is not valid HTTP (${err.code ?? "parse error"}): a malformed request line, target or header, or headers too large. Fix the request.`);
    const body = JSON.stringify(p.body());
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  return server;
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}, contentType = "application/json"): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": `${contentType}; charset=utf-8`, "Cache-Control": "no-store", ...closeIfUnread(res), ...extra });
  res.end(status === 204 ? undefined : text);
}

function sendProblem(res: ServerResponse, p: Problem, instance?: string, extra: Record<string, string> = {}): void {
  sendJson(res, p.status, p.body(instance), extra, "application/problem+json");
}

function zodProblem(err: ZodError): Problem {
  const errors = err.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message, ...(i.code === "unrecognized_keys" ? { keys: (i as { keys?: string[] }).keys } : {}) }));
  const summary = errors.slice(0, 3).map((e) => `${e.path}: ${e.message}${e.keys ? ` (${e.keys.join(", ")})` : ""}`).join("; ");
  return new Problem(422, "VALIDATION", `The request body is not valid: ${summary}${errors.length > 3 ? `; and ${errors.length - 3} more` : ""}. Fix it and retry; the OpenAPI document (GET /api/v1/openapi.json) shows the expected shape.`, { errors });
}

/** The request's JSON body (undefined when empty), read after authentication: 413, 415, 400 BAD-JSON. */
async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (!hasBody(req)) { req.resume(); return undefined; }
  if (!isJsonType(header(req, "content-type")))
    throw new Problem(415, "CONTENT-TYPE", `The request body is ${header(req, "content-type") ? `"${String(header(req, "content-type")).slice(0, 60)}"` : "without a Content-Type"}; this API takes JSON only. Send it with Content-Type: application/json.`);
  let raw: string;
  try { raw = await readBody(req); } catch (e) {
    if (e instanceof BodyTooLarge) throw new Problem(413, "BODY-SIZE", `The request body is over ${MAX_BODY} bytes${e.declared ? " (Content-Length)" : ""}. Send smaller requests (create or change fewer things at once).`);
    throw e;
  }
  if (raw.trim() === "") return undefined;
  if (jsonDepthOver(raw) !== -1) throw new Problem(400, "BAD-JSON", `The request body nests deeper than ${MAX_JSON_DEPTH} levels; no request of this API needs more than 3. Send the documented shape (GET ${API}/openapi.json).`);
  try { return JSON.parse(raw); } catch {
    throw new Problem(400, "BAD-JSON", "The request body is not valid JSON. Send a JSON object with Content-Type: application/json.");
  }
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse, openapi: () => string): Promise<void> {
  const clientId = header(req, "x-request-id");
  const requestId = clientId && /^[\w.:@/+=-]{1,200}$/.test(clientId) ? clientId : randomUUID();
  res.setHeader("X-Request-Id", requestId);
  let url: URL;
  try {
    const target = req.url ?? "/";
    // origin-form only (RFC 9112 3.2.1): a path, an optional query, no fragment, every % an escape
    if (!target.startsWith("/") || target.includes("#") || /%(?![0-9A-Fa-f]{2})/.test(target)) throw new Error("not origin-form");
    url = new URL(target, "http://127.0.0.1");
  } catch {
    sendProblem(res, new Problem(400, "BAD-REQUEST", "The request target is malformed: send a path starting with / (origin-form), e.g. /api/v1/users, without a fragment (#) and with every % followed by two hex digits."));
    return;
  }
  const path = url.pathname;
  const method = (req.method ?? "GET").toUpperCase();

  if (method === "GET" && (path === "/" || path === "/index.html")) {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer" });
    res.end(renderPage());
    return;
  }
  if (method === "GET" && path === `${API}/openapi.json`) {
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
    res.end(openapi());
    return;
  }
  const vendor = vendorApiFor(path);
  if (vendor) return vendor.handle(state, req, res, url, requestId);
  if (path !== API && !path.startsWith(`${API}/`)) {
    sendProblem(res, new Problem(404, "ROUTE", `Nothing at ${path}. The API lives under ${API} (see ${API}/openapi.json); the web page is at /.`), path);
    return;
  }
  const apiPath = path.slice(API.length) || "/";
  let match: ReturnType<typeof matchRoute>;
  try { match = matchRoute(method, apiPath); } catch (e) {
    if (e instanceof Problem) { sendProblem(res, e, path); return; }
    throw e;
  }
  const route = match && "route" in match ? match.route : null;
  const admin = route ? route.def.admin === true : apiPath.startsWith("/admin/");
  const clientAddress = `ip:${req.socket.remoteAddress ?? "unknown"}`;
  // Failed authentications are counted per client address; once its bucket is empty every credential
  // from it is refused (a right guess too) until the bucket refills.
  const throttled = (): boolean => {
    const d = state.authFailures?.peek(clientAddress);
    if (!d || d.allowed) return false;
    sendProblem(res, new Problem(429, "AUTH-THROTTLED", `Too many failed authentications from this address; no credential is checked from it for ${d.retryAfterSeconds} s (Retry-After). Check the token you send.`, { retryAfter: d.retryAfterSeconds }), path, { "Retry-After": String(d.retryAfterSeconds) });
    return true;
  };
  const failed = (err: unknown) => { if (err instanceof Problem && err.status === 401 && bearerOf(header(req, "authorization"))) state.authFailures?.take(clientAddress); };

  let fault: FaultDecision | null = null;
  if (!admin) {
    const key = route ? route.key : `${method} (unmatched)`;
    state.stats.total++;
    if (WRITE_METHODS.has(method)) state.stats.writes++; else state.stats.reads++;
    state.stats.byRoute[key] = (state.stats.byRoute[key] ?? 0) + 1;

    fault = state.faults.decide(method, apiPath);
    const delay = fault.latencyMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (fault.action === "drop") { req.socket.destroy(); return; }
    if (fault.action === "error500") { sendProblem(res, new Problem(500, "FAULT-500", "Injected fault: internal server error. Nothing was applied; retry."), path); return; }
    if (fault.action === "error503") { sendProblem(res, new Problem(503, "FAULT-503", "Injected fault: service unavailable. Nothing was applied; retry after the Retry-After delay."), path, { "Retry-After": "1" }); return; }

    // A bucket per valid token; anything else (no token, a junk one) shares its client address's bucket.
    const bearer = bearerOf(header(req, "authorization"));
    const known = bearer ? resolveToken(state.store, bearer) : null;
    const decision = state.limiter.take(known && typeof known === "object" ? `t:${known.tokenHash}` : clientAddress);
    if (decision) {
      res.setHeader("X-Rate-Limit-Limit", String(decision.limit));
      res.setHeader("X-Rate-Limit-Remaining", String(decision.remaining));
      res.setHeader("X-Rate-Limit-Window", String(decision.windowSeconds));
      if (!decision.allowed) {
        state.stats.rateLimited++;
        sendProblem(res, new Problem(429, "RATE-LIMIT", `Rate limit of ${decision.limit} requests per minute for this token exceeded. Wait ${decision.retryAfterSeconds} s (Retry-After) and retry; list collections in pages instead of one GET per entity.`, { retryAfter: decision.retryAfterSeconds }), path, { "Retry-After": String(decision.retryAfterSeconds) });
        return;
      }
    }
  }

  if (!match) { sendProblem(res, new Problem(404, "ROUTE", `No API route ${method} ${apiPath}. See ${API}/openapi.json for the routes.`), path); return; }
  if (!route) {
    const allowed = (match as { allowed: string[] }).allowed;
    sendProblem(res, new Problem(405, "METHOD", `${method} is not allowed on ${apiPath}; allowed: ${allowed.join(", ")}.`), path, { Allow: allowed.join(", ") });
    return;
  }
  const params = (match as { params: Record<string, string> }).params;

  try {
    if (route.def.admin) {
      requireSameSite(method, { origin: header(req, "origin"), host: header(req, "host"), secFetchSite: header(req, "sec-fetch-site"), contentType: header(req, "content-type") });
      if (throttled()) { req.resume(); return; }
      try { requireAdmin(state.adminKeyHash, header(req, "authorization")); } catch (err) { failed(err); throw err; }
    }
    // Authentication first: no body is read for a request without a valid credential.
    let p: ReturnType<typeof authenticate> | null = null;
    if (route.def.auth !== false) {
      if (throttled()) return;
      try { p = authenticate(state.store, header(req, "authorization")); } catch (err) { failed(err); throw err; }
    }
    const body = method === "POST" || method === "PUT" || method === "PATCH" ? await readJsonBody(req) : (req.resume(), undefined);

    let ctx: Ctx | null = null;
    if (p) {
      ctx = { store: state.store, tenant: p.tenant, actor: p.user, requestId };
      // A POST with an Idempotency-Key: an answer stored for it is sent again (before any other check,
      // so a retry gets what the first attempt got); otherwise the write path stores this one's with the write.
      const key = method === "POST" ? header(req, "idempotency-key") : undefined;
      if (key !== undefined && key.trim() === "") throw new Problem(400, "IDEMPOTENCY-KEY", "Idempotency-Key is empty. Send a non-empty key (a UUID), or leave the header out.");
      if (key) {
        ctx.idempotency = { tokenHash: p.tokenHash, key, method, path: apiPath, bodyHash: sha256(JSON.stringify(body ?? null)), status: route.def.status };
        const prior = storedAnswer(state.store, ctx.idempotency);
        if (prior) {
          const b = prior.body as { etag?: string } | null;
          sendJson(res, prior.status, prior.body, { "Idempotent-Replayed": "true", ...(b && typeof b.etag === "string" ? { ETag: b.etag } : {}) });
          return;
        }
      }
    }

    // The route's declared guards (permission, body schema), then its handler.
    const result = dispatch(route.def, { ctx: ctx as Ctx, params, query: url.searchParams, body, ifMatch: header(req, "if-match"), state, requestId });
    if (fault?.dropAfterWrite && result.status < 300) { req.socket.destroy(); return; } // committed, never acknowledged
    sendJson(res, result.status, result.body, result.etag ? { ETag: result.etag } : {});
  } catch (err) {
    if (err instanceof Problem) { sendProblem(res, err, path); return; }
    if (err instanceof ZodError) { sendProblem(res, zodProblem(err), path); return; }
    throw err;
  }
}

export { API };
