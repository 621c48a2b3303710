import { randomUUID } from "node:crypto";
import { backoffDelay, jitteredDelay, Pacer, parseRetryAfter, pauseAfter429, readRateLimit, routeOf, systemClock, type Clock } from "./pacing";

// A thin HTTP client for the platform's API (platform/README.md). Decisions it makes by itself:
// pace its requests to the rate limit the server advertises (X-Rate-Limit-*, provider/pacing.ts),
// shared by every request of the client; after a 429 hold every request until Retry-After has
// passed, then resume paced, and keep retrying for as long as the server names a time to come back,
// up to rateLimitWaitMs; retry 5xx and dropped connections with jittered backoff, up to
// maxAttempts; stop at a client-side request budget (every attempt counts); send a request id on
// every call and an idempotency key on every POST (so a retried POST never creates twice); map
// problem+json to readable errors.
// The token is only ever put in the Authorization header: never in messages, logs or errors.

export interface ClientOptions {
  endpoint: string;
  token: string;
  /** Attempts per request that may end in a 5xx or a dropped connection, first included. 429s are bounded by rateLimitWaitMs instead. */
  maxAttempts?: number;
  /** Upper bound of one backoff wait after a 5xx or a dropped connection, a 5xx's Retry-After included. A 429's Retry-After is always waited in full. */
  maxDelayMs?: number;
  /** Longest a request keeps coming back after its first 429, Retry-After by Retry-After (default 5 minutes). */
  rateLimitWaitMs?: number;
  /** Most requests this client may send in its lifetime (one Pulumi run); past it, requests fail. */
  budget?: number;
  /** Called after every response: for logging request ids and counting calls. */
  onResponse?: (info: { method: string; path: string; status: number; requestId: string; attempt: number }) => void;
  /** Called after each page of a list: the collection's path and the items read so far (progress displays). */
  onPage?: (path: string, itemsSoFar: number) => void;
  /** Time for pacing and backoff (tests pass a virtual clock). */
  clock?: Clock;
  /** Source of jitter, in [0, 1) (tests pass a fixed one). */
  random?: () => number;
  /** The fetch to send with (tests wrap it). */
  fetch?: typeof fetch;
}

export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  [extra: string]: unknown;
}

/** An error answered by the platform, with its problem+json body. */
export class PlatformError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly problem: Problem,
    readonly requestId: string,
  ) {
    const code = problem.code ? `${problem.code}: ` : "";
    super(`${method} ${path} failed with ${problem.status}: ${code}${problem.detail ?? problem.title ?? "no detail"} (request ${requestId})`);
    this.name = "PlatformError";
  }
  get status() { return this.problem.status; }
  get code() { return this.problem.code; }
}

export interface Page<T> { items: T[]; nextCursor?: string | null }
export interface Response<T> { status: number; body: T; etag?: string }

export interface RequestOptions {
  body?: unknown;
  ifMatch?: string;
  idempotencyKey?: string;
}

