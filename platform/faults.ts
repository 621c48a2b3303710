// Fault injection for tests, per route prefix: probability of 500 / 503 / a dropped connection,
// and added latency. Faults strike before the handler runs, so a faulted write never happens.
import type { FaultRuleT } from "./schemas";

export type FaultAction = "none" | "error500" | "error503" | "drop";
export interface FaultDecision { latencyMs: number; action: FaultAction; dropAfterWrite?: boolean }

/** mulberry32: a small seeded PRNG so fault sequences can be reproduced. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function ruleMatches(rule: FaultRuleT, method: string, path: string): boolean {
  if (!rule.route) return true;
  return rule.route.startsWith("/") ? path.startsWith(rule.route) : `${method} ${path}`.startsWith(rule.route);
}

export class Faults {
  rules: FaultRuleT[] = [];
  constructor(private random: () => number = Math.random) {}

  /** Adds a rule, replacing any rule for the same route. */
  add(rule: FaultRuleT): void { this.rules = [...this.rules.filter((r) => r.route !== rule.route), rule]; }
  clear(): void { this.rules = []; }

  decide(method: string, path: string): FaultDecision {
    let latencyMs = 0;
    let dropAfterWrite = false;
    for (const r of this.rules) {
      if (!ruleMatches(r, method, path)) continue;
      latencyMs += r.latencyMs ?? 0;
      if (r.dropConnection && this.random() < r.dropConnection) return { latencyMs, action: "drop" };
      if (r.error500 && this.random() < r.error500) return { latencyMs, action: "error500" };
      if (r.error503 && this.random() < r.error503) return { latencyMs, action: "error503" };
      if (r.dropAfterWrite && method !== "GET" && this.random() < r.dropAfterWrite) dropAfterWrite = true;
    }
    return dropAfterWrite ? { latencyMs, action: "none", dropAfterWrite } : { latencyMs, action: "none" };
  }
}
