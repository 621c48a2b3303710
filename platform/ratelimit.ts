// Token buckets: `burst` tokens at most, refilled at perMinute/60 per second, one bucket per key.
// The server keys a request by its token only once the token is known to be valid (`t:<hash>`), and
// by its client address otherwise (`ip:<address>`), so junk tokens share their sender's bucket instead
// of each getting a fresh one. The map is bounded: past `maxKeys` it first forgets buckets that have
// refilled (forgetting a full bucket changes nothing), then address buckets, then keys used only once, and a
// token's bucket in use only when nothing else is left, so no flood of other keys can reset a real token's bucket.
export interface RateLimitConfig { perMinute: number; burst: number }
export interface RateDecision { allowed: boolean; limit: number; remaining: number; retryAfterSeconds: number; windowSeconds: number }

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { perMinute: 40, burst: 40 };
/** Failed authentications allowed per client address: 20 at once, then 10 a minute. */
export const DEFAULT_AUTH_FAILURE_LIMIT: RateLimitConfig = { perMinute: 10, burst: 20 };
export const MAX_KEYS = 10_000;

type Bucket = { tokens: number; at: number; uses: number };

export class RateLimiter {
  private buckets = new Map<string, Bucket>();
  constructor(public config: RateLimitConfig | false = DEFAULT_RATE_LIMIT, private clock: () => number = () => Date.now(), private maxKeys = MAX_KEYS) {}

  configure(config: RateLimitConfig | false): void { this.config = config; this.buckets.clear(); }

  get size(): number { return this.buckets.size; }

  /** The bucket for key, refilled to now (not stored). */
  private current(key: string, cfg: RateLimitConfig, now: number): Bucket {
    const b = this.buckets.get(key) ?? { tokens: cfg.burst, at: now, uses: 0 };
    return { tokens: Math.min(cfg.burst, b.tokens + (now - b.at) * (cfg.perMinute / 60_000)), at: now, uses: b.uses };
  }

  private store(key: string, b: Bucket, cfg: RateLimitConfig, now: number): void {
    this.buckets.delete(key); // re-inserted: the map's order is least recently used first
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.evict(cfg, now, key);
  }

  private evict(cfg: RateLimitConfig, now: number, keep: string): void {
    for (const [k] of this.buckets) {
      if (this.buckets.size <= this.maxKeys * 0.9) return;
      if (k !== keep && this.current(k, cfg, now).tokens >= cfg.burst) this.buckets.delete(k); // full: forgetting it is lossless
    }
    // then address buckets, then keys seen once (a junk key is never seen twice), then the least recently used
    const passes: ((k: string, b: Bucket) => boolean)[] = [(k) => k.startsWith("ip:"), (_k, b) => b.uses <= 1, () => true];
    for (const pass of passes) {
      for (const [k, b] of this.buckets) {
        if (this.buckets.size <= this.maxKeys) return;
        if (k !== keep && pass(k, b)) this.buckets.delete(k);
      }
    }
  }

  private decision(cfg: RateLimitConfig, tokens: number, allowed: boolean): RateDecision {
    const ratePerMs = cfg.perMinute / 60_000;
    return allowed
      ? { allowed, limit: cfg.perMinute, remaining: Math.floor(tokens), retryAfterSeconds: 0, windowSeconds: 60 }
      : { allowed, limit: cfg.perMinute, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000)), windowSeconds: 60 };
  }

  take(key: string): RateDecision | null {
    const cfg = this.config;
    if (!cfg) return null;
    const now = this.clock();
    const b = this.current(key, cfg, now);
    const allowed = b.tokens >= 1;
    if (allowed) b.tokens -= 1;
    b.uses++;
    this.store(key, b, cfg, now);
    return this.decision(cfg, b.tokens, allowed);
  }

  /** Whether key's bucket has a token left, without taking one (null when disabled). */
  peek(key: string): RateDecision | null {
    const cfg = this.config;
    if (!cfg) return null;
    const b = this.current(key, cfg, this.clock());
    return this.decision(cfg, b.tokens, b.tokens >= 1);
  }
}
