// The demo tenant, seeded deterministically: a PBX directory of 50 users with extensions and devices
// (every third with a WebRTC softphone device), four groups, three workspaces, metered licences,
// a recording bucket and a manual admin user who holds the permissions the API checks.
import type { Store, User } from "./store";
import { addDirectoryEntry, createPortalUser, createTenant } from "./tenants";
import { normalizeRoles, sortKeys } from "./invariants";
import { ESSENTIAL, PROFESSIONAL } from "./keys";
import { userView } from "./operations/users";

export const DEMO_TENANT_ID = "demo";
export const DEMO_ADMIN_EMAIL = "admin@demo.example";
export const DEMO_LICENCES: Record<string, number> = { liveAnalytics: 5, analytics: 10, contactCenter: 2, professional: 20, agent: 10, crm: 5 };

/** The demo's second tenant: the same company's production, with fewer licences (the prod stack). */
export const DEMO_PROD = { id: "demo-prod", name: "Demo Tenant (prod)", licences: { liveAnalytics: 1, analytics: 5, contactCenter: 1, professional: 10, agent: 5, crm: 2 } };

const FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jonas", "Kemi", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Xavi", "Yara"];
const LAST = ["Adams", "Brooks", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen"];
const GROUPS = [["Sales", "Inbound and outbound sales"], ["Support", "Customer support queue"], ["Billing", "Billing enquiries"], ["Management", "Team leads and managers"]];
const WORKSPACES = [["Sales Floor", "Sales dashboards and wallboards"], ["Support Desk", "Support queue dashboards"], ["Executive", "Company-wide KPIs"]];

export function demoDirectory(n = 50) {
  return Array.from({ length: n }, (_, i) => {
    const first = FIRST[i % FIRST.length], last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    const ext = String(201 + i);
    const devices = [{ id: `dev-${ext}-desk`, name: `Desk phone ${ext}`, webrtc: false }];
    if (i % 3 === 0) devices.push({ id: `dev-${ext}-web`, name: `WebRTC softphone ${ext}`, webrtc: true });
    return {
      extension: ext, displayName: `${first} ${last}`, email: `${first}.${last}@demo.example`.toLowerCase(),
      serviceLicence: ["UC Standard", "UC Pro", "UC Contact Center"][i % 3], devices, acdAgent: i % 5 === 0,
    };
  });
}

/** Seeds the demo tenant if it does not exist yet (a restart keeps what changed). Returns its id. */
export function seedDemo(store: Store, spec: { id: string; name: string; licences: Record<string, number> } = { id: DEMO_TENANT_ID, name: "Demo Tenant", licences: DEMO_LICENCES }): { tenantId: string; adminEmail: string; created: boolean } {
  if (store.getTenant(spec.id)) return { tenantId: spec.id, adminEmail: DEMO_ADMIN_EMAIL, created: false };
  store.tx(() => {
    const t = createTenant(store, { id: spec.id, name: spec.name, profile: "dimensions", recordingBucket: "s3://demo-call-recordings", licences: spec.licences });
    createPortalUser(store, t.id, {
      email: DEMO_ADMIN_EMAIL, displayName: "Demo Admin",
      roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces", "customer.permission.settings", "customer.permission.directories"],
    });
    const groups = GROUPS.map(([name, description]) => { const now = store.now(); const g = { id: store.nextId("grp"), tenantId: t.id, name, description, version: 1, createdAt: now, updatedAt: now }; store.insertNamed("groups", g); return g; });
    WORKSPACES.forEach(([name, description]) => { const now = store.now(); store.insertNamed("workspaces", { id: store.nextId("wsp"), tenantId: t.id, name, description, version: 1, createdAt: now, updatedAt: now }); });
    const users: User[] = demoDirectory().map((d) => addDirectoryEntry(store, t.id, d));
    // A lived-in starting point, within every licence's capacity: a few Professional users with softphones,
    // some supervisors, everyone in a group.
    users.forEach((u, i) => {
      const g = groups[i % groups.length].id;
      let roles = [ESSENTIAL];
      let softphone: string | null = null;
      if (i < 6) { roles.push(PROFESSIONAL); softphone = `dev-${u.extension}-desk`; }
      if (i === 0) roles.push("customer.supervisor.live");
      else if (i >= 1 && i <= 3) roles.push("customer.supervisor.analytics");
      else if (i >= 4 && i <= 6) roles.push("customer.supervisor.reports");
      roles = normalizeRoles(sortKeys(roles), softphone, t);
      const next = { ...u, roles, softphoneDevice: softphone, groups: [g], primaryGroup: g, version: u.version + 1, updatedAt: store.now() };
      store.updateUser(next);
      store.appendAudit(t.id, { at: store.now(), actor: "platform", action: "user.update", entity: "user", entityId: u.id, before: userView(u), after: userView(next), requestId: null });
    });
  });
  return { tenantId: spec.id, adminEmail: DEMO_ADMIN_EMAIL, created: true };
}
