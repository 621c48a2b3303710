// The platform client on its own, against a scripted HTTP server: Retry-After, dropped
// connections, the request budget, request ids and problem+json errors; pacing to the server's
// advertised rate limit, on virtual time (VirtualClock) against a scripted server enforcing it, and
// once in real time against the embedded platform.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PlatformClient, PlatformError, RateLimitedError } from "./client";
import { startPlatform } from "../platform";
import { DEFAULT_MARGIN } from "./pacing";
import { VirtualClock } from "../test/support/virtual-clock";

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server answering each request with the next scripted reply; records what it received. */
async function scripted(replies: ((req: IncomingMessage) => { status: number; body?: unknown; headers?: Record<string, string> } | "drop")[]) {
  const seen: IncomingMessage[] = [];
  server = createServer((req, res) => {
    seen.push(req);
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)](req);
    if (reply === "drop") return req.socket.destroy();
    res.writeHead(reply.status, { "content-type": reply.status >= 400 ? "application/problem+json" : "application/json", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

describe("PlatformClient", () => {
  it("waits as long as Retry-After says after a 429, then succeeds", async () => {
    const s = await scripted([() => ({ status: 429, body: { code: "RATE-LIMIT" }, headers: { "retry-after": "1" } }), () => ({ status: 200, body: { ok: true } })]);
    const clock = new VirtualClock();
    const c = new PlatformClient({ endpoint: s.url, token: "secret-token-1", clock, fetch: clock.fetch });
    expect(await c.get("/me")).toEqual({ ok: true });
    expect(clock.now()).toBeGreaterThanOrEqual(1000);
    expect(s.seen.map((r) => r.headers["x-request-id"])).toEqual([s.seen[0].headers["x-request-id"], s.seen[0].headers["x-request-id"]]);
    expect(c.rateLimited).toBe(1);
  });

  it("retries a POST after a dropped connection with the same idempotency key", async () => {
    const s = await scripted([() => "drop", () => ({ status: 503 }), () => ({ status: 201, body: { id: "u1" } })]);
    const c = new PlatformClient({ endpoint: s.url, token: "secret-token-2" });
    expect((await c.request("POST", "/users", { body: { email: "a@x.example" } })).body).toEqual({ id: "u1" });
    const keys = s.seen.map((r) => r.headers["idempotency-key"]);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBeTruthy();
  });

  it("maps problem+json to an error with the code and detail, and never the token", async () => {
    const s = await scripted([() => ({ status: 409, body: { status: 409, code: "LIC-1", detail: "no liveAnalytics licence left (5 of 5 in use)" } })]);
    const c = new PlatformClient({ endpoint: s.url, token: "secret-token-3" });
    const err = (await c.request("PATCH", "/users/u1", { body: {} }).catch((e: unknown) => e)) as PlatformError;
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.message).toMatch(/^PATCH \/users\/u1 failed with 409: LIC-1: no liveAnalytics licence left \(5 of 5 in use\) \(request [0-9a-f-]+\)$/);
    expect(err.code).toBe("LIC-1");
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain("secret-token-3");
  });

  it("stops at the request budget with a message saying what to change", async () => {
    const s = await scripted([() => ({ status: 503 })]);
    const c = new PlatformClient({ endpoint: s.url, token: "t", budget: 3, maxDelayMs: 10 });
    await expect(c.get("/users")).rejects.toThrow(/request budget of 3 calls spent before GET \/users; raise analytics-access:requestBudget/);
    expect(s.seen).toHaveLength(3);
  });

  it("gives up after its attempts when nothing answers", async () => {
    const c = new PlatformClient({ endpoint: "http://127.0.0.1:1", token: "secret-token-4", maxAttempts: 2, maxDelayMs: 10 });
    const err = (await c.get("/me").catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/GET \/me: no answer from http:\/\/127\.0\.0\.1:1 after 2 attempts/);
    expect(err.message).not.toContain("secret-token-4");
  });
});

interface Arrival { t: number; status: number }

/**
 * A server limiting like the platform (platform/ratelimit.ts: a token bucket of `burst`, refilled at
 * perSecond, X-Rate-Limit-* on every answer, 429 with Retry-After), on the test's virtual clock.
 * `penalty(at, ms)`: from `at` on, someone else has spent the limit and every request is refused
 * for `ms` (RingCentral's penalty window); the bucket starts empty after it.
 */
async function limited(clock: VirtualClock, cfg: { burst: number; perSecond: number; penalty?: { at: number; ms: number } }) {
  const arrivals: Arrival[] = [];
  let tokens = cfg.burst, at = 0, penaltyUntil = Number.NEGATIVE_INFINITY, penaltyDone = false;
  const limit = String(cfg.perSecond * 60);
  server = createServer((req, res: ServerResponse) => {
    req.resume();
    const now = clock.now();
    if (cfg.penalty && !penaltyDone && now >= cfg.penalty.at) {
      penaltyDone = true;
      penaltyUntil = now + cfg.penalty.ms;
      tokens = 0;
      at = penaltyUntil;
    }
    if (now > at) { tokens = Math.min(cfg.burst, tokens + ((now - at) * cfg.perSecond) / 1000); at = now; }
    const refuse = now < penaltyUntil || tokens < 1;
    if (!refuse) tokens -= 1;
    arrivals.push({ t: now, status: refuse ? 429 : 200 });
    const headers = { "x-rate-limit-limit": limit, "x-rate-limit-remaining": String(refuse ? 0 : Math.floor(tokens)), "x-rate-limit-window": "60" };
    if (refuse) {
      const wait = now < penaltyUntil ? penaltyUntil - now : ((1 - tokens) * 1000) / cfg.perSecond;
      const retryAfter = String(Math.max(1, Math.ceil(wait / 1000)));
      res.writeHead(429, { ...headers, "content-type": "application/problem+json", "retry-after": retryAfter });
      res.end(JSON.stringify({ status: 429, code: "RATE-LIMIT", detail: `Rate limit of ${limit} requests per minute exceeded. Wait ${retryAfter} s (Retry-After) and retry.` }));
    } else {
      res.writeHead(200, { ...headers, "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    }
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, arrivals };
}

/** `workers` callers sharing one client, `n` PATCHes in all. */
async function work(c: PlatformClient, n: number, workers = 8): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < n) { const i = next++; await c.request("PATCH", `/users/usr_${String(i).padStart(6, "0")}`, { body: { roles: [] } }); }
  }));
}

describe("PlatformClient pacing (virtual time)", () => {
  it("paces 8 concurrent callers to the limit the server advertises: no 429, within 1.1 × the theoretical time", async () => {
    const clock = new VirtualClock();
    const s = await limited(clock, { burst: 10, perSecond: 20 });
    const c = new PlatformClient({ endpoint: s.url, token: "t", clock, fetch: clock.fetch });
    await work(c, 200);
    expect(s.arrivals.filter((a) => a.status === 429)).toEqual([]);
    expect(s.arrivals).toHaveLength(200);
    expect(c.sent).toBe(200);
    const theoretical = ((200 - 10) / 20) * 1000; // what the server allows at best
    expect(clock.now()).toBeGreaterThanOrEqual(theoretical);
    expect(clock.now()).toBeLessThanOrEqual(1.1 * theoretical);
  });

  it("sends the first request alone: no rate is guessed before an answer", async () => {
    const clock = new VirtualClock();
    const s = await limited(clock, { burst: 3, perSecond: 2 });
    const c = new PlatformClient({ endpoint: s.url, token: "t", clock, fetch: clock.fetch });
    await work(c, 10);
    // Without the first answer all 8 would have gone: 5 refused by a burst of 3.
    expect(s.arrivals.filter((a) => a.status === 429)).toEqual([]);
    expect(s.arrivals.filter((a) => a.t === 0)).toHaveLength(2); // the first, then the one the answer allowed (3 − 1 left, 1 kept)
  });

  it("a 429 holds every concurrent request until Retry-After, then they resume paced", async () => {
    const clock = new VirtualClock();
    const s = await limited(clock, { burst: 10, perSecond: 20, penalty: { at: 3000, ms: 5000 } });
    const c = new PlatformClient({ endpoint: s.url, token: "t", clock, fetch: clock.fetch });
    await work(c, 200);
    const refused = s.arrivals.filter((a) => a.status === 429);
    expect(refused).toHaveLength(1); // the one that ran into the penalty; the 7 other callers waited
    const t429 = refused[0].t;
    expect(s.arrivals.filter((a) => a.t > t429 && a.t < t429 + 5000)).toEqual([]);
    const after = s.arrivals.filter((a) => a.t >= t429 + 5000).map((a) => a.t);
    const gaps = after.slice(1).map((t, i) => t - after[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(1000 / (20 * (1 - DEFAULT_MARGIN)))); // one per slot, not all at once
    expect(s.arrivals.filter((a) => a.status === 200)).toHaveLength(200);
    expect(c.sent).toBe(201);
    expect(c.rateLimited).toBe(1);
  });

  it("keeps retrying 429s past maxAttempts, bounded by rateLimitWaitMs, then says what happened", async () => {
    const clock = new VirtualClock();
    const s = await limited(clock, { burst: 1, perSecond: 1 / 60, penalty: { at: 0, ms: 3_600_000 } });
    const c = new PlatformClient({ endpoint: s.url, token: "secret-token-5", clock, fetch: clock.fetch, maxAttempts: 2 });
    const err = (await c.request("PATCH", "/users/u1", { body: {} }).catch((e: unknown) => e)) as RateLimitedError;
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.status).toBe(429);
    expect(err.code).toBe("RATE-LIMIT");
    // Retry-After is the hour the penalty lasts: past the 5-minute default at once.
    expect(err.message).toMatch(/^PATCH \/users\/u1: still refused with 429 Too Many Requests after 1 attempt over 0 s \(the server's limit: 1 requests per 60 s\); it asks for 3600 s more, past this client's bound of 300 s for rate-limit waits\. .*Last answer: RATE-LIMIT: Rate limit of 1 requests per minute exceeded\. Wait 3600 s \(Retry-After\) and retry\. \(request [0-9a-f-]+\)$/);
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain("secret-token-5");
    expect(clock.now()).toBe(0);
  });

  it("follows Retry-After for as long as the bound allows", async () => {
    const clock = new VirtualClock();
    // Refused 60 s at a time, forever. After each pause the client resumes paced (40 per 60 s, less
    // a margin that each 429 doubles: one slot is 1.6 to 2 s), so attempts go at about 0, 61.6,
    // 123.3, 185.3 and 247.3 s; at the fifth, another 60 s would pass the default bound of 5 min.
    const s = await scripted([() => ({ status: 429, body: { status: 429, code: "CMN-301", detail: "Request rate exceeded" }, headers: { "retry-after": "60", "x-rate-limit-limit": "40", "x-rate-limit-remaining": "0", "x-rate-limit-window": "60", "x-rate-limit-group": "Medium" } })]);
    const c = new PlatformClient({ endpoint: s.url, token: "t", clock, fetch: clock.fetch, maxAttempts: 2 });
    const err = (await c.get("/users").catch((e: unknown) => e)) as RateLimitedError;
    expect(s.seen).toHaveLength(5);
    expect(err.attempts).toBe(5);
    expect(clock.now()).toBeGreaterThan(4 * 61_500);
    expect(clock.now()).toBeLessThan(4 * 62_000);
    expect(err.message).toMatch(/^GET \/users: still refused with 429 Too Many Requests after 5 attempts over 24\d\.\d s \(the server's limit: 40 requests per 60 s \(group Medium\)\); it asks for 60 s more, past this client's bound of 300 s for rate-limit waits\. .*Last answer: CMN-301: Request rate exceeded \(request [0-9a-f-]+\)$/);
  });

  it("counts every attempt against the budget, 429s included", async () => {
    const clock = new VirtualClock();
    const s = await scripted([() => ({ status: 429, body: { code: "RATE-LIMIT" }, headers: { "retry-after": "1" } })]);
    const c = new PlatformClient({ endpoint: s.url, token: "t", budget: 4, clock, fetch: clock.fetch });
    await expect(c.get("/users")).rejects.toThrow(/request budget of 4 calls spent before GET \/users/);
    expect(s.seen).toHaveLength(4);
    expect(c.sent).toBe(4);
  });

  it("jitters the backoff after 5xx: half to all of each step; a 503's Retry-After stretched by at most a quarter", async () => {
    const run = async (random: number, replies: Parameters<typeof scripted>[0]) => {
      const clock = new VirtualClock();
      const s = await scripted(replies);
      const c = new PlatformClient({ endpoint: s.url, token: "t", clock, fetch: clock.fetch, random: () => random });
      await c.get("/me");
      await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
      return clock.now();
    };
    const twice503 = [() => ({ status: 503 }), () => ({ status: 502 }), () => ({ status: 200, body: {} })];
    expect(await run(0, twice503)).toBe(50 + 100); // steps of 100 and 200 ms
    expect(await run(0.999, twice503)).toBeCloseTo(100 + 200, -1);
    const after = [() => ({ status: 503, headers: { "retry-after": "2" } }), () => ({ status: 200, body: {} })];
    expect(await run(0, after)).toBe(2000);
    expect(await run(0.999, after)).toBeCloseTo(2500, -1);
  });
});

describe("PlatformClient pacing against the embedded platform (real time)", () => {
  it("8 callers, 100 PATCHes at 1,200/min with a burst of 20: no 429, within 1.15 × the theoretical time", async () => {
    const p = await startPlatform({ rateLimit: { perMinute: 1200, burst: 20 } });
    try {
      const t = p.createTenant({ name: "Pace", profile: "dimensions" });
      for (let i = 0; i < 8; i++) p.addDirectoryEntry(t.id, { extension: String(300 + i), displayName: `User ${300 + i}`, email: `u${300 + i}@pace.example`, devices: [] });
      p.createPortalUser(t.id, { email: "admin@pace.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable"] });
      const statuses: number[] = [];
      const c = new PlatformClient({ endpoint: p.url, token: p.issueToken(t.id, "admin@pace.example"), onResponse: (r) => statuses.push(r.status) });
      const start = performance.now();
      const ids = (await c.list<{ id: string; origin: string }>("/users")).filter((u) => u.origin === "pbx").map((u) => u.id);
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < 100) {
          const i = next++;
          const roles = i % 2 ? ["customer.user.pbx", "customer.permission.website"] : ["customer.user.pbx"];
          await c.request("PATCH", `/users/${ids[i % ids.length]}`, { body: { roles } });
        }
      }));
      const elapsed = performance.now() - start;
      const theoretical = ((101 - 20) / 20) * 1000; // 101 requests, 20 at once, then 20 per second
      expect(statuses.filter((s) => s === 429)).toEqual([]);
      expect(statuses).toHaveLength(101);
      expect(elapsed).toBeLessThanOrEqual(1.15 * theoretical);
      expect(elapsed).toBeGreaterThanOrEqual(0.95 * theoretical);
    } finally {
      await p.close();
    }
  });
});

describe("endpoint transport", () => {
  it("refuses plain http:// to anything but this machine, with a clear error; https:// and loopback http:// pass", () => {
    for (const endpoint of ["http://portal.example", "http://10.0.0.5:4780", "http://127.0.0.1.nip.io:4780", "http://[2001:db8::1]:80"]) {
      expect(() => new PlatformClient({ endpoint, token: "t" }), endpoint).toThrow(/Refusing to send the API token over plain http:\/\/ .*only this machine .*Use https:\/\//);
    }
    expect(() => new PlatformClient({ endpoint: "ftp://portal.example", token: "t" })).toThrow(/https:\/\//);
    expect(() => new PlatformClient({ endpoint: "not a url", token: "t" })).toThrow(/not a URL/);
    for (const endpoint of ["https://portal.example", "http://127.0.0.1:4780", "http://localhost:4780/", "http://[::1]:4780", "http://127.1.2.3"]) {
      expect(new PlatformClient({ endpoint, token: "t" }).endpoint, endpoint).toBe(endpoint.replace(/\/+$/, ""));
    }
  });
});
