// The pacing module on its own, on virtual time: headers, Retry-After, jitter bounds, and the
// Pacer's decisions (first request alone, pacing to what the server says, pauses, order, groups).
import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_MARGIN, jitteredDelay, MAX_MARGIN, Pacer, parseRetryAfter, pauseAfter429, readRateLimit, routeOf, type Ticket } from "./pacing";
import { VirtualClock } from "../test/support/virtual-clock";

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
const rl = (limit: number, remaining: number, windowSeconds = 60, group?: string) => ({ limit, remaining, windowSeconds, ...(group ? { group } : {}) });

describe("headers and delays", () => {
  it("reads X-Rate-Limit-* and ignores what is missing or unreadable", () => {
    expect(readRateLimit(headers({ "x-rate-limit-limit": "40", "x-rate-limit-remaining": "12", "x-rate-limit-window": "60", "x-rate-limit-group": "Medium" })))
      .toEqual({ limit: 40, remaining: 12, windowSeconds: 60, group: "Medium" });
    expect(readRateLimit(headers({ "x-rate-limit-remaining": "0" }))).toEqual({ remaining: 0 });
    expect(readRateLimit(headers({ "x-rate-limit-limit": "lots", "x-rate-limit-remaining": "-1" }))).toBeNull();
    expect(readRateLimit(headers({}))).toBeNull();
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("0")).toBe(0);
    expect(parseRetryAfter("1.5")).toBe(1500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
    for (const bad of [null, undefined, "", "-3", "soon", "12abc"]) expect(parseRetryAfter(bad, now)).toBeUndefined();
  });

  it("jitters backoff between half and all of the exponential step, capped", () => {
    expect(backoffDelay(1, () => 0)).toBe(50);
    expect(backoffDelay(1, () => 0.999999)).toBeCloseTo(100, 3);
    expect(backoffDelay(4, () => 0.5)).toBe(600); // step 800: 400 + 200
    expect(backoffDelay(30, () => 0, 30_000)).toBe(15_000);
    expect(backoffDelay(30, () => 0.999999, 30_000)).toBeLessThanOrEqual(30_000);
    const seen = Array.from({ length: 1000 }, () => backoffDelay(3));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...seen)).toBeLessThanOrEqual(400);
    expect(new Set(seen).size).toBeGreaterThan(900); // spread, not one value for everybody
    expect(jitteredDelay(1000, () => 0)).toBe(1000);
    expect(jitteredDelay(1000, () => 0.999999)).toBeLessThan(1250);
  });

  it("keys routes by method and path shape", () => {
    expect(routeOf("patch", "/users/usr_000042?x=1")).toBe("PATCH /users/*");
    expect(routeOf("GET", "/restapi/v1.0/account/~/extension/12345")).toBe("GET /restapi/*/account/~/extension/*");
    expect(routeOf("GET", "/users")).toBe("GET /users");
  });
});

/** The platform's limiter (platform/ratelimit.ts) on virtual time: what it would answer at t. */
function tokenBucketServer(burst: number, perSecond: number) {
  let tokens = burst, at = 0;
  return (t: number) => {
    tokens = Math.min(burst, tokens + ((t - at) * perSecond) / 1000);
    at = t;
    if (tokens >= 1) return { status: 200, rateLimit: rl(perSecond * 60, Math.floor((tokens -= 1))) };
    return { status: 429, rateLimit: rl(perSecond * 60, 0), retryAfterMs: Math.ceil((1 - tokens) / perSecond) * 1000 };
  };
}

/** n acquisitions of one route, each settled at once with what `answer` says; the times they were granted. */
async function drive(p: Pacer, clock: VirtualClock, n: number, workers: number, answer: (i: number, t: number) => Parameters<Pacer["settle"]>[1], route = "PATCH /users/*") {
  const times: number[] = [];
  let i = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (i < n) {
      const k = i++;
      const ticket = await p.acquire(route);
      times.push(clock.now());
      p.settle(ticket, answer(k, clock.now()));
    }
  }));
  return times;
}

