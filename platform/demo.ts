// The demo tenants, seeded deterministically: one per portal profile, plus Dimensions' production.
// Each has a PBX directory of 50 users with extensions and devices (every third with a WebRTC
// softphone device), metered licences and a manual admin user who holds the permissions the API
// checks. Where the portal has them: groups and workspaces and supervisors (Dimensions, Ooma), named
// roles with holders (Office@Hand, IntelePeer), 8x8 service licences and an Analytics tier.
import type { Profile, Store, User } from "./store";
import { addDirectoryEntry, createPortalUser, createTenant } from "./tenants";
import { normalizeRoles, sortKeys } from "./invariants";
import { ESSENTIAL, PROFESSIONAL, X8_ESSENTIALS, X8_SUPERVISOR } from "./keys";
import { userView } from "./operations/users";

export const DEMO_TENANT_ID = "demo";
export const DEMO_ADMIN_EMAIL = "admin@demo.example";
export const DEMO_LICENCES: Record<string, number> = { liveAnalytics: 5, analytics: 10, contactCenter: 2, professional: 20, agent: 10, crm: 5 };

export interface DemoSpec { id: string; name: string; profile: Profile; licences: Record<string, number> }

/** The demo's second tenant: the same company's production, with fewer licences (the prod stack). */
export const DEMO_PROD: DemoSpec = { id: "demo-prod", name: "Demo Tenant (prod)", profile: "dimensions", licences: { liveAnalytics: 1, analytics: 5, contactCenter: 1, professional: 10, agent: 5, crm: 2 } };

/** Every demo tenant `serve --demo` seeds: Dimensions dev (the example stack's) and prod first, then one per other profile. */
export const DEMO_TENANTS: readonly DemoSpec[] = [
  { id: DEMO_TENANT_ID, name: "Demo Tenant", profile: "dimensions", licences: DEMO_LICENCES },
  DEMO_PROD,
  { id: "demo-ooma", name: "Demo Ooma", profile: "ooma", licences: DEMO_LICENCES },
  { id: "demo-8x8", name: "Demo 8x8", profile: "8x8", licences: {} },
  { id: "demo-officeathand", name: "Demo Office@Hand", profile: "officeathand", licences: {} },
  { id: "demo-intelepeer", name: "Demo IntelePeer", profile: "intelepeer", licences: {} },
];

const FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jonas", "Kemi", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Xavi", "Yara"];
const LAST = ["Adams", "Brooks", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen"];
const GROUPS = [["Sales", "Inbound and outbound sales"], ["Support", "Customer support queue"], ["Billing", "Billing enquiries"], ["Management", "Team leads and managers"]];
const WORKSPACES = [["Sales Floor", "Sales dashboards and wallboards"], ["Support Desk", "Support queue dashboards"], ["Executive", "Company-wide KPIs"]];

/** 8x8 service licences, in turn: X2 carries neither Analytics tier, X5 Essentials, X6 and X8 both. */
const X8_LICENCES = ["X2", "X5", "X6", "X8"];

export function demoDirectory(n = 50, profile: Profile = "dimensions") {
  return Array.from({ length: n }, (_, i) => {
    const first = FIRST[i % FIRST.length], last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    const ext = String(201 + i);
    const devices = [{ id: `dev-${ext}-desk`, name: `Desk phone ${ext}`, webrtc: false }];
    if (i % 3 === 0) devices.push({ id: `dev-${ext}-web`, name: `WebRTC softphone ${ext}`, webrtc: true });
    return {
      extension: ext, displayName: `${first} ${last}`, email: `${first}.${last}@demo.example`.toLowerCase(),
      serviceLicence: profile === "8x8" ? X8_LICENCES[i % X8_LICENCES.length] : ["UC Standard", "UC Pro", "UC Contact Center"][i % 3], devices, acdAgent: i % 5 === 0,
    };
  });
}

/** Seeds a demo tenant if it does not exist yet (a restart keeps what changed). Returns its id. */
export function seedDemo(store: Store, spec: DemoSpec = DEMO_TENANTS[0]): { tenantId: string; adminEmail: string; created: boolean } {
  if (store.getTenant(spec.id)) return { tenantId: spec.id, adminEmail: DEMO_ADMIN_EMAIL, created: false };
  store.tx(() => {
    const t = createTenant(store, { id: spec.id, name: spec.name, profile: spec.profile, recordingBucket: "s3://demo-call-recordings", licences: spec.licences });
    createPortalUser(store, t.id, {
      email: DEMO_ADMIN_EMAIL, displayName: "Demo Admin",
      roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces", "customer.permission.settings", "customer.permission.directories"],
    });
    const users: User[] = demoDirectory(50, spec.profile).map((d) => addDirectoryEntry(store, t.id, d));
    const update = (u: User, change: Partial<User>) => {
      const next = { ...u, ...change, version: u.version + 1, updatedAt: store.now() };
      store.updateUser(next);
      store.appendAudit(t.id, { at: store.now(), actor: "platform", action: "user.update", entity: "user", entityId: u.id, before: userView(u), after: userView(next), requestId: null });
    };
    if (spec.profile === "dimensions" || spec.profile === "ooma") {
      const groups = GROUPS.map(([name, description]) => { const now = store.now(); const g = { id: store.nextId("grp"), tenantId: t.id, name, description, version: 1, createdAt: now, updatedAt: now }; store.insertNamed("groups", g); return g; });
      WORKSPACES.forEach(([name, description]) => { const now = store.now(); store.insertNamed("workspaces", { id: store.nextId("wsp"), tenantId: t.id, name, description, version: 1, createdAt: now, updatedAt: now }); });
      // A lived-in starting point, within every licence's capacity: a few Professional users with
      // softphones, some supervisors, everyone in a group.
      users.forEach((u, i) => {
        const g = groups[i % groups.length].id;
        let roles = [ESSENTIAL];
        let softphone: string | null = null;
        if (i < 6) { roles.push(PROFESSIONAL); softphone = `dev-${u.extension}-desk`; }
        if (i === 0) roles.push("customer.supervisor.live");
        else if (i >= 1 && i <= 3) roles.push("customer.supervisor.analytics");
        else if (i >= 4 && i <= 6) roles.push("customer.supervisor.reports");
        roles = normalizeRoles(sortKeys(roles), softphone, t);
        update(u, { roles, softphoneDevice: softphone, groups: [g], primaryGroup: g });
      });
    }
    // 8x8: Essentials for the first users whose service licence carries it, Supervisor for one (X6).
    if (spec.profile === "8x8") {
      update(users[1], { roles: sortKeys([ESSENTIAL, X8_ESSENTIALS]) });
      update(users[2], { roles: sortKeys([ESSENTIAL, X8_SUPERVISOR]) });
    }
    // Office@Hand and IntelePeer: one named role with two holders (Office@Hand's presets come with the tenant).
    if (spec.profile === "officeathand" || spec.profile === "intelepeer") {
      const now = store.now();
      const oah = spec.profile === "officeathand";
      store.insertRole({
        id: store.nextId("rol"), tenantId: t.id, name: "Supervisors", description: oah ? "Live reports and performance" : "Insights for the main account",
        permissions: oah ? ["live-reports.view", "performance"] : [], accountScopes: oah ? [] : ["main"], preset: false,
        userIds: [users[0].id, users[1].id], version: 1, createdAt: now, updatedAt: now,
      });
    }
  });
  return { tenantId: spec.id, adminEmail: DEMO_ADMIN_EMAIL, created: true };
}
