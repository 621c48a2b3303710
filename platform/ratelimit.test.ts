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