describe("Pacer", () => {
  it("sends the first request alone, and nothing is paced when the server advertises no limit", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock });
    const first = await p.acquire("GET /me");
    let second: Ticket | undefined;
    void p.acquire("GET /me").then((t) => (second = t));
    await clock.sleep(1000);
    expect(second).toBeUndefined(); // no answer yet: no guess
    p.settle(first, { status: 200, rateLimit: null });
    await clock.sleep(0);
    expect(second).toBeDefined();
    const times = await drive(p, clock, 50, 8, () => ({ status: 200 }));
    expect(new Set(times).size).toBe(1); // all at once
  });

  it("paces to limit/window less the margin, starting from what the server says remains: no 429", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock, margin: 0.05, reserve: 1 });
    const server = tokenBucketServer(20, 10); // 600 per minute, burst 20
    const times = await drive(p, clock, 120, 8, (_i, t) => server(t));
    expect(p.stats.refused).toBe(0);
    // The first answer said 19 remain; 18 of them go at once (one kept in reserve).
    expect(times.filter((t) => t === 0)).toHaveLength(19);
    const gaps = times.slice(19).map((t, k) => t - times[18 + k]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(1000 / 9.5));
    expect(times.at(-1)!).toBeGreaterThanOrEqual(((120 - 19) / 9.5) * 1000);
    expect(times.at(-1)!).toBeLessThan(((120 - 19) / 9.5) * 1000 + 100);
  });

  it("never holds more than a server's Remaining minus the requests still on their way", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock, reserve: 1 });
    const a = await p.acquire("GET /x");
    p.settle(a, { status: 200, rateLimit: rl(60, 10) }); // 10 left: 9 may go
    const held: Ticket[] = [];
    for (let i = 0; i < 9; i++) held.push(await p.acquire("GET /x"));
    expect(clock.now()).toBe(0);
    // An answer to one of them says 5 left while 8 others are still out: 5 − 1 − 8 < 0.
    p.settle(held[0], { status: 200, rateLimit: rl(60, 5) });
    await p.acquire("GET /x");
    expect(clock.now()).toBeGreaterThanOrEqual(((1 + 4) * 1000) / (1 - DEFAULT_MARGIN)); // climbed back from −4 at 1 − margin per s
  });

  it("after a 429 holds every waiting request until Retry-After, then lets them go one per slot", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock });
    const first = await p.acquire("PATCH /users/*");
    p.settle(first, { status: 200, rateLimit: rl(600, 9) }); // 8 may go at once
    const out = await Promise.all(Array.from({ length: 8 }, () => p.acquire("PATCH /users/*")));
    const granted: number[] = [];
    const waiting = Array.from({ length: 8 }, () => p.acquire("PATCH /users/*").then((t) => { granted.push(clock.now()); return t; }));
    // Someone else spent the limit: the first answer is a 429 asking for 3 s; the rest, too.
    p.settle(out[0], { status: 429, rateLimit: rl(600, 0), retryAfterMs: 3000 });
    for (const t of out.slice(1)) p.settle(t, { status: 429, rateLimit: rl(600, 0), retryAfterMs: 3000 });
    await Promise.all(waiting);
    expect(Math.min(...granted)).toBeGreaterThanOrEqual(3000);
    const gaps = granted.slice(1).map((t, k) => t - granted[k]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(1000 / (10 * (1 - DEFAULT_MARGIN)))); // paced, not all together
    expect(p.stats.refused).toBe(8);
  });

  it("leaves more of the rate unused after each 429, once per pause, up to a quarter", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock });
    const a = await p.acquire("GET /x");
    p.settle(a, { status: 200, rateLimit: rl(600, 9) });
    const slot = async () => { const t0 = clock.now(); p.settle(await p.acquire("GET /x"), { status: 200 }); return clock.now() - t0; };
    let margin = DEFAULT_MARGIN;
    for (let episode = 0; episode < 5; episode++) {
      // Eight requests out at once, all refused: one pause, and the margin doubles once.
      const out = await Promise.all(Array.from({ length: 8 }, () => p.acquire("GET /x")));
      for (const t of out) p.settle(t, { status: 429, rateLimit: rl(600, 0), retryAfterMs: 1000 });
      margin = Math.min(MAX_MARGIN, 2 * margin);
      await slot(); // the pause, then the first slot
      expect(await slot()).toBeCloseTo(1000 / (10 * (1 - margin)), 0);
    }
    expect(margin).toBe(MAX_MARGIN);
  });

  it("keeps no spare token on a server whose bucket holds one or two", async () => {
    for (const burst of [1, 2]) {
      const clock = new VirtualClock();
      const p = new Pacer({ clock });
      const server = tokenBucketServer(burst, 10);
      const times = await drive(p, clock, 41, 8, (_i, t) => server(t));
      expect(p.stats.refused).toBe(0);
      expect(times.at(-1)!).toBeCloseTo(((41 - burst) * 1000) / (10 * (1 - DEFAULT_MARGIN)), -2); // the full rate, not half of it
    }
  });

  it("serves the oldest request first: a retried one keeps its place", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock });
    const a = await p.acquire("GET /x", p.order());
    const retried = p.order();
    p.settle(a, { status: 200, rateLimit: rl(60, 0) }); // nothing left: everyone waits
    const order: string[] = [];
    const later = Array.from({ length: 3 }, (_, i) => p.acquire("GET /x").then((t) => { order.push(`new${i}`); p.settle(t, { status: 200 }); }));
    await clock.sleep(10);
    const again = p.acquire("GET /x", retried).then((t) => { order.push("retried"); p.settle(t, { status: 200 }); });
    await Promise.all([...later, again]);
    expect(order).toEqual(["retried", "new0", "new1", "new2"]);
  });

  it("when a 429 comes with no known limit, resumes one request at a time until one is answered", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock });
    const a = await p.acquire("GET /x");
    p.settle(a, { status: 200 });
    const b = await p.acquire("GET /x");
    p.settle(b, { status: 429, retryAfterMs: 2000 });
    const granted: Ticket[] = [];
    const all = Array.from({ length: 4 }, () => p.acquire("GET /x").then((t) => granted.push(t)));
    await clock.sleep(2500);
    expect(granted).toHaveLength(1); // the probe
    p.settle(granted[0], { status: 200 });
    await Promise.all(all);
    expect(granted).toHaveLength(4);
  });

  it("waits 30 s after a 429 that says nothing of when to come back", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock });
    const a = await p.acquire("GET /x");
    p.settle(a, { status: 429, rateLimit: rl(60, 0) });
    await p.acquire("GET /x");
    expect(clock.now()).toBeGreaterThanOrEqual(30_000);
  });

  it("holds at least a second after a 429, even one saying Retry-After: 0", async () => {
    expect(pauseAfter429(0)).toBe(1000);
    expect(pauseAfter429(undefined)).toBe(30_000);
    expect(pauseAfter429(60_000)).toBe(60_000);
    const clock = new VirtualClock();
    const p = new Pacer({ clock });
    const a = await p.acquire("GET /x");
    p.settle(a, { status: 429, retryAfterMs: 0 });
    await p.acquire("GET /x");
    expect(clock.now()).toBe(1000);
  });

  it("uses a token-bucket server's whole burst, even one as large as a window's limit (the platform's default, 40/min with a burst of 40)", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock });
    const server = tokenBucketServer(40, 40 / 60);
    const times = await drive(p, clock, 60, 8, (_i, t) => server(t));
    expect(p.stats.refused).toBe(0);
    expect(times.filter((t) => t === 0)).toHaveLength(39);
    // The other 21 at 40 × (1 − margin) per minute: no cap of 40 per trailing minute, which would push them past 60 s.
    expect(times.at(-1)!).toBeCloseTo((21 * 60_000) / (40 * (1 - DEFAULT_MARGIN)), -3);
  });

  it("keeps no more than limit × (1 − margin) in any trailing window for a group that counts over a sliding window (X-Rate-Limit-Group, RingCentral)", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock, margin: 0.05, reserve: 1 });
    // RingCentral's Light group: 50 per 60 s, fresh window; Remaining counts down, the window slides.
    const sent: number[] = [];
    const times = await drive(p, clock, 120, 4, (_i, t) => {
      sent.push(t);
      const inWindow = sent.filter((s) => s > t - 60_000).length;
      return { status: 200, rateLimit: rl(50, Math.max(0, 50 - inWindow), 60, "Light") };
    });
    for (const t of times) expect(times.filter((s) => s > t - 60_000 && s <= t).length).toBeLessThanOrEqual(47);
  });

  it("paces each X-Rate-Limit-Group on its own, and a route of no known group waits out every pause", async () => {
    const clock = new VirtualClock();
    const p = new Pacer({ clock });
    const light = await p.acquire("GET /a");
    p.settle(light, { status: 200, rateLimit: rl(600, 0, 60, "Light") });
    const heavy = await p.acquire("POST /b");
    p.settle(heavy, { status: 200, rateLimit: rl(6, 0, 60, "Heavy") });
    const t0 = clock.now();
    await p.acquire("GET /a");
    expect(clock.now() - t0).toBeLessThan(300); // Light: ~10 per s
    const h = await p.acquire("POST /b");
    expect(clock.now() - t0).toBeGreaterThan(10_000); // Heavy: ~0.1 per s
    p.settle(h, { status: 429, rateLimit: { group: "Heavy", remaining: 0 }, retryAfterMs: 60_000 });
    const t1 = clock.now();
    await p.acquire("GET /a");
    expect(clock.now() - t1).toBeLessThan(300); // Light is not held by Heavy's penalty
    await p.acquire("DELETE /unknown");
    expect(clock.now() - t1).toBeGreaterThanOrEqual(60_000); // unknown group: could be Heavy
  });
});
