// RingCentral's rate-limit groups budgeted on the client side: each group's requests over a sliding
// window never exceed its limit, so a run does not provoke the 60 s penalty (which any request made
// during it restarts). Limits start at the documented defaults and follow what the portal answers
// (X-Rate-Limit-Limit / -Window / -Remaining); a 429's Retry-After holds the whole group back.
import type { RateLimit } from "../backend";

export type Group = "Light" | "Medium" | "Heavy" | "Auth";
export const GROUPS: readonly Group[] = ["Light", "Medium", "Heavy", "Auth"];
/** VENDOR-APIS.md §2.7: requests per user per app per minute. */
export const DEFAULT_LIMITS: Record<Group, number> = { Light: 50, Medium: 40, Heavy: 10, Auth: 5 };

interface GroupState { limit: number; windowMs: number; sent: number[]; heldUntil: number; remaining?: number; requests: number }

export class Budget {
  private readonly groups = new Map<Group, GroupState>();
  constructor(private readonly now: () => number = Date.now, private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))) {
    for (const g of GROUPS) this.groups.set(g, { limit: DEFAULT_LIMITS[g], windowMs: 60_000, sent: [], heldUntil: 0, requests: 0 });
  }

  /** Waits for a slot in the group's window, then takes it. */
  async take(group: Group): Promise<void> {
    const g = this.groups.get(group)!;
    for (;;) {
      const now = this.now();
      g.sent = g.sent.filter((t) => t > now - g.windowMs);
      const wait = Math.max(g.heldUntil - now, g.sent.length >= g.limit ? g.sent[0] + g.windowMs - now + 5 : 0);
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    g.sent.push(this.now());
    g.requests++;
  }

  /** What the portal said of the group: its limit, window and what is left (fewer left than counted: others used them). */
  learn(group: Group, headers: { limit?: number; windowSeconds?: number; remaining?: number }): void {
    const g = this.groups.get(group)!;
    if (headers.limit && headers.limit > 0) g.limit = headers.limit;
    if (headers.windowSeconds && headers.windowSeconds > 0) g.windowMs = headers.windowSeconds * 1000;
    if (headers.remaining !== undefined && Number.isFinite(headers.remaining)) {
      g.remaining = headers.remaining;
      const now = this.now();
      g.sent = g.sent.filter((t) => t > now - g.windowMs);
      const counted = g.limit - g.sent.length;
      for (let i = headers.remaining; i < counted; i++) g.sent.push(now); // used by another run of the same user and app
    }
  }

  /** A 429: nothing of the group is sent before Retry-After has passed. */
  hold(group: Group, seconds: number): void {
    const g = this.groups.get(group)!;
    g.heldUntil = Math.max(g.heldUntil, this.now() + seconds * 1000);
  }

  limits(): RateLimit[] {
    return GROUPS.map((group) => {
      const g = this.groups.get(group)!;
      return { group, limit: g.limit, windowSeconds: g.windowMs / 1000, ...(g.remaining !== undefined ? { remaining: g.remaining } : {}) };
    });
  }

  /** Requests sent per group in this run (retries included). */
  requests(): Record<Group, number> {
    return Object.fromEntries(GROUPS.map((g) => [g, this.groups.get(g)!.requests])) as Record<Group, number>;
  }
}
