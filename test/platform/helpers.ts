// Test helpers: a platform on an ephemeral port with an in-memory store, a fresh tenant per test file,
// tokens with chosen permissions, and a small fetch wrapper.
import { startPlatform, type RunningPlatform, type PlatformOptions } from "../../platform/index";
import type { TenantInit } from "../../platform/tenants";

export const ADMIN_ROLES = [
  "customer.permission.website", "customer.permission.users", "customer.permission.billable",
  "customer.permission.workspaces", "customer.permission.settings",
];

export interface Res { status: number; body: any; headers: Headers }

export function client(apiUrl: string, token?: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
}

export type Call = ReturnType<typeof client>;

/** The service provider's client for the admin routes: the platform's admin credential, and JSON on every request (the admin routes refuse anything else). */
export function adminClient(p: Pick<RunningPlatform, "apiUrl" | "adminKey">): Call {
  const call = client(p.apiUrl, p.adminKey);
  return (method, path, body, headers = {}) => call(method, path, body, { "Content-Type": "application/json", ...headers });
}

export interface Fixture {
  p: RunningPlatform; tenantId: string;
  admin: Call; usersOnly: Call; readOnly: Call; anon: Call;
  /** The admin routes, with the platform's admin credential. */
  platformAdmin: Call;
  tokens: { admin: string; usersOnly: string; readOnly: string };
  /** Everything a refusal must leave untouched. */
  snapshot(): string;
}

let n = 0;
export async function fixture(tenant: Partial<TenantInit> = {}, opts: PlatformOptions = {}): Promise<Fixture> {
  const p = await startPlatform({ rateLimit: false, ...opts });
  const tenantId = `t${++n}`;
  p.createTenant({ id: tenantId, name: `Tenant ${n}`, profile: "dimensions", recordingBucket: null, ...tenant });
  p.createPortalUser(tenantId, { email: "admin@t.example", roles: ADMIN_ROLES });
  p.createPortalUser(tenantId, { email: "users@t.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.workspaces"] });
  p.createPortalUser(tenantId, { email: "viewer@t.example", roles: ["customer.permission.website"] });
  const tokens = {
    admin: p.issueToken(tenantId, "admin@t.example"),
    usersOnly: p.issueToken(tenantId, "users@t.example"),
    readOnly: p.issueToken(tenantId, "viewer@t.example"),
  };
  return {
    p, tenantId, tokens,
    platformAdmin: adminClient(p),
    admin: client(p.apiUrl, tokens.admin), usersOnly: client(p.apiUrl, tokens.usersOnly), readOnly: client(p.apiUrl, tokens.readOnly), anon: client(p.apiUrl),
    snapshot: () => JSON.stringify({
      users: p.store.listUsers(tenantId), grants: p.store.listGrants(tenantId), roles: p.store.listRoles(tenantId),
      groups: p.store.listNamed("groups", tenantId), workspaces: p.store.listNamed("workspaces", tenantId),
      audit: p.store.listAudit(tenantId, 0, 100_000), licences: [...p.store.licenceCapacities(tenantId)], tenant: p.store.getTenant(tenantId),
    }),
  };
}

/** A PBX user with a desk phone and a WebRTC device. */
export function pbxUser(f: Fixture, ext: string, extra: { acdAgent?: boolean; serviceLicence?: string } = {}) {
  return f.p.addDirectoryEntry(f.tenantId, {
    extension: ext, displayName: `User ${ext}`, email: `u${ext}@t.example`, serviceLicence: extra.serviceLicence ?? null, acdAgent: extra.acdAgent,
    devices: [{ id: `desk-${ext}`, name: "Desk phone", webrtc: false }, { id: `web-${ext}`, name: "WebRTC", webrtc: true }],
  });
}
