// The pure parts: rules, the token bucket, fault decisions; and tenant isolation over HTTP.
import { describe, expect, it } from "vitest";
import { billableChanges, licenceRefusal, licenceUsage, normalizeRoles, userViolations } from "../../platform/invariants";
import { RateLimiter } from "../../platform/ratelimit";
import { Faults, seededRandom } from "../../platform/faults";
import type { Tenant } from "../../platform/store";
import { client, fixture, pbxUser } from "./helpers";

const tenant: Tenant = { id: "t", name: "t", profile: "dimensions", recordingBucket: null, agentAutoAssign: false, realTimeWithLive: true, x8LicenceTiers: null, createdAt: "" };

describe("rules", () => {
  it("normalizeRoles adds Website Access and Real-Time, sorted and de-duplicated", () => {
    expect(normalizeRoles(["customer.user.pbx", "customer.supervisor.contactcenter", "customer.user.pbx"], null, tenant))
      .toEqual(["customer.permission.website", "customer.supervisor.contactcenter", "customer.user.pbx", "customer.user.pbx.realtime"]);
    expect(normalizeRoles(["customer.user.pbx", "customer.supervisor.live"], null, { ...tenant, realTimeWithLive: false })).not.toContain("customer.user.pbx.realtime");
    expect(normalizeRoles(["customer.user.pbx"], "dev-1", tenant)).toContain("customer.permission.website");
    expect(normalizeRoles(["customer.user.pbx"], null, tenant)).toEqual(["customer.user.pbx"]);
  });

  it("userViolations returns every violation, not just the first", () => {
    const v = userViolations(
      { origin: "manual", extension: null, displayName: "x", email: "x@y", roles: ["customer.user.uc.remote", "customer.permission.users", "customer.permission.recording.all"], softphoneDevice: null, groups: ["g9"], primaryGroup: null },
      { tenant, directory: null, groupIds: new Set() },
    );
    expect(v.map((p) => p.code)).toEqual(["SRC-1", "WEB-2", "REC-1", "GRP-1"]);
  });

  it("billableChanges: always-billable items, and tiers only when metered", () => {
    expect(billableChanges(["customer.user.pbx"], ["customer.user.pbx", "customer.supervisor.analytics"], new Set())).toEqual([]);
    expect(billableChanges(["customer.user.pbx"], ["customer.user.pbx", "customer.supervisor.analytics"], new Set(["analytics"]))).toEqual(["customer.supervisor.analytics"]);
    expect(billableChanges(["customer.user.crm"], [], new Set())).toEqual(["customer.user.crm"]);
  });

  it("licenceRefusal counts only newly added keys and only metered licences", () => {
    const cap = new Map([["professional", 1]]);
    const used = licenceUsage([{ roles: ["customer.user.uc.remote"] }]);
    expect(licenceRefusal([], ["customer.user.uc.remote"], cap, used)?.code).toBe("LIC-1");
    expect(licenceRefusal(["customer.user.uc.remote"], ["customer.user.uc.remote"], cap, used)).toBeNull();
    expect(licenceRefusal([], ["customer.user.crm"], cap, used)).toBeNull();
    let calls = 0;
    expect(licenceRefusal([], ["customer.user.crm"], cap, () => { calls++; return used; })).toBeNull();
    expect(calls).toBe(0);
  });
});

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

describe("tenant isolation", () => {
  it("a token sees and changes only its own tenant", async () => {
    const f = await fixture();
    try {
      const other = f.p.createTenant({ name: "Other", profile: "ooma" });
      const stranger = f.p.addDirectoryEntry(other.id, { extension: "1", displayName: "S", email: "s@other.example" });
      const mine = pbxUser(f, "10");
      expect((await f.admin("GET", `/users/${stranger.id}`)).status).toBe(404);
      expect((await f.admin("PATCH", `/users/${stranger.id}`, { roles: ["customer.user.pbx", "customer.permission.website"] })).status).toBe(404);
      const ids = (await f.admin("GET", "/users")).body.items.map((u: { id: string }) => u.id);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(stranger.id);
      f.p.createPortalUser(other.id, { email: "admin@t.example", roles: ["customer.permission.website", "customer.permission.users"] });
      const otherAdmin = client(f.p.apiUrl, f.p.issueToken(other.id, "admin@t.example"));
      expect((await otherAdmin("GET", "/me")).body.tenant).toEqual({ id: other.id, name: "Other", profile: "ooma" });
    } finally { await f.p.close(); }
  });
});
