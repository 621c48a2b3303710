// Set-up functions that stand outside the API: what the vendor's back office and the PBX directory
// sync do. Tests and the demo seed use them; the CLI's `token` command uses issueToken.
import { randomBytes } from "node:crypto";
import { AGENT, ESSENTIAL, PRESET_ROLES } from "./keys";
import { normalizeRoles, sortKeys } from "./invariants";
import type { Device, DirectoryEntry, Profile, Store, Tenant, TokenRecord, User, X8LicenceTiers } from "./store";
import { DEFAULT_TOKEN_TTL_DAYS, PROFILES } from "./store";
import { userView } from "./operations/users";

export interface TenantInit {
  id?: string; name: string; profile: Profile; recordingBucket?: string | null; agentAutoAssign?: boolean;
  realTimeWithLive?: boolean; x8LicenceTiers?: X8LicenceTiers | null; licences?: Record<string, number>;
}

const platformAudit = (store: Store, tenantId: string, action: string, entity: string, entityId: string, before: unknown, after: unknown) =>
  store.appendAudit(tenantId, { at: store.now(), actor: "platform", action, entity, entityId, before, after, requestId: null });

export function createTenant(store: Store, init: TenantInit): Tenant {
  if (!PROFILES.includes(init.profile)) throw new Error(`unknown profile "${init.profile}"; use one of ${PROFILES.join(", ")}`);
  return store.tx(() => {
    const id = init.id ?? store.nextId("ten");
    if (store.getTenant(id)) throw new Error(`tenant "${id}" already exists`);
    const t: Tenant = {
      id, name: init.name, profile: init.profile, recordingBucket: init.recordingBucket ?? null, agentAutoAssign: init.agentAutoAssign ?? false,
      realTimeWithLive: init.realTimeWithLive ?? init.profile === "dimensions",
      x8LicenceTiers: init.x8LicenceTiers ?? (init.profile === "8x8" ? { essentials: ["X2", "X5", "X6", "X8", "X8e"], supervisor: ["X6", "X8", "X8e"] } : null),
      createdAt: store.now(),
    };
    store.insertTenant(t);
    for (const [key, cap] of Object.entries(init.licences ?? {})) store.setLicenceCapacity(id, key, cap);
    if (t.profile === "officeathand") {
      for (const p of PRESET_ROLES) {
        const now = store.now();
        store.insertRole({ id: store.nextId("rol"), tenantId: id, name: p.name, description: p.description, permissions: sortKeys(p.permissions), accountScopes: [], preset: true, userIds: [], version: 1, createdAt: now, updatedAt: now });
      }
    }
    platformAudit(store, id, "tenant.create", "tenant", id, null, t);
    return t;
  });
}

export function updateTenantSettings(store: Store, tenantId: string, patch: Partial<Omit<Tenant, "id" | "createdAt" | "profile">>): Tenant {
  return store.tx(() => {
    const t = requireTenant(store, tenantId);
    const next = { ...t, ...patch };
    store.updateTenant(next);
    platformAudit(store, tenantId, "tenant.update", "tenant", tenantId, t, next);
    return next;
  });
}

function requireTenant(store: Store, tenantId: string): Tenant {
  const t = store.getTenant(tenantId);
  if (!t) throw new Error(`tenant "${tenantId}" does not exist`);
  return t;
}

export interface DirectoryInit { extension: string; displayName: string; email: string; serviceLicence?: string | null; devices?: Device[]; acdAgent?: boolean }

/** Adds a PBX directory entry and, as the directory sync does, the PBX user for it (Essential only, plus Agent where auto-assigned). */
export function addDirectoryEntry(store: Store, tenantId: string, init: DirectoryInit): User {
  return store.tx(() => {
    const t = requireTenant(store, tenantId);
    const entry: DirectoryEntry = { extension: init.extension, displayName: init.displayName, email: init.email, serviceLicence: init.serviceLicence ?? null, devices: init.devices ?? [], acdAgent: init.acdAgent ?? false };
    if (store.getDirectoryEntry(tenantId, entry.extension)) throw new Error(`extension ${entry.extension} already exists in tenant ${tenantId}`);
    const clash = store.getUserByEmail(tenantId, entry.email);
    if (clash) throw new Error(`email ${entry.email} is already used by user ${clash.id}`);
    store.insertDirectoryEntry(tenantId, entry);
    const now = store.now();
    const user: User = {
      id: store.nextId("usr"), tenantId, origin: "pbx", extension: entry.extension, displayName: entry.displayName, email: entry.email,
      roles: sortKeys([ESSENTIAL, ...(t.agentAutoAssign && entry.acdAgent ? [AGENT] : [])]), softphoneDevice: null, groups: [], primaryGroup: null,
      version: 1, createdAt: now, updatedAt: now,
    };
    store.insertUser(user);
    platformAudit(store, tenantId, "user.sync", "user", user.id, null, userView(user));
    return user;
  });
}

