import { randomUUID } from "node:crypto";

// A thin HTTP client for the platform's API (platform/README.md). Decisions it makes by itself:
// retry 429/5xx/dropped connections with bounded backoff honouring Retry-After, stop at a
// client-side request budget, send a request id on every call and an idempotency key on every
// POST (so a retried POST never creates twice), and map problem+json to readable errors.
// The token is only ever put in the Authorization header: never in messages, logs or errors.

export interface ClientOptions {
  endpoint: string;
  token: string;
  /** Attempts per request, first included. */
  maxAttempts?: number;
  /** Upper bound of one wait between attempts, Retry-After included. */
  maxDelayMs?: number;
  /** Most requests this client may send in its lifetime (one Pulumi run); past it, requests fail. */
  budget?: number;
  /** Called after every response: for logging request ids and counting calls. */
  onResponse?: (info: { method: string; path: string; status: number; requestId: string; attempt: number }) => void;
  /** Called after each page of a list: the collection's path and the items read so far (progress displays). */
  onPage?: (path: string, itemsSoFar: number) => void;
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

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PlatformClient {
  readonly endpoint: string;
  private readonly token: string;
  private readonly maxAttempts: number;
  private readonly maxDelayMs: number;
  private readonly budget: number;
  private readonly onResponse?: ClientOptions["onResponse"];
  private readonly onPage?: ClientOptions["onPage"];
  /** Requests sent so far, retries included. */
  sent = 0;

  constructor(opts: ClientOptions) {
    this.endpoint = opts.endpoint.replace(/\/+$/, "");
    this.token = opts.token;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.budget = opts.budget ?? Number.POSITIVE_INFINITY;
    this.onResponse = opts.onResponse;
    this.onPage = opts.onPage;
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Response<T>> {
    const requestId = randomUUID();
    const idempotencyKey = method === "POST" ? (opts.idempotencyKey ?? randomUUID()) : undefined;
    for (let attempt = 1; ; attempt++) {
      if (this.sent >= this.budget)
        throw new Error(`request budget of ${this.budget} calls spent before ${method} ${path}; raise analytics-access:requestBudget or split the change`);
      this.sent++;
      let res: globalThis.Response;
      try {
        res = await fetch(`${this.endpoint}/api/v1${path}`, {
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
        // Dropped connection or refused: the request may or may not have landed. Every write is
        // safe to repeat (idempotency key on POST, If-Match on PATCH), so try again.
        if (attempt >= this.maxAttempts)
          throw new Error(`${method} ${path}: no answer from ${this.endpoint} after ${attempt} attempts (${(err as Error).cause ?? (err as Error).message}) (request ${requestId})`);
        await sleep(this.backoff(attempt));
        continue;
      }
      this.onResponse?.({ method, path, status: res.status, requestId, attempt });
      const text = await res.text();
      if (RETRYABLE.has(res.status) && attempt < this.maxAttempts) {
        const retryAfter = Number(res.headers.get("retry-after"));
        const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : this.backoff(attempt);
        await sleep(Math.min(wait, this.maxDelayMs));
        continue;
      }
      const body = text ? safeJson(text) : undefined;
      if (res.status >= 400) {
        const problem: Problem = typeof body === "object" && body !== null ? { status: res.status, ...(body as object) } : { status: res.status, detail: text.slice(0, 200) };
        throw new PlatformError(method, path, problem, requestId);
      }
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

  private backoff(attempt: number): number {
    const base = Math.min(this.maxDelayMs, 100 * 2 ** (attempt - 1));
    return base / 2 + Math.random() * (base / 2);
  }
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}
