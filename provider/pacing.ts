// Client-side pacing for a rate-limited HTTP API, shared by every request of one client.
//
// Everything it knows about the limit comes from the server's answers: X-Rate-Limit-Limit requests
// per X-Rate-Limit-Window seconds, X-Rate-Limit-Remaining and, where the server counts groups of
// endpoints separately (RingCentral), X-Rate-Limit-Group. For each group it keeps:
//  - a token bucket refilled at limit/window × (1 − margin). Every answer lowers it to what the
//    server says remains, less a reserve and less the requests still on their way, and it never
//    holds more than the server has shown it can (the largest Remaining seen, plus one). That makes
//    it a lower bound of a token-bucket server's own count, so pacing by it is never refused;
//  - for a group that counts over a sliding window, at most limit × (1 − margin) sends in any
//    trailing window, so the first burst followed by the refill does not overrun it. A group is
//    taken to count that way when the server names it (X-Rate-Limit-Group: RingCentral's limits are
//    per group over a sliding window) or once it has answered 429 anyway. Not before: a token-bucket
//    server (the platform) whose burst is a whole window's limit would lose half its first window;
//  - a pause: after a 429 nothing of the group goes out until Retry-After has passed, and the
//    bucket then starts empty, so the waiting requests resume one per slot instead of together.
// Before the first answer it guesses no rate: one request goes, the others wait for its answer.
// Waiting requests are served oldest first; a retried request keeps its place in that order.
// Time comes from an injectable Clock, so tests run on virtual time.

export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(2 ** 31 - 1, Math.max(0, Math.ceil(ms))))),
};

/** What one answer's X-Rate-Limit-* headers say; fields the server did not send are absent. */
export interface RateLimitInfo {
  group?: string;
  limit?: number;
  remaining?: number;
  windowSeconds?: number;
}

/** The X-Rate-Limit-* headers of an answer, or null when it has none. */
export function readRateLimit(header: (name: string) => string | null): RateLimitInfo | null {
  const num = (name: string): number | undefined => {
    const v = header(name)?.trim();
    if (!v) return undefined;
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  const info: RateLimitInfo = {};
  const limit = num("x-rate-limit-limit"), remaining = num("x-rate-limit-remaining"), windowSeconds = num("x-rate-limit-window");
  const group = header("x-rate-limit-group")?.trim();
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (windowSeconds !== undefined) info.windowSeconds = windowSeconds;
  if (group) info.group = group;
  return Object.keys(info).length ? info : null;
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, wallNowMs: number = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) || !/[a-z]/i.test(v) ? undefined : Math.max(0, at - wallNowMs);
}

/**
 * How long a 429 holds requests: its Retry-After, or `defaultMs` (30 s: RingCentral's advice) when
 * it has none, and never less than a second, so a "Retry-After: 0" cannot start a busy loop.
 */
export function pauseAfter429(retryAfterMs: number | undefined, defaultMs = 30_000): number {
  return Math.max(1000, retryAfterMs ?? defaultMs);
}

/**
 * Exponential backoff with "equal jitter": half of min(cap, base × 2^(attempt−1)) for sure, the
 * other half at random, so clients that failed together do not come back together.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, capMs = 30_000, baseMs = 100): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return exp / 2 + random() * (exp / 2);
}

/** A wait the server asked for (Retry-After on a 5xx), stretched by up to a quarter at random. */
export function jitteredDelay(ms: number, random: () => number = Math.random): number {
  return ms * (1 + random() / 4);
}

/**
 * A request's route for learning which group it counts in: method and path with the query dropped
 * and id-like segments (any digit, or longer than 24 characters) replaced by `*`.
 */
export function routeOf(method: string, path: string): string {
  const p = path.split("?")[0].split("/").map((s) => (/\d/.test(s) || s.length > 24 ? "*" : s)).join("/");
  return `${method.toUpperCase()} ${p}`;
}

