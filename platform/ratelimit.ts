// Per-token token bucket: `burst` tokens at most, refilled at perMinute/60 per second.
export interface RateLimitConfig { perMinute: number; burst: number }
export interface RateDecision { allowed: boolean; limit: number; remaining: number; retryAfterSeconds: number; windowSeconds: number }

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { perMinute: 40, burst: 40 };

export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(public config: RateLimitConfig | false = DEFAULT_RATE_LIMIT, private clock: () => number = () => Date.now()) {}

  configure(config: RateLimitConfig | false): void { this.config = config; this.buckets.clear(); }

  take(key: string): RateDecision | null {
    const cfg = this.config;
    if (!cfg) return null;
    const now = this.clock();
    const ratePerMs = cfg.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: cfg.burst, at: now };
    b.tokens = Math.min(cfg.burst, b.tokens + (now - b.at) * ratePerMs);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, limit: cfg.perMinute, remaining: Math.floor(b.tokens), retryAfterSeconds: 0, windowSeconds: 60 };
    }
    return { allowed: false, limit: cfg.perMinute, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000)), windowSeconds: 60 };
  }
}
