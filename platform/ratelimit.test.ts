// The token bucket on a virtual clock.
import { describe, expect, it } from "vitest";
import { RateLimiter } from "./ratelimit";

describe("token bucket", () => {
  it("allows burst, then refills at perMinute/60 per second, per key", () => {
    let now = 0;
    const rl = new RateLimiter({ perMinute: 60, burst: 2 }, () => now);
    expect(rl.take("a")!.allowed).toBe(true);
    expect(rl.take("a")!.remaining).toBe(0);
    const no = rl.take("a")!;
    expect(no).toMatchObject({ allowed: false, retryAfterSeconds: 1, limit: 60, windowSeconds: 60 });
    expect(rl.take("b")!.allowed).toBe(true);
    now += 1000;
    expect(rl.take("a")!.allowed).toBe(true);
    rl.configure(false);
    expect(rl.take("a")).toBeNull();
  });
});

describe("the bounded bucket map", () => {
  it("10,000 junk keys do not evict a real token's bucket (an emptied bucket stays empty)", () => {
    let now = 0;
    const rl = new RateLimiter({ perMinute: 1, burst: 2 }, () => now, 1_000);
    rl.take("t:real"); rl.take("t:real");
    expect(rl.take("t:real")!.allowed).toBe(false);
    for (let i = 0; i < 10_000; i++) { now += 1; rl.take(`t:junk-${i}`); }
    expect(rl.size).toBeLessThanOrEqual(1_000);
    expect(rl.take("t:real")!.allowed).toBe(false);
    for (let i = 0; i < 10_000; i++) rl.take(`ip:10.0.${i >> 8}.${i & 255}`);
    expect(rl.take("t:real")!.allowed).toBe(false);
  });

  it("forgets refilled buckets first: forgetting a full bucket changes nothing", () => {
    let now = 0;
    const rl = new RateLimiter({ perMinute: 60, burst: 1 }, () => now, 10);
    for (let i = 0; i < 10; i++) rl.take(`t:${i}`);
    now += 5_000; // all refilled
    rl.take("t:new");
    expect(rl.size).toBeLessThanOrEqual(10);
    expect(rl.take("t:new")!.allowed).toBe(false); // its own bucket was kept
  });

  it("peek does not take", () => {
    const rl = new RateLimiter({ perMinute: 60, burst: 1 }, () => 0);
    expect(rl.peek("a")!.allowed).toBe(true);
    expect(rl.peek("a")!.allowed).toBe(true);
    rl.take("a");
    expect(rl.peek("a")!.allowed).toBe(false);
  });
});