/**
 * Part of the advertised rate left unused. The bucket is already a lower bound of a token-bucket
 * server's (it takes Remaining rounded down, and Retry-After rounded up), so this only covers the
 * two clocks drifting apart and a sliding window's edges; every point of it costs as much in time.
 */
export const DEFAULT_MARGIN = 0.03;
/** The most a group's margin grows to after 429s. */
export const MAX_MARGIN = 0.25;

export interface PacerOptions {
  clock?: Clock;
  /** Part of the advertised rate left unused (default DEFAULT_MARGIN). */
  margin?: number;
  /** Requests of the server's Remaining never spent, where its bucket holds three or more (default 1). */
  reserve?: number;
  /** Pause after a 429 that says nothing of when to come back (default 30 s; see pauseAfter429). */
  defaultPauseMs?: number;
}

/** Permission to send one request; give it back with Pacer.settle. */
export interface Ticket {
  readonly route: string;
  readonly group: string;
  /** When it was handed out, and whether that send is in its group's window log yet. */
  readonly at: number;
  logged: boolean;
  settled: boolean;
}

/** What came back for a ticket: nothing (dropped connection, not sent), or a status and its headers. */
export interface Answer {
  status?: number;
  rateLimit?: RateLimitInfo | null;
  /** For a 429: how long the server asked to wait. */
  retryAfterMs?: number;
}

class Bucket {
  /** Tokens per millisecond, margin applied; 0 while no limit is known: unpaced. */
  rate = 0;
  /** Part of the advertised rate left unused: the pacer's margin, doubled by each 429 (up to MAX_MARGIN). */
  margin = 0;
  limit = 0;
  windowSeconds = 0;
  /** What the server last said remains (for `limits()`, not for pacing). */
  remaining: number | undefined;
  capacity = 1;
  tokens = 0;
  /** When tokens was last brought up to date (in the future during a pause). */
  at = 0;
  synced = false;
  windowCap = Number.POSITIVE_INFINITY;
  /** Counts over a sliding window: keep to windowCap sends in any trailing window. */
  windowed = false;
  /** Send times of the trailing window, oldest first from `head`. */
  sends: number[] = [];
  head = 0;
  pausedUntil = Number.NEGATIVE_INFINITY;
  /** Paused with no known rate: one request at a time until one is answered. */
  probing = false;
  inflight = 0;
}

interface Waiter {
  route: string;
  order: number;
  resolve: (t: Ticket) => void;
}

const EPSILON = 1e-9;

export class Pacer {
  private readonly clock: Clock;
  private readonly margin: number;
  private readonly reserve: number;
  private readonly defaultPauseMs: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly groupOfRoute = new Map<string, string>();
  private readonly waiters: Waiter[] = [];
  private answered = false;
  private inflight = 0;
  private wakeAt = Number.POSITIVE_INFINITY;
  private nextOrder = 0;
  /** Tickets handed out, and 429s answered (each one starts or extends a pause). */
  readonly stats = { granted: 0, refused: 0 };

  constructor(opts: PacerOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.margin = opts.margin ?? DEFAULT_MARGIN;
    this.reserve = opts.reserve ?? 1;
    this.defaultPauseMs = opts.defaultPauseMs ?? 30_000;
    if (!(this.margin >= 0 && this.margin < 1)) throw new RangeError("margin must be in [0, 1)");
  }

  /** A place in the queue for a new request; pass it to every acquire of that request's attempts. */
  order(): number { return this.nextOrder++; }

  /** Resolves when a request of this route may be sent. */
  acquire(route: string, order: number = this.order()): Promise<Ticket> {
    return new Promise((resolve) => {
      let i = this.waiters.length;
      while (i > 0 && this.waiters[i - 1].order > order) i--;
      this.waiters.splice(i, 0, { route, order, resolve });
      this.pump();
    });
  }

