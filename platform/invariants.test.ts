// The rules of invariants.ts on plain data: no store, no HTTP.
import { describe, expect, it } from "vitest";
import { billableChanges, licenceRefusal, licenceUsage, normalizeRoles, userViolations } from "./invariants";
import type { Tenant } from "./store";

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
