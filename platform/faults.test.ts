// Fault decisions: which rule matches a request, and seeded sequences that repeat.
import { describe, expect, it } from "vitest";
import { Faults, seededRandom } from "./faults";

describe("faults", () => {
  it("matches path or METHOD-path prefixes; seeded sequences repeat", () => {
    const f = new Faults(seededRandom(7));
    f.add({ route: "PATCH /users", error500: 1 });
    f.add({ route: "/groups", latencyMs: 5 });
    expect(f.decide("PATCH", "/users/u1").action).toBe("error500");
    expect(f.decide("GET", "/users/u1").action).toBe("none");
    expect(f.decide("GET", "/groups")).toEqual({ latencyMs: 5, action: "none" });
    const seq = (seed: number) => { const g = new Faults(seededRandom(seed)); g.add({ error503: 0.5 }); return Array.from({ length: 20 }, () => g.decide("GET", "/x").action); };
    expect(seq(3)).toEqual(seq(3));
    expect(seq(3)).toContain("error503");
    expect(seq(3)).toContain("none");
  });
});