  /** Give a ticket back with what the server answered, and learn from it. */
  settle(ticket: Ticket, answer: Answer = {}): void {
    if (ticket.settled) return;
    ticket.settled = true;
    const now = this.clock.now();
    this.bucket(ticket.group).inflight--;
    this.inflight--;
    const { status, rateLimit } = answer;
    if (status !== undefined) this.answered = true;
    let b = this.bucket(this.groupOfRoute.get(ticket.route) ?? ticket.group);
    if (rateLimit) {
      const group = rateLimit.group ?? "";
      if (this.groupOfRoute.size >= 10_000 && !this.groupOfRoute.has(ticket.route)) this.groupOfRoute.delete(this.groupOfRoute.keys().next().value!);
      this.groupOfRoute.set(ticket.route, group);
      b = this.bucket(group);
      this.learn(b, rateLimit, status === 429, now);
      if (!ticket.logged && b.rate) this.log(b, ticket);
    }
    if (status === 429) {
      this.stats.refused++;
      const until = now + pauseAfter429(answer.retryAfterMs, this.defaultPauseMs);
      // A 429 that names no group may be an account-wide limit: every group waits.
      for (const t of rateLimit?.group !== undefined ? [b] : new Set([b, ...this.buckets.values()])) this.pause(t, until, now);
    } else if (status !== undefined) {
      b.probing = false;
    }
    this.pump();
  }

  /** The limit learned for a route, for messages: "40 requests per 60 s (group Medium)". */
  describe(route: string): string | undefined {
    const group = this.groupOfRoute.get(route) ?? "";
    const b = this.buckets.get(group);
    if (!b || !b.rate) return undefined;
    return `${b.limit} requests per ${b.windowSeconds} s${group ? ` (group ${group})` : ""}`;
  }

  /** The limits learned so far, one per group the server named ("" for none), for whoever asks (a backend's rate-limit facts). */
  limits(): { group: string; limit: number; windowSeconds: number; remaining?: number }[] {
    return [...this.buckets].filter(([, b]) => b.rate > 0)
      .map(([group, b]) => ({ group, limit: b.limit, windowSeconds: b.windowSeconds, ...(b.remaining !== undefined ? { remaining: b.remaining } : {}) }));
  }

  /** Requests waiting for their turn. */
  get waiting(): number { return this.waiters.length; }

  private bucket(group: string): Bucket {
    let b = this.buckets.get(group);
    if (!b) this.buckets.set(group, (b = new Bucket()));
    return b;
  }

  private learn(b: Bucket, info: RateLimitInfo, refused: boolean, now: number): void {
    if (info.limit && info.windowSeconds) {
      this.refill(b, now);
      b.limit = info.limit;
      b.windowSeconds = info.windowSeconds;
      b.margin ||= this.margin;
      b.rate = (info.limit * (1 - b.margin)) / (info.windowSeconds * 1000);
      b.windowCap = Math.max(1, Math.floor(info.limit * (1 - b.margin)));
    }
    if (info.group !== undefined) b.windowed = true;
    if (info.remaining !== undefined) b.remaining = info.remaining;
    // A 429's Remaining is 0 by definition and says nothing the pause does not.
    if (info.remaining === undefined || !b.rate || refused) return;
    this.refill(b, now);
    b.capacity = b.synced ? Math.max(b.capacity, info.remaining + 1) : info.remaining + 1;
    // The reserve is a spare token on the server against requests arriving closer together than
    // they were sent. Only where the bucket holds three or more: in a smaller one the spare costs
    // more (a timer firing late lets a full bucket overflow) than the rare 429 it would avoid.
    const bound = info.remaining - (b.capacity >= 3 ? this.reserve : 0) - this.inflight;
    b.tokens = b.synced ? Math.min(b.tokens, bound) : Math.min(bound, b.capacity);
    b.at = Math.max(b.at, now);
    b.synced = true;
  }

