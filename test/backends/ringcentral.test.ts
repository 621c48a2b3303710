// The backend contract (./contract.ts) for `ringcentral`: AT&T Office@Hand through RingCentral's REST
// API, as the embedded platform speaks it (platform/vendors/ringcentral), by the official SDK. Then:
// a run at RingCentral's documented default limits provokes no 429 (requests per group printed), and
// a run through 429 storms, 5xx and dropped connections loses nothing.
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type RunningPlatform } from "../../platform";
import { ringCentralStats, setRingCentralLimits } from "../../platform/vendors/ringcentral";
import { Stack } from "../support/engine";
import { declaredProject } from "../support/projects";
import { dynamicSteps, expectNowhere } from "../support/runs";
import { contract, type ContractTenant } from "./contract";

const ADMIN = "admin@oah.example";
const CLIENT_ID = "contract-app";
const CLIENT_SECRET = "contract-app-secret-4f1c";

/**
 * An Office@Hand tenant: six extensions, an admin who may edit roles, "Phone System Admin" held by
 * 306 in the portal already (a holder the manifest does not name: additive membership keeps it).
 */
function tenant(p: RunningPlatform, name: string): { id: string; t: ContractTenant } {
  const created = p.createTenant({ name, profile: "officeathand" });
  for (let i = 1; i <= 6; i++) p.addDirectoryEntry(created.id, { extension: String(300 + i), displayName: `User ${300 + i}`, email: `user${300 + i}@oah.example` });
  p.createPortalUser(created.id, { email: ADMIN, displayName: "Admin", roles: ["customer.permission.website", "customer.permission.users"] });
  const preset = p.store.getRoleByName(created.id, "Phone System Admin")!;
  p.store.updateRole({ ...preset, userIds: [p.store.getUserByExtension(created.id, "306")!.id], version: preset.version + 1 });
  const jwt = p.issueToken(created.id, ADMIN, "RingCentral JWT credential");
  return {
    id: created.id,
    t: {
      config: { "analytics-access:endpoint": p.url, "analytics-access:clientId": CLIENT_ID, "analytics-access:licenceWaitSeconds": "5" },
      secrets: { "analytics-access:token": jwt, "analytics-access:clientSecret": CLIENT_SECRET },
      env: { ANALYTICS_ACCESS_BACKEND: "ringcentral", ANALYTICS_ACCESS_ENDPOINT: p.url, ANALYTICS_ACCESS_TOKEN: jwt, ANALYTICS_ACCESS_CLIENT_ID: CLIENT_ID, ANALYTICS_ACCESS_CLIENT_SECRET: CLIENT_SECRET },
      sensitive: [jwt, CLIENT_SECRET],
    },
  };
}

const manifest = {
  version: 1,
  profile: "officeathand",
  roles: [
    { name: "Floor Supervisors", reportPermissions: ["liveReportsViewOnly", "performance"] },
    { name: "QoS Desk", description: "Network quality", reportPermissions: ["qualityOfServiceAlerts", "qualityOfServiceFullAccess"] },
  ],
  users: [
    { extension: "301", roles: ["Floor Supervisors"] },
    { extension: "302", roles: ["Floor Supervisors", "QoS Desk"] },
    { extension: "303", roles: ["Phone System Admin"] },
  ],
};
const changed = {
  ...manifest,
  roles: [
    { name: "Floor Supervisors", reportPermissions: ["liveReportsFullAccess", "performance"] },
    { name: "QoS Desk", description: "Network quality and alerts", reportPermissions: ["qualityOfServiceAlerts", "qualityOfServiceFullAccess"] },
    { name: "Adoption", reportPermissions: ["adoptionAndUsage", "companyNumbers"] },
  ],
  users: [
    ...manifest.users,
    { extension: "304", roles: ["Floor Supervisors", "Adoption"] },
    { extension: "305", roles: ["Adoption"] },
  ],
};

/** The tenant's custom roles and their holders' extensions, as the store holds them. */
function rolesOf(p: RunningPlatform, tenantId: string): Record<string, { permissions: string[]; holders: string[] }> {
  return Object.fromEntries(p.store.listRoles(tenantId).map((r) => [r.name, { permissions: r.permissions, holders: r.userIds.map((id) => p.store.getUser(tenantId, id)!.extension!).sort() }]));
}

let p: RunningPlatform;
let tenantA = "";
let writesSeen = 0;

contract({
  backend: "ringcentral",
  async start() {
    p = await startPlatform({ rateLimit: false }); // RingCentral's limits off: the contract's many runs in a row are not what they test
    const a = tenant(p, "Contract A");
    tenantA = a.id;
    const b = tenant(p, "Contract B");
    return { a: a.t, b: b.t, close: () => p.close() };
  },
  manifest,
  changed,
  async drift() {
    const r = p.store.getRoleByName(tenantA, "Floor Supervisors")!;
    p.store.updateRole({ ...r, permissions: ["live-reports.view"], version: r.version + 1 });
  },
  faults(on) {
    if (!on) {
      p.clearFaults();
      setRingCentralLimits(p.store, undefined);
      return;
    }
    p.setFaults([{ route: "/restapi/", error503: 0.1, dropConnection: 0.05, dropAfterWrite: 0.05 }]);
    setRingCentralLimits(p.store, { storm: 0.15, stormRetryAfterSeconds: 1, Light: 1000, Medium: 1000, Heavy: 1000, Auth: 1000 });
  },
  writes() {
    // The JWT exchange is a POST but no write to the tenant.
    const s = p.stats();
    const w = s.writes - (s.byRoute["rc POST /restapi/oauth/token"] ?? 0);
    const since = w - writesSeen;
    writesSeen = w;
    return since;
  },
});