/** Refused because the server kept answering 429 for longer than the client's rateLimitWaitMs. */
export class RateLimitedError extends PlatformError {
  constructor(method: string, path: string, problem: Problem, requestId: string,
    readonly attempts: number, readonly waitedMs: number, readonly retryAfterMs: number, readonly boundMs: number, limit: string | undefined) {
    super(method, path, problem, requestId);
    this.name = "RateLimitedError";
    const last = `${problem.code ? `${problem.code}: ` : ""}${problem.detail ?? problem.title ?? "no detail"}`;
    this.message = `${method} ${path}: still refused with 429 Too Many Requests after ${attempts} attempt${attempts === 1 ? "" : "s"} over ${seconds(waitedMs)}`
      + `${limit ? ` (the server's limit: ${limit})` : ""}; it asks for ${seconds(retryAfterMs)} more, past this client's bound of ${seconds(boundMs)} for rate-limit waits. `
      + `Something else is spending the same limit, or the limit is too low for this change: retry later or split the change. Last answer: ${last} (request ${requestId})`;
  }
}

const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/** Hosts plain http:// may reach: this machine only (the embedded platform listens on 127.0.0.1). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * The endpoint, when the token may be sent to it: https:// anywhere, http:// to this machine only. A
 * token sent over plain HTTP to another host can be read (and replayed) by anyone on the way.
 */
export function checkEndpoint(endpoint: string): string {
  let url: URL;
  try { url = new URL(endpoint); } catch {
    throw new Error(`The endpoint "${endpoint.slice(0, 200)}" is not a URL; set analytics-access:endpoint (or ANALYTICS_ACCESS_ENDPOINT) to https://<portal host>.`);
  }
  if (url.protocol === "https:") return endpoint;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return endpoint;
  if (url.protocol === "http:") {
    throw new Error(`Refusing to send the API token over plain http:// to ${url.host}: only this machine (localhost, 127.0.0.1, ::1) may be reached without TLS. Use https://${url.host}${url.pathname === "/" ? "" : url.pathname} as the endpoint (analytics-access:endpoint or ANALYTICS_ACCESS_ENDPOINT).`);
  }
  throw new Error(`The endpoint ${url.protocol}//${url.host} uses ${url.protocol.replace(":", "")}; the platform's API is reached over https:// (or http:// on this machine only).`);
}
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export class PlatformClient {
  readonly endpoint: string;
  private readonly token: string;
  private readonly maxAttempts: number;
  private readonly maxDelayMs: number;
  private readonly rateLimitWaitMs: number;
  private readonly budget: number;
  private readonly onResponse?: ClientOptions["onResponse"];
  private readonly onPage?: ClientOptions["onPage"];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly fetch: typeof fetch;
  /** Paces every request of this client to the server's advertised rate limit. */
  readonly pacer: Pacer;
  /** Requests sent so far, retries included. */
  sent = 0;
  /** Of those, answered 429. */
  rateLimited = 0;

  constructor(opts: ClientOptions) {
    this.endpoint = checkEndpoint(opts.endpoint).replace(/\/+$/, "");
    this.token = opts.token;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.rateLimitWaitMs = opts.rateLimitWaitMs ?? 5 * 60_000;
    this.budget = opts.budget ?? Number.POSITIVE_INFINITY;
    this.onResponse = opts.onResponse;
    this.onPage = opts.onPage;
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.fetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.pacer = new Pacer({ clock: this.clock });
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Response<T>> {
    const requestId = randomUUID();
    const idempotencyKey = method === "POST" ? (opts.idempotencyKey ?? randomUUID()) : undefined;
    const route = routeOf(method, path);
    const order = this.pacer.order(); // retries keep the request's place in the queue
    let failures = 0; // answers that were 5xx, and dropped connections
    let firstRefusal: number | undefined;
    for (let attempt = 1; ; attempt++) {
      this.checkBudget(method, path);
      const ticket = await this.pacer.acquire(route, order);
      try {
        this.checkBudget(method, path);
      } catch (err) {
        this.pacer.settle(ticket);
        throw err;
      }
      this.sent++;
      let res: globalThis.Response;
      try {
        res = await this.fetch(`${this.endpoint}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            "x-request-id": requestId,
            accept: "application/json",
            ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
            ...(opts.ifMatch ? { "if-match": opts.ifMatch } : {}),
            ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
          },
          body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
        });
      } catch (err) {
        this.pacer.settle(ticket);
        // Dropped connection or refused: the request may or may not have landed. Every write is
        // safe to repeat (idempotency key on POST, If-Match on PATCH), so try again.
        if (++failures >= this.maxAttempts)
          throw new Error(`${method} ${path}: no answer from ${this.endpoint} after ${attempt} attempts (${(err as Error).cause ?? (err as Error).message}) (request ${requestId})`);
        await this.clock.sleep(backoffDelay(failures, this.random, this.maxDelayMs));
        continue;
      }
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
      this.pacer.settle(ticket, { status: res.status, rateLimit: readRateLimit((n) => res.headers.get(n)), retryAfterMs });
      this.onResponse?.({ method, path, status: res.status, requestId, attempt });
      const text = await res.text();
      if (res.status === 429) {
        // The pacer now holds every request of the client until Retry-After has passed.
        this.rateLimited++;
        const now = this.clock.now();
        firstRefusal ??= now;
        const wait = pauseAfter429(retryAfterMs);
        if (now - firstRefusal + wait <= this.rateLimitWaitMs) continue;
        throw new RateLimitedError(method, path, problemOf(res.status, text), requestId, attempt, now - firstRefusal, wait, this.rateLimitWaitMs, this.pacer.describe(route));
      }
      if (RETRYABLE_5XX.has(res.status) && ++failures < this.maxAttempts) {
        await this.clock.sleep(Math.min(this.maxDelayMs, retryAfterMs !== undefined ? jitteredDelay(retryAfterMs, this.random) : backoffDelay(failures, this.random, this.maxDelayMs)));
        continue;
      }
      if (res.status >= 400) throw new PlatformError(method, path, problemOf(res.status, text), requestId);
      const body = text ? safeJson(text) : undefined;
      return { status: res.status, body: body as T, etag: res.headers.get("etag") ?? (body as { etag?: string } | undefined)?.etag };
    }
  }

  get<T>(path: string) { return this.request<T>("GET", path).then((r) => r.body); }

  /** Every item of a paged collection, one request per page of 500. */
  async list<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null | undefined;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const page = await this.get<Page<T>>(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      items.push(...page.items);
      this.onPage?.(path, items.length);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  private checkBudget(method: string, path: string): void {
    if (this.sent >= this.budget)
      throw new Error(`request budget of ${this.budget} calls spent before ${method} ${path}; raise analytics-access:requestBudget or split the change`);
  }
}

function problemOf(status: number, text: string): Problem {
  const body = text ? safeJson(text) : undefined;
  return typeof body === "object" && body !== null ? { status, ...(body as object) } : { status, detail: text.slice(0, 200) };
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}