  private pause(b: Bucket, until: number, now: number): void {
    const fresh = b.pausedUntil <= now; // not the answer to a request that was out when the pause began
    b.pausedUntil = Math.max(b.pausedUntil, until);
    b.windowed = true;
    if (b.rate) {
      b.tokens = 0;
      b.at = b.pausedUntil;
      if (fresh) {
        // Refused although paced (requests arriving closer together than sent, or someone else
        // spending the same limit): leave more of the rate unused from now on.
        const margin = Math.min(MAX_MARGIN, Math.max(0.02, 2 * b.margin));
        b.rate = (b.rate / (1 - b.margin)) * (1 - margin);
        b.windowCap = Math.max(1, Math.floor(b.limit * (1 - margin)));
        b.margin = margin;
      }
    } else {
      b.probing = true;
    }
  }

  private refill(b: Bucket, now: number): void {
    if (!b.rate || now <= b.at) return;
    b.tokens = Math.min(b.capacity, b.tokens + (now - b.at) * b.rate);
    b.at = now;
  }

  /** Milliseconds until a request of this group may go; Infinity: until an answer comes. */
  private waitFor(group: string, now: number): number {
    if (!this.answered && this.inflight > 0) return Number.POSITIVE_INFINITY;
    const b = this.bucket(group);
    let until = b.pausedUntil;
    // A route of no known group may belong to a paused one: it waits for every pause.
    if (group === "") for (const o of this.buckets.values()) until = Math.max(until, o.pausedUntil);
    if (now < until) return until - now;
    if (b.probing && b.inflight > 0) return Number.POSITIVE_INFINITY;
    if (!b.rate) return 0;
    this.refill(b, now);
    const tokenWait = b.tokens >= 1 - EPSILON ? 0 : (1 - b.tokens) / b.rate;
    return Math.max(tokenWait, this.windowWait(b, now));
  }

  private windowWait(b: Bucket, now: number): number {
    const windowMs = b.windowSeconds * 1000;
    if (!b.windowed) {
      // Only the last window is needed should the group turn out to count over one.
      if (b.sends.length - b.head > 2 * b.windowCap) b.head = b.sends.length - b.windowCap;
    }
    while (b.head < b.sends.length && b.sends[b.head] <= now - windowMs) b.head++;
    if (b.head > 1024 && b.head * 2 > b.sends.length) { b.sends = b.sends.slice(b.head); b.head = 0; }
    return b.windowed && b.sends.length - b.head >= b.windowCap ? b.sends[b.head] + windowMs - now : 0;
  }

  private take(route: string, group: string, now: number): Ticket {
    const b = this.bucket(group);
    const ticket: Ticket = { route, group, at: now, logged: false, settled: false };
    if (b.rate) {
      this.refill(b, now);
      b.tokens -= 1;
      this.log(b, ticket);
    }
    b.inflight++;
    this.inflight++;
    this.stats.granted++;
    return ticket;
  }

  /** Count a send in its group's trailing window, also one sent before the group or its limit was known. */
  private log(b: Bucket, ticket: Ticket): void {
    let i = b.sends.length;
    while (i > b.head && b.sends[i - 1] > ticket.at) i--;
    b.sends.splice(i, 0, ticket.at);
    ticket.logged = true;
  }

  private pump(): void {
    const now = this.clock.now();
    const blocked = new Set<string>();
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i];
      const group = this.groupOfRoute.get(w.route) ?? "";
      if (blocked.has(group)) { i++; continue; }
      const wait = this.waitFor(group, now);
      if (wait > EPSILON) {
        blocked.add(group);
        next = Math.min(next, now + wait);
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      w.resolve(this.take(w.route, group, now));
    }
    if (next < this.wakeAt) {
      const at = next;
      this.wakeAt = at;
      void this.clock.sleep(Math.max(1, Math.ceil(at - now))).then(() => {
        if (this.wakeAt === at) this.wakeAt = Number.POSITIVE_INFINITY;
        this.pump();
      });
    }
  }
}