describe("ringcentral: rate limits and faults", () => {
  let q: RunningPlatform;
  const dirs: string[] = [];
  beforeAll(async () => { q = await startPlatform(); }); // RingCentral's documented defaults: Light 50, Medium 40, Heavy 10, Auth 5 per 60 s
  afterAll(async () => { await q?.close(); for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  const stackFor = (t: ContractTenant, m: Record<string, unknown>) => {
    const project = declaredProject({ access: { inline: m } });
    dirs.push(project.dir);
    return new Stack({ dir: project.dir, stack: "rc", config: { ...t.config, "analytics-access:backend": "ringcentral" }, secrets: t.secrets });
  };

  it("at the documented default limits, an up (its preview and update phases) provokes no 429, nor a no-op up a minute later; requests per rate-limit group", async () => {
    const { id, t } = tenant(q, "Limits");
    const stack = stackFor(t, changed);
    const perRun: Record<string, Record<string, number>> = {};
    // Preview says what the plan's role writes will cost per group (the last tally line is the total).
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    const tally = [...preview.text().matchAll(/ringcentral: the plan's role writes so far, per rate-limit group: ([^;]*);/g)].at(-1)?.[1] ?? "";
    const planned = Object.fromEntries([...tally.matchAll(/(Light|Medium|Heavy|Auth) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    setRingCentralLimits(q.store, undefined); // a window later (Auth: 5 logins per minute)
    ringCentralStats(q.store, true);
    for (const run of ["up", "no-op up"] as const) {
      // Each provider process logs in once (Auth: 5 per minute): the second run comes a window later,
      // which clearing the platform's windows stands for.
      if (run === "no-op up") setRingCentralLimits(q.store, undefined);
      const r = await stack.up();
      expect(r.ok, `${r.text()}\n${JSON.stringify(q.stats().byRoute)}`).toBe(true);
      expectNowhere(r, stack, ...t.sensitive);
      const s = ringCentralStats(q.store, true);
      expect(s.refused, `${run}: 429s`).toBe(0);
      perRun[run] = s.byGroup;
      if (run === "no-op up") expect(dynamicSteps(r).filter((x) => x.op !== "same")).toEqual([]);
      // The user sees the run's use of each group (after each write; a no-op writes nothing).
      if (run === "up") expect(r.text()).toMatch(/ringcentral: requests this run by rate-limit group: Light \d+ \(limit 50 per 60 s\), Medium \d+ \(limit 40 per 60 s\), Heavy \d+ \(limit 10 per 60 s\), Auth \d+ \(limit 5 per 60 s\); answered 429: 0/);
    }
    console.log(`RingCentral requests per rate-limit group (limits per 60 s: Light 50, Medium 40, Heavy 10, Auth 5):\n${Object.entries(perRun).map(([run, g]) => `  ${run.padEnd(9)} ${Object.entries(g).map(([k, v]) => `${k} ${v}`).join(", ")}`).join("\n")}`);
    expect(q.stats().rateLimited).toBe(0);
    expect(perRun.up.Heavy).toBe(4); // one bulk-assign per role: the three custom roles and the preset 303 is given
    expect(perRun["no-op up"].Heavy).toBe(0);
    expect(planned.Heavy, tally).toBe(perRun.up.Heavy); // preview's tally of bulk-assigns is what up sent
    expect(planned.Medium, tally).toBe(3); // three custom roles created: one POST each
    expect(rolesOf(q, id)).toMatchObject({
      "Floor Supervisors": { permissions: ["live-reports.full", "performance"], holders: ["301", "302", "304"] },
      "QoS Desk": { holders: ["302"] },
      Adoption: { permissions: ["adoption-and-usage", "company-numbers"], holders: ["304", "305"] },
      "Phone System Admin": { holders: ["303", "306"] }, // assigned to 303, 306 (assigned in the portal) left alone
    });
  }, 240_000);

  it("through 429 storms, 5xx and dropped connections, an up completes with nothing lost or duplicated", async () => {
    const { id, t } = tenant(q, "Storms");
    const stack = stackFor(t, changed);
    q.setFaults([{ route: "/restapi/", error500: 0.05, error503: 0.1, dropConnection: 0.05, dropAfterWrite: 0.1 }]);
    setRingCentralLimits(q.store, { storm: 0.25, stormRetryAfterSeconds: 1, Auth: 100 });
    ringCentralStats(q.store, true);
    try {
      const up = await stack.up();
      expect(up.ok, up.text()).toBe(true);
      expectNowhere(up, stack, ...t.sensitive);
    } finally {
      q.clearFaults();
      setRingCentralLimits(q.store, undefined);
    }
    const s = ringCentralStats(q.store, true);
    console.log(`RingCentral through faults: ${JSON.stringify(s.byGroup)}, 429s answered ${s.refused}`);
    expect(s.refused).toBeGreaterThan(0);
    const custom = q.store.listRoles(id).filter((r) => !r.preset).map((r) => r.name).sort();
    expect(custom).toEqual(["Adoption", "Floor Supervisors", "QoS Desk"]); // nothing duplicated
    expect(rolesOf(q, id)).toMatchObject({
      "Floor Supervisors": { permissions: ["live-reports.full", "performance"], holders: ["301", "302", "304"] },
      "QoS Desk": { permissions: ["qos.alerts", "qos.full"], holders: ["302"] },
      Adoption: { permissions: ["adoption-and-usage", "company-numbers"], holders: ["304", "305"] },
      "Phone System Admin": { holders: ["303", "306"] }, // assigned to 303, 306 (assigned in the portal) left alone
    });
    const again = await stack.up();
    expect(again.ok, again.text()).toBe(true);
    expect(dynamicSteps(again).filter((x) => x.op !== "same")).toEqual([]);
  }, 240_000);
});
