// The backend contract (./contract.ts) for `embedded`: the reference platform's own API.
import { forceUserRoles, startPlatform, type RunningPlatform } from "../../platform";
import { contract, type ContractTenant } from "./contract";

const ADMIN = "admin@contract.example";
let p: RunningPlatform;
let tenantA = "";
let writesSeen = 0;

async function tenant(name: string): Promise<{ id: string; t: ContractTenant }> {
  const created = p.createTenant({ name, profile: "dimensions", recordingBucket: "s3://contract", licences: { professional: 10, analytics: 10, liveAnalytics: 5, realtime: 5, crm: 5, agent: 5 } });
  for (let i = 1; i <= 6; i++)
    p.addDirectoryEntry(created.id, { extension: String(300 + i), displayName: `User ${300 + i}`, email: `user${300 + i}@contract.example`, devices: [{ id: `desk-${300 + i}`, name: "Desk", webrtc: false }] });
  p.createPortalUser(created.id, { email: ADMIN, displayName: "Admin", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces"] });
  const token = p.issueToken(created.id, ADMIN);
  return {
    id: created.id,
    t: {
      config: { "analytics-access:endpoint": p.url, "analytics-access:licenceWaitSeconds": "5" },
      secrets: { "analytics-access:token": token },
      env: { ANALYTICS_ACCESS_BACKEND: "embedded", ANALYTICS_ACCESS_ENDPOINT: p.url, ANALYTICS_ACCESS_TOKEN: token },
      sensitive: [token],
    },
  };
}

const manifest = {
  version: 1,
  profile: "dimensions",
  groups: [{ name: "Sales" }, { name: "Support", description: "Second line" }],
  workspaces: [{ name: "Floor", members: [{ user: "user301@contract.example", access: "admin" }, { user: "302", access: "view" }] }],
  users: [
    { extension: "301", tier: "analytics", accessType: "professional", groups: ["Sales"], primaryGroup: "Sales", permissions: { supervisorAgentControl: true } },
    { extension: "302", tier: "analytics", groups: ["Support"], primaryGroup: "Support" },
    { extension: "303", tier: "reports" },
    { email: "auditor@partner.example", displayName: "Auditor", tier: "reports" },
  ],
};
const changed = {
  ...manifest,
  users: [
    ...manifest.users.filter((u) => u.extension !== "303"),
    { extension: "303", tier: "liveAnalytics", permissions: { recordingPlayback: "own" } },
    { extension: "304", tier: "analytics", groups: ["Sales"], primaryGroup: "Sales" },
    { email: "second.auditor@partner.example", displayName: "Second Auditor", tier: "reports" },
  ],
};

contract({
  backend: "embedded",
  async start() {
    p = await startPlatform({ rateLimit: false });
    const a = await tenant("Contract A");
    tenantA = a.id;
    const b = await tenant("Contract B");
    return { a: a.t, b: b.t, close: () => p.close() };
  },
  manifest,
  changed,
  async drift() {
    const u = p.store.listUsers(tenantA).find((x) => x.extension === "301")!;
    forceUserRoles(p.store, tenantA, u.id, u.roles.filter((k) => k !== "customer.supervisor.analytics").concat("customer.supervisor.reports"));
  },
  faults(on) {
    if (!on) {
      p.clearFaults();
      p.setRateLimit(false);
      return;
    }
    p.setFaults([{ route: "/api/v1/", error503: 0.1, dropConnection: 0.05, dropAfterWrite: 0.05 }]);
    p.setRateLimit({ perMinute: 600, burst: 5 });
  },
  writes() {
    const w = p.stats().writes;
    const since = w - writesSeen;
    writesSeen = w;
    return since;
  },
});