export function setLicence(store: Store, tenantId: string, key: string, capacity: number | null): void {
  store.tx(() => {
    requireTenant(store, tenantId);
    store.setLicenceCapacity(tenantId, key, capacity);
    platformAudit(store, tenantId, "licences.update", "licences", tenantId, null, { key, capacity });
  });
}

/** Creates a manual portal user directly (no API rules except the platform's own additions): for admins of test tenants. */
export function createPortalUser(store: Store, tenantId: string, init: { email: string; displayName?: string; roles: string[] }): User {
  return store.tx(() => {
    const t = requireTenant(store, tenantId);
    const now = store.now();
    const user: User = {
      id: store.nextId("usr"), tenantId, origin: "manual", extension: null, displayName: init.displayName ?? init.email, email: init.email,
      roles: normalizeRoles(init.roles, null, t), softphoneDevice: null, groups: [], primaryGroup: null, version: 1, createdAt: now, updatedAt: now,
    };
    store.insertUser(user);
    platformAudit(store, tenantId, "user.create", "user", user.id, null, userView(user));
    return user;
  });
}

/** Sets a user's roles directly, bypassing the API's rules (to build states such as "over capacity" in tests). */
export function forceUserRoles(store: Store, tenantId: string, userId: string, roles: string[]): User {
  return store.tx(() => {
    const u = store.getUser(tenantId, userId);
    if (!u) throw new Error(`user ${userId} does not exist in tenant ${tenantId}`);
    const next = { ...u, roles: sortKeys(roles), version: u.version + 1, updatedAt: store.now() };
    store.updateUser(next);
    platformAudit(store, tenantId, "user.update", "user", u.id, userView(u), userView(next));
    return next;
  });
}

/** How long a token lives: days (default 90, DEFAULT_TOKEN_TTL_DAYS). */
export interface TokenOptions { ttlDays?: number }

/** Issues a bearer token bound to a portal user (by email or id), valid for `ttlDays` (default 90). Only its sha256 is stored; the secret is returned once. */
export function issueToken(store: Store, tenantId: string, user: string, label = "api", opts: TokenOptions = {}): string {
  return issueTokenRecord(store, tenantId, user, label, opts).token;
}

/** issueToken, with the token's record (id, expiry) as well. */
export function issueTokenRecord(store: Store, tenantId: string, user: string, label = "api", opts: TokenOptions = {}): { token: string; record: TokenRecord } {
  const days = opts.ttlDays ?? DEFAULT_TOKEN_TTL_DAYS;
  if (!(days > 0) || !Number.isFinite(days)) throw new Error(`a token's lifetime must be a positive number of days, got ${days}`);
  return store.tx(() => {
    requireTenant(store, tenantId);
    const u = store.getUserByEmail(tenantId, user) ?? store.getUser(tenantId, user);
    if (!u) throw new Error(`no user "${user}" in tenant ${tenantId}`);
    const secret = `aat_${randomBytes(24).toString("base64url")}`;
    const createdAt = store.now();
    const expiresAt = new Date(Date.parse(createdAt) + days * 86_400_000).toISOString();
    const record = store.insertToken(secret, { tenantId, userId: u.id, label, createdAt, expiresAt });
    platformAudit(store, tenantId, "token.issue", "token", record.id, null, { user: u.email, label, expiresAt });
    return { token: secret, record };
  });
}

/** A token as `platform token list` and GET /admin/tokens show it: never the secret or its hash. */
export function tokenView(store: Store, t: TokenRecord, now = new Date().toISOString()) {
  const user = store.getUser(t.tenantId, t.userId);
  return {
    id: t.id, tenantId: t.tenantId, userId: t.userId, user: user?.email ?? null, label: t.label, createdAt: t.createdAt, expiresAt: t.expiresAt,
    revokedAt: t.revokedAt, status: t.revokedAt ? "revoked" as const : t.expiresAt <= now ? "expired" as const : !user ? "orphaned" as const : "active" as const,
  };
}
export type TokenView = ReturnType<typeof tokenView>;

/** Every token (of one tenant), oldest first. */
export function listTokens(store: Store, tenantId?: string): TokenView[] {
  if (tenantId !== undefined) requireTenant(store, tenantId);
  return store.listTokens(tenantId).map((t) => tokenView(store, t));
}

/** Revokes a token by its id (`tok_…`): it stops working at once. Revoking a revoked token changes nothing. Undefined when there is no such token. */
export function revokeToken(store: Store, id: string): TokenView | undefined {
  return store.tx(() => {
    const t = store.tokenById(id);
    if (!t) return undefined;
    if (!t.revokedAt) {
      const at = store.now();
      store.revokeToken(id, at);
      platformAudit(store, t.tenantId, "token.revoke", "token", id, null, { label: t.label, revokedAt: at });
    }
    return tokenView(store, store.tokenById(id)!);
  });
}

/** Revokes every live token of a tenant with this label (serve --demo: the previous start's demo admin tokens). */
export function revokeTokensLabelled(store: Store, tenantId: string, label: string): number {
  const live = store.listTokens(tenantId).filter((t) => t.label === label && !t.revokedAt);
  for (const t of live) revokeToken(store, t.id);
  return live.length;
}
