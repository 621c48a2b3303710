// A small Dimensions tenant on a real platform (ephemeral port, in-memory SQLite) for provider tests.
import { startPlatform, type RunningPlatform } from "../../platform";

export const ADMIN = "admin@acme.example";
export const LIMITED = "helpdesk@acme.example";
export const ADMIN_KEYS = ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces"];

export interface TestTenant {
  platform: RunningPlatform;
  tenantId: string;
  /** Manage Users + Manage Billable Items + Workspace Administrator. */
  adminToken: string;
  /** Manage Users only: may not make billable changes. */
  limitedToken: string;
  config: (token?: string) => Record<string, string>;
  close(): Promise<void>;
}

/** Extensions 201…(200+n) with a desk phone each; every even one also has a WebRTC device. */
export async function startTestTenant(opts: { users?: number; licences?: Record<string, number>; recordingBucket?: string | null } = {}): Promise<TestTenant> {
  const platform = await startPlatform({ rateLimit: false });
  const tenant = platform.createTenant({
    name: "Acme", profile: "dimensions", recordingBucket: opts.recordingBucket === undefined ? "s3://acme-recordings" : opts.recordingBucket,
    licences: opts.licences ?? { professional: 5, agent: 5, crm: 2, analytics: 5, liveAnalytics: 2, contactCenter: 1, realtime: 3 },
  });
  for (let i = 1; i <= (opts.users ?? 6); i++) {
    const ext = String(200 + i);
    platform.addDirectoryEntry(tenant.id, {
      extension: ext, displayName: `User ${ext}`, email: `user${ext}@acme.example`,
      devices: [{ id: `desk-${ext}`, name: "Desk", webrtc: false }, ...(i % 2 === 0 ? [{ id: `web-${ext}`, name: "Web", webrtc: true }] : [])],
    });
  }
  platform.createPortalUser(tenant.id, { email: ADMIN, displayName: "Admin", roles: ADMIN_KEYS });
  platform.createPortalUser(tenant.id, { email: LIMITED, displayName: "Helpdesk", roles: ["customer.permission.website", "customer.permission.users"] });
  const adminToken = platform.issueToken(tenant.id, ADMIN);
  const limitedToken = platform.issueToken(tenant.id, LIMITED);
  return {
    platform, tenantId: tenant.id, adminToken, limitedToken,
    config: (token = adminToken) => ({ "analytics-access:endpoint": platform.url, "analytics-access:token": token, "analytics-access:licenceWaitSeconds": "3" }),
    close: () => platform.close(),
  };
}

/** A user as the platform's API shows it, by email. */
export async function apiUser(t: TestTenant, email: string): Promise<{ id: string; roles: string[]; softphoneDevice: string | null; etag: string } | undefined> {
  const res = await fetch(`${t.platform.apiUrl}/users?limit=500`, { headers: { authorization: `Bearer ${t.adminToken}` } });
  const page = (await res.json()) as { items: { id: string; email: string; roles: string[]; softphoneDevice: string | null; etag: string }[] };
  return page.items.find((u) => u.email.toLowerCase() === email.toLowerCase());
}

export async function auditCount(t: TestTenant): Promise<number> {
  const res = await fetch(`${t.platform.apiUrl}/audit?limit=500`, { headers: { authorization: `Bearer ${t.adminToken}` } });
  return ((await res.json()) as { items: unknown[] }).items.length;
}
