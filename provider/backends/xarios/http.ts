// Xarios's HTTP: bearer access tokens renewed from the stack's refresh token (OAuth2, §1.5), the
// `{error, message, status, timestamp}` envelope, retries of 5xx and dropped connections with
// backoff, 429s waited out by Retry-After, and the run's request budget. Tokens are only ever put
// in headers and form bodies: never in messages, logs, errors or state.
export interface XariosHttpOptions {
  /** API base, e.g. https://api.na.myreports.cloud/api (the embedded platform: its URL). */
  endpoint: string;
  /** The OAuth2 token endpoint, e.g. https://login.xarios.cloud/connect/token. */
  tokenUrl: string;
  refreshToken: string;
  clientId: string;
  clientSecret?: string;
  maxAttempts?: number;
  rateLimitWaitMs?: number;
  budget?: number;
}

/** What Xarios answered with an error status, its envelope kept. */
export class XariosError extends Error {
  constructor(readonly method: string, readonly path: string, readonly status: number, readonly body: Record<string, unknown>, message?: string) {
    super(message ?? `Xarios ${method} ${path.split("?")[0]} failed with ${status}: ${typeof body.message === "string" ? body.message : "no message"}${typeof body.errorCode === "string" ? ` (${body.errorCode})` : ""}`);
    this.name = "XariosError";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RETRY = new Set([500, 502, 503, 504]);

export class XariosHttp {
  private access?: Promise<string>;
  private refreshToken: string;
  sent = 0;
  refused = 0;
  /** A new refresh token the login server handed out this run (rotation): it cannot be written back to the stack. */
  rotated = false;

  constructor(private readonly o: XariosHttpOptions) {
    this.refreshToken = o.refreshToken;
  }

  private budget(what: string): void {
    if (this.o.budget !== undefined && this.sent >= this.o.budget)
      throw new Error(`request budget of ${this.o.budget} calls spent before ${what}; raise analytics-access:requestBudget or split the change`);
  }

  /** A fresh access token from the refresh token (once per run, and again after a 401). */
  private token(renew = false): Promise<string> {
    if (!this.access || renew) {
      this.access = this.exchange();
      this.access.catch(() => (this.access = undefined));
    }
    return this.access;
  }

  private async exchange(): Promise<string> {
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: this.refreshToken, client_id: this.o.clientId, ...(this.o.clientSecret ? { client_secret: this.o.clientSecret } : {}) });
    for (let attempt = 1; ; attempt++) {
      this.budget("the token request");
      this.sent++;
      let res: Response;
      try {
        res = await fetch(this.o.tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body: form });
      } catch (err) {
        if (attempt >= (this.o.maxAttempts ?? 8)) throw new Error(`no answer from the Xarios login server ${this.o.tokenUrl} (${(err as Error).message})`);
        await sleep(backoff(attempt));
        continue;
      }
      const body = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; error?: string; error_description?: string };
      if (RETRY.has(res.status) && attempt < (this.o.maxAttempts ?? 8)) { await sleep(backoff(attempt)); continue; }
      if (!res.ok || !body.access_token)
        throw new Error(`the Xarios login server refused the refresh token (${res.status} ${body.error ?? ""}${body.error_description ? `: ${body.error_description}` : ""}); run \`analytics-access login xarios\` again and set the new token with \`pulumi config set --secret analytics-access:token <refresh token>\``);
      if (body.refresh_token && body.refresh_token !== this.refreshToken) {
        this.refreshToken = body.refresh_token; // used for the rest of this run only
        this.rotated = true;
      }
      return body.access_token;
    }
  }

  async request<T>(method: string, path: string, opts: { body?: unknown; contentType?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T; headers: Headers }> {
    let failures = 0;
    let renewed = false;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const token = await this.token();
      this.budget(`${method} ${path}`);
      this.sent++;
      let res: Response;
      try {
        res = await fetch(`${this.o.endpoint.replace(/\/+$/, "")}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`, accept: "application/json",
            ...(opts.body !== undefined ? { "content-type": opts.contentType ?? "application/json" } : {}),
            ...opts.headers,
          },
          body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
        });
      } catch (err) {
        // Dropped: the request may or may not have landed; every write here is safe to repeat
        // (a repeated create answers 409 and is adopted, a patch sets whole values, a repeated delete is 404).
        if (++failures >= (this.o.maxAttempts ?? 8)) throw new Error(`Xarios ${method} ${path.split("?")[0]}: no answer from ${this.o.endpoint} after ${attempt} attempts (${(err as Error).message})`);
        await sleep(backoff(failures));
        continue;
      }
      const text = await res.text();
      const body = text ? safeJson(text) : undefined;
      if (res.status === 401 && !renewed) { renewed = true; await this.token(true); continue; }
      if (res.status === 429) {
        this.refused++;
        const wait = Math.max(1, Number(res.headers.get("retry-after")) || 1) * 1000;
        waited += wait;
        if (waited <= (this.o.rateLimitWaitMs ?? 5 * 60_000)) { await sleep(wait); continue; }
      }
      if (RETRY.has(res.status) && ++failures < (this.o.maxAttempts ?? 8)) { await sleep(backoff(failures)); continue; }
      if (res.status >= 400) throw new XariosError(method, path, res.status, typeof body === "object" && body !== null ? (body as Record<string, unknown>) : { message: String(text).slice(0, 200) });
      return { status: res.status, body: body as T, headers: res.headers };
    }
  }
}

const backoff = (n: number) => Math.min(2000, 50 * 2 ** n) * (0.5 + Math.random() / 2);
function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}
