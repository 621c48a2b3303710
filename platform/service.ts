// The platform's operations: gather facts from the store, ask the pure rules in invariants.ts,
// write inside one transaction and append the audit entry in that same transaction.
import { Problem } from "./problem";
import type { Grant, Group, Role, Store, Tenant, User } from "./store";
import { etagOf } from "./store";
import {
  agentRefusal, billableChanges, grantRefusal, licenceRefusal, licenceUsage, normalizeRoles, pbxReadOnlyRefusal,
  permissionsOf, revokedRoles, sortKeys, strandedGrantsRefusal, unknownKeyRefusal, userViolations,
} from "./invariants";
import { PERMISSIONS, REC_ALL, REC_OWN, REPORT_PERMISSIONS } from "./keys";
import type { UserCreateT, UserPatchT } from "./schemas";

export interface Ctx { store: Store; tenant: Tenant; actor: User; requestId: string | null }

// ---------- views (the API's JSON) ----------
export const userView = (u: User) => ({
  id: u.id, origin: u.origin, extension: u.extension, displayName: u.displayName, email: u.email, roles: sortKeys(u.roles),
  softphoneDevice: u.softphoneDevice, groups: u.groups, primaryGroup: u.primaryGroup, etag: etagOf(u.version), createdAt: u.createdAt, updatedAt: u.updatedAt,
});
export const namedView = (g: Group) => ({ id: g.id, name: g.name, description: g.description, etag: etagOf(g.version) });
export const grantView = (g: Grant) => ({ id: g.id, workspaceId: g.workspaceId, userId: g.userId, access: g.access, etag: etagOf(g.version) });
export const roleView = (r: Role) => ({ id: r.id, name: r.name, description: r.description, permissions: r.permissions, accountScopes: r.accountScopes, preset: r.preset, etag: etagOf(r.version) });
export const tenantView = (t: Tenant) => ({
  id: t.id, name: t.name, profile: t.profile, recordingBucket: t.recordingBucket, agentAutoAssign: t.agentAutoAssign,
  realTimeWithLive: t.realTimeWithLive, ...(t.x8LicenceTiers ? { x8LicenceTiers: t.x8LicenceTiers } : {}),
});

// ---------- authority ----------
export function requirePermission(ctx: Ctx, key: keyof typeof PERMISSIONS, why: string): void {
  if (ctx.actor.roles.includes(key)) return;
  throw new Problem(403, `PERM-${key}`, `${why} needs the "${PERMISSIONS[key]}" permission (${key}); the token's user ${ctx.actor.email} does not have it. Use a token of a user who has it, or grant it to this user.`, { missingPermission: key });
}

function requireBillable(ctx: Ctx, changed: string[]): void {
  if (!changed.length || ctx.actor.roles.includes("customer.permission.billable")) return;
  throw new Problem(403, "BILL-1", `Changing billable items (${changed.join(", ")}) needs "Manage Billable Items" (customer.permission.billable) as well as "Manage Users"; the token's user ${ctx.actor.email} lacks it. Use a token of a user who has both.`, { missingPermission: "customer.permission.billable", keys: changed });
}

export function checkIfMatch(ifMatch: string | undefined, version: number, what: string): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(",").map((s) => s.trim().replace(/^W\//, ""));
  if (tags.includes("*") || tags.includes(etagOf(version)) || tags.includes(String(version))) return;
  throw new Problem(412, "ETAG", `${what} changed since you read it (If-Match ${ifMatch}, current ETag ${etagOf(version)}). GET it again, reapply your change and retry with the new ETag.`, { currentEtag: etagOf(version) });
}

function throwFirst(problems: Problem[]): void {
  if (!problems.length) return;
  const [first] = problems;
  throw new Problem(first.status, first.code, first.detail, {
    ...first.extra,
    ...(problems.length > 1 ? { violations: problems.map((p) => ({ code: p.code, detail: p.detail })) } : {}),
  });
}

function audit(ctx: Ctx, action: string, entity: string, entityId: string, before: unknown, after: unknown): void {
  ctx.store.appendAudit(ctx.tenant.id, { at: ctx.store.now(), actor: ctx.actor.email, action, entity, entityId, before: before ?? null, after: after ?? null, requestId: ctx.requestId });
}

const notFound = (what: string, id: string) => new Problem(404, "NOT-FOUND", `${what} "${id}" does not exist in this tenant. List them (GET) to find the right id.`, { id });

// ---------- users ----------
function metered(ctx: Ctx): Map<string, number> { return ctx.store.licenceCapacities(ctx.tenant.id); }

function usageExcluding(ctx: Ctx, userId: string | null): Map<string, number> {
  return licenceUsage(ctx.store.listUsers(ctx.tenant.id).filter((u) => u.id !== userId));
}

function groupIds(ctx: Ctx): Set<string> { return new Set(ctx.store.listNamed("groups", ctx.tenant.id).map((g) => g.id)); }

function mailConflict(ctx: Ctx, email: string, selfId: string | null): void {
  const other = ctx.store.getUserByEmail(ctx.tenant.id, email);
  if (other && other.id !== selfId) {
    throw new Problem(409, "MAIL-1", `Email ${email} is already used by user ${other.id} (${other.displayName}); emails are unique case-insensitively because they are login names. Use another email or change that user.`, { existingId: other.id });
  }
}

export function createUser(ctx: Ctx, body: UserCreateT): ReturnType<typeof userView> {
  requirePermission(ctx, "customer.permission.users", "Creating users");
  return ctx.store.tx(() => {
    if (body.origin !== undefined && body.origin !== "manual") {
      throw new Problem(409, "SRC-3", `Users with origin "${body.origin}" cannot be created here: PBX users come from the phone system's directory. Find the existing user (GET /users) and PATCH it instead.`, { origin: body.origin });
    }
    const existing = ctx.store.getUserByEmail(ctx.tenant.id, body.email);
    if (existing) {
      throw new Problem(409, "USER-EXISTS", `A user with email ${existing.email} already exists (id ${existing.id}, origin ${existing.origin}). PATCH /users/${existing.id} to change it instead of creating it.`, { existingId: existing.id });
    }
    const unknown = unknownKeyRefusal(body.roles, ctx.tenant);
    if (unknown) throw unknown;
    const softphone = body.softphoneDevice ?? null;
    const roles = normalizeRoles(body.roles, softphone, ctx.tenant);
    requireBillable(ctx, billableChanges([], roles, new Set(metered(ctx).keys())));
    const next = { origin: "manual" as const, extension: null, displayName: body.displayName, email: body.email, roles, softphoneDevice: softphone, groups: body.groups, primaryGroup: body.primaryGroup };
    throwFirst(userViolations(next, { tenant: ctx.tenant, directory: null, groupIds: groupIds(ctx) }));
    const lic = licenceRefusal([], roles, metered(ctx), () => usageExcluding(ctx, null));
    if (lic) throw lic;
    const now = ctx.store.now();
    const user: User = { id: ctx.store.nextId("usr"), tenantId: ctx.tenant.id, ...next, version: 1, createdAt: now, updatedAt: now };
    ctx.store.insertUser(user);
    const view = userView(user);
    audit(ctx, "user.create", "user", user.id, null, view);
    return view;
  });
}

export function patchUser(ctx: Ctx, id: string, patch: UserPatchT, ifMatch?: string): ReturnType<typeof userView> {
  requirePermission(ctx, "customer.permission.users", "Changing users");
  return ctx.store.tx(() => {
    const u = ctx.store.getUser(ctx.tenant.id, id);
    if (!u) throw notFound("User", id);
    checkIfMatch(ifMatch, u.version, `User ${u.id}`);
    const ro = pbxReadOnlyRefusal(u, patch);
    if (ro) throw ro;
    const requested = patch.roles ?? u.roles;
    const unknown = unknownKeyRefusal(requested, ctx.tenant);
    if (unknown) throw unknown;
    if (patch.roles) { const agt = agentRefusal(ctx.tenant, u.roles, requested); if (agt) throw agt; }
    const softphone = patch.softphoneDevice !== undefined ? patch.softphoneDevice : u.softphoneDevice;
    const next: User = {
      // PBX users' name and email belong to the phone system (an equal value in another case is not a change)
      ...u, displayName: u.origin === "pbx" ? u.displayName : patch.displayName ?? u.displayName, email: u.origin === "pbx" ? u.email : patch.email ?? u.email,
      roles: normalizeRoles(requested, softphone, ctx.tenant), softphoneDevice: softphone,
      groups: patch.groups ? [...new Set(patch.groups)] : u.groups, primaryGroup: patch.primaryGroup !== undefined ? patch.primaryGroup : u.primaryGroup,
    };
    const capacity = metered(ctx);
    requireBillable(ctx, billableChanges(u.roles, next.roles, new Set(capacity.keys())));
    const directory = u.extension ? ctx.store.getDirectoryEntry(ctx.tenant.id, u.extension) ?? null : null;
    throwFirst(userViolations(next, { tenant: ctx.tenant, directory, groupIds: groupIds(ctx) }));
    if (next.email !== u.email) mailConflict(ctx, next.email, u.id);
    const stranded = strandedGrantsRefusal(u, next.roles, ctx.store.grantsOfUser(u.id).map((g) => g.id), ctx.tenant);
    if (stranded) throw stranded;
    const lic = licenceRefusal(u.roles, next.roles, capacity, () => usageExcluding(ctx, u.id));
    if (lic) throw lic;
    const before = userView(u);
    if (JSON.stringify({ ...before, etag: 0 }) === JSON.stringify({ ...userView(next), etag: 0 })) return before; // nothing changed: no write, no audit
    next.version = u.version + 1;
    next.updatedAt = ctx.store.now();
    ctx.store.updateUser(next);
    const after = userView(next);
    audit(ctx, "user.update", "user", u.id, before, after);
    return after;
  });
}

export function deleteUser(ctx: Ctx, id: string, ifMatch?: string): void {
  requirePermission(ctx, "customer.permission.users", "Deleting users");
  ctx.store.tx(() => {
    const u = ctx.store.getUser(ctx.tenant.id, id);
    if (!u) throw notFound("User", id);
    checkIfMatch(ifMatch, u.version, `User ${u.id}`);
    if (u.origin === "pbx") {
      throw new Problem(409, "SRC-3", `User ${u.id} (extension ${u.extension}) is a PBX user: PBX users come from the phone system and cannot be deleted here; revoke instead (POST /users/${u.id}/revoke) to take portal access away.`, { userId: u.id });
    }
    requireBillable(ctx, billableChanges(u.roles, [], new Set(metered(ctx).keys())));
    for (const r of ctx.store.listRoles(ctx.tenant.id)) {
      if (r.userIds.includes(u.id)) ctx.store.updateRole({ ...r, userIds: r.userIds.filter((x) => x !== u.id), version: r.version + 1, updatedAt: ctx.store.now() });
    }
    const grants = ctx.store.grantsOfUser(u.id).map(grantView);
    ctx.store.deleteUser(u.id);
    audit(ctx, "user.delete", "user", u.id, { ...userView(u), workspaceGrants: grants }, null);
  });
}

export function revokeUser(ctx: Ctx, id: string, ifMatch?: string): ReturnType<typeof userView> {
  requirePermission(ctx, "customer.permission.users", "Revoking users");
  return ctx.store.tx(() => {
    const u = ctx.store.getUser(ctx.tenant.id, id);
    if (!u) throw notFound("User", id);
    checkIfMatch(ifMatch, u.version, `User ${u.id}`);
    const directory = u.extension ? ctx.store.getDirectoryEntry(ctx.tenant.id, u.extension) ?? null : null;
    const roles = revokedRoles(u, directory, ctx.tenant);
    requireBillable(ctx, billableChanges(u.roles, roles, new Set(metered(ctx).keys())));
    const grants = ctx.store.grantsOfUser(u.id);
    const before = { ...userView(u), workspaceGrants: grants.map(grantView) };
    for (const g of grants) ctx.store.deleteGrant(g.id);
    const next: User = { ...u, roles, softphoneDevice: null, version: u.version + 1, updatedAt: ctx.store.now() };
    ctx.store.updateUser(next);
    const after = userView(next);
    audit(ctx, "user.revoke", "user", u.id, before, { ...after, workspaceGrants: [] });
    return after;
  });
}

// ---------- groups and workspaces ----------
type NamedKind = "groups" | "workspaces";
const KIND = {
  groups: { label: "Group", entity: "group", perm: "customer.permission.users" as const, dup: "GRP-2", idPrefix: "grp" },
  workspaces: { label: "Workspace", entity: "workspace", perm: "customer.permission.workspaces" as const, dup: "WS-EXISTS", idPrefix: "wsp" },
};

export function createNamed(ctx: Ctx, kind: NamedKind, body: { name: string; description: string }): ReturnType<typeof namedView> {
  const k = KIND[kind];
  requirePermission(ctx, k.perm, `Creating ${kind}`);
  return ctx.store.tx(() => {
    const existing = ctx.store.getNamedByName(kind, ctx.tenant.id, body.name);
    if (existing) throw new Problem(409, k.dup, `${k.label} "${body.name}" already exists (id ${existing.id}). PATCH /${kind}/${existing.id} instead of creating it.`, { existingId: existing.id });
    const now = ctx.store.now();
    const g: Group = { id: ctx.store.nextId(k.idPrefix), tenantId: ctx.tenant.id, name: body.name, description: body.description, version: 1, createdAt: now, updatedAt: now };
    ctx.store.insertNamed(kind, g);
    const view = namedView(g);
    audit(ctx, `${k.entity}.create`, k.entity, g.id, null, view);
    return view;
  });
}

export function patchNamed(ctx: Ctx, kind: NamedKind, id: string, body: { name?: string; description?: string }, ifMatch?: string): ReturnType<typeof namedView> {
  const k = KIND[kind];
  requirePermission(ctx, k.perm, `Changing ${kind}`);
  return ctx.store.tx(() => {
    const g = ctx.store.getNamed(kind, ctx.tenant.id, id);
    if (!g) throw notFound(k.label, id);
    checkIfMatch(ifMatch, g.version, `${k.label} ${id}`);
    if (body.name !== undefined && body.name !== g.name) {
      const other = ctx.store.getNamedByName(kind, ctx.tenant.id, body.name);
      if (other) throw new Problem(409, k.dup, `${k.label} name "${body.name}" is taken by ${other.id}. Choose another name.`, { existingId: other.id });
    }
    const next: Group = { ...g, name: body.name ?? g.name, description: body.description ?? g.description };
    if (next.name === g.name && next.description === g.description) return namedView(g);
    next.version = g.version + 1; next.updatedAt = ctx.store.now();
    ctx.store.updateNamed(kind, next);
    const view = namedView(next);
    audit(ctx, `${k.entity}.update`, k.entity, id, namedView(g), view);
    return view;
  });
}

export function deleteNamed(ctx: Ctx, kind: NamedKind, id: string, ifMatch?: string): void {
  const k = KIND[kind];
  requirePermission(ctx, k.perm, `Deleting ${kind}`);
  ctx.store.tx(() => {
    const g = ctx.store.getNamed(kind, ctx.tenant.id, id);
    if (!g) throw notFound(k.label, id);
    checkIfMatch(ifMatch, g.version, `${k.label} ${id}`);
    if (kind === "groups") {
      for (const u of ctx.store.listUsers(ctx.tenant.id)) {
        if (!u.groups.includes(id) && u.primaryGroup !== id) continue;
        const next = { ...u, groups: u.groups.filter((x) => x !== id), primaryGroup: u.primaryGroup === id ? null : u.primaryGroup, version: u.version + 1, updatedAt: ctx.store.now() };
        ctx.store.updateUser(next);
        audit(ctx, "user.update", "user", u.id, userView(u), userView(next));
      }
    }
    const grants = kind === "workspaces" ? ctx.store.listGrants(ctx.tenant.id).filter((x) => x.workspaceId === id).map(grantView) : undefined;
    ctx.store.deleteNamed(kind, id);
    audit(ctx, `${k.entity}.delete`, k.entity, id, { ...namedView(g), ...(grants ? { workspaceGrants: grants } : {}) }, null);
  });
}

// ---------- workspace grants ----------
export function createGrant(ctx: Ctx, body: { workspaceId: string; userId: string; access: "admin" | "view" }): ReturnType<typeof grantView> {
  requirePermission(ctx, "customer.permission.workspaces", "Granting workspace access");
  return ctx.store.tx(() => {
    const ws = ctx.store.getNamed("workspaces", ctx.tenant.id, body.workspaceId);
    const user = ctx.store.getUser(ctx.tenant.id, body.userId);
    const refusal = grantRefusal(user, body.userId, !!ws, body.workspaceId, ctx.tenant);
    if (refusal) throw refusal;
    const existing = ctx.store.findGrant(body.workspaceId, body.userId);
    if (existing) throw new Problem(409, "GRANT-EXISTS", `User ${body.userId} already has a grant on workspace ${body.workspaceId} (id ${existing.id}, access ${existing.access}). PATCH /workspace-grants/${existing.id} to change its access.`, { existingId: existing.id });
    const now = ctx.store.now();
    const g: Grant = { id: ctx.store.nextId("wsg"), tenantId: ctx.tenant.id, workspaceId: body.workspaceId, userId: body.userId, access: body.access, version: 1, createdAt: now, updatedAt: now };
    ctx.store.insertGrant(g);
    const view = grantView(g);
    audit(ctx, "workspaceGrant.create", "workspaceGrant", g.id, null, view);
    return view;
  });
}

export function patchGrant(ctx: Ctx, id: string, body: { access: "admin" | "view" }, ifMatch?: string): ReturnType<typeof grantView> {
  requirePermission(ctx, "customer.permission.workspaces", "Changing workspace grants");
  return ctx.store.tx(() => {
    const g = ctx.store.getGrant(ctx.tenant.id, id);
    if (!g) throw notFound("Workspace grant", id);
    checkIfMatch(ifMatch, g.version, `Workspace grant ${id}`);
    if (g.access === body.access) return grantView(g);
    const next: Grant = { ...g, access: body.access, version: g.version + 1, updatedAt: ctx.store.now() };
    ctx.store.updateGrant(next);
    audit(ctx, "workspaceGrant.update", "workspaceGrant", id, grantView(g), grantView(next));
    return grantView(next);
  });
}

export function deleteGrant(ctx: Ctx, id: string, ifMatch?: string): void {
  requirePermission(ctx, "customer.permission.workspaces", "Deleting workspace grants");
  ctx.store.tx(() => {
    const g = ctx.store.getGrant(ctx.tenant.id, id);
    if (!g) throw notFound("Workspace grant", id);
    checkIfMatch(ifMatch, g.version, `Workspace grant ${id}`);
    ctx.store.deleteGrant(id);
    audit(ctx, "workspaceGrant.delete", "workspaceGrant", id, grantView(g), null);
  });
}

// ---------- named roles ----------
function checkRolePermissions(ctx: Ctx, permissions: string[]): void {
  if (ctx.tenant.profile !== "officeathand") return;
  const bad = permissions.filter((p) => !(REPORT_PERMISSIONS as readonly string[]).includes(p));
  if (bad.length) throw new Problem(422, "ROLE-3", `Unknown report permission${bad.length > 1 ? "s" : ""} ${bad.join(", ")}. Use: ${REPORT_PERMISSIONS.join(", ")}.`, { permissions: bad });
}

function presetRefusal(r: Role): Problem {
  return new Problem(409, "ROLE-1", `Role "${r.name}" is a preset and is read-only. Create a custom role (POST /roles) with the permissions you need.`, { roleId: r.id });
}

export function createRole(ctx: Ctx, body: { name: string; description: string; permissions: string[]; accountScopes: string[] }): ReturnType<typeof roleView> {
  requirePermission(ctx, "customer.permission.users", "Creating roles");
  return ctx.store.tx(() => {
    const existing = ctx.store.getRoleByName(ctx.tenant.id, body.name);
    if (existing) throw new Problem(409, "ROLE-2", `Role "${body.name}" already exists (id ${existing.id}). PATCH /roles/${existing.id} instead.`, { existingId: existing.id });
    checkRolePermissions(ctx, body.permissions);
    const now = ctx.store.now();
    const r: Role = { id: ctx.store.nextId("rol"), tenantId: ctx.tenant.id, name: body.name, description: body.description, permissions: sortKeys(body.permissions), accountScopes: sortKeys(body.accountScopes), preset: false, userIds: [], version: 1, createdAt: now, updatedAt: now };
    ctx.store.insertRole(r);
    audit(ctx, "role.create", "role", r.id, null, roleView(r));
    return roleView(r);
  });
}

export function patchRole(ctx: Ctx, id: string, body: { name?: string; description?: string; permissions?: string[]; accountScopes?: string[] }, ifMatch?: string): ReturnType<typeof roleView> {
  requirePermission(ctx, "customer.permission.users", "Changing roles");
  return ctx.store.tx(() => {
    const r = ctx.store.getRole(ctx.tenant.id, id);
    if (!r) throw notFound("Role", id);
    checkIfMatch(ifMatch, r.version, `Role ${id}`);
    if (r.preset) throw presetRefusal(r);
    if (body.name !== undefined && body.name !== r.name) {
      const other = ctx.store.getRoleByName(ctx.tenant.id, body.name);
      if (other) throw new Problem(409, "ROLE-2", `Role name "${body.name}" is taken by ${other.id}. Choose another name.`, { existingId: other.id });
    }
    if (body.permissions) checkRolePermissions(ctx, body.permissions);
    const next: Role = { ...r, name: body.name ?? r.name, description: body.description ?? r.description,
      permissions: body.permissions ? sortKeys(body.permissions) : r.permissions, accountScopes: body.accountScopes ? sortKeys(body.accountScopes) : r.accountScopes };
    if (JSON.stringify(roleView(next)) === JSON.stringify(roleView(r))) return roleView(r);
    next.version = r.version + 1; next.updatedAt = ctx.store.now();
    ctx.store.updateRole(next);
    audit(ctx, "role.update", "role", id, roleView(r), roleView(next));
    return roleView(next);
  });
}

export function deleteRole(ctx: Ctx, id: string, ifMatch?: string): void {
  requirePermission(ctx, "customer.permission.users", "Deleting roles");
  ctx.store.tx(() => {
    const r = ctx.store.getRole(ctx.tenant.id, id);
    if (!r) throw notFound("Role", id);
    checkIfMatch(ifMatch, r.version, `Role ${id}`);
    if (r.preset) throw presetRefusal(r);
    ctx.store.deleteRole(id);
    audit(ctx, "role.delete", "role", id, { ...roleView(r), userIds: r.userIds }, null);
  });
}

export const assignmentsView = (r: Role) => ({ roleId: r.id, userIds: r.userIds, etag: etagOf(r.version) });

export function putAssignments(ctx: Ctx, id: string, userIds: string[], ifMatch?: string): ReturnType<typeof assignmentsView> {
  requirePermission(ctx, "customer.permission.users", "Assigning roles");
  return ctx.store.tx(() => {
    const r = ctx.store.getRole(ctx.tenant.id, id);
    if (!r) throw notFound("Role", id);
    checkIfMatch(ifMatch, r.version, `Role ${id}`);
    const wanted = sortKeys(userIds);
    const unknown = wanted.filter((u) => !ctx.store.getUser(ctx.tenant.id, u));
    if (unknown.length) throw new Problem(422, "ROLE-4", `User${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} do${unknown.length > 1 ? "" : "es"} not exist in this tenant. Assign the role to existing users only.`, { userIds: unknown });
    if (JSON.stringify(wanted) === JSON.stringify(r.userIds)) return assignmentsView(r);
    const next: Role = { ...r, userIds: wanted, version: r.version + 1, updatedAt: ctx.store.now() };
    ctx.store.updateRole(next);
    audit(ctx, "role.assign", "role", id, { userIds: r.userIds }, { userIds: wanted });
    return assignmentsView(next);
  });
}

// ---------- licences and tenant settings ----------
export function licencesView(store: Store, tenantId: string): { items: { key: string; capacity: number; inUse: number }[] } {
  const cap = store.licenceCapacities(tenantId);
  const used = licenceUsage(store.listUsers(tenantId));
  return { items: [...cap].map(([key, capacity]) => ({ key, capacity, inUse: used.get(key) ?? 0 })) };
}

export function putLicences(ctx: Ctx, items: { key: string; capacity: number | null }[]): ReturnType<typeof licencesView> {
  requirePermission(ctx, "customer.permission.billable", "Setting licence capacity");
  return ctx.store.tx(() => {
    const before = licencesView(ctx.store, ctx.tenant.id);
    for (const it of items) ctx.store.setLicenceCapacity(ctx.tenant.id, it.key, it.capacity);
    const after = licencesView(ctx.store, ctx.tenant.id);
    audit(ctx, "licences.update", "licences", ctx.tenant.id, before, after);
    return after;
  });
}

export function patchTenant(ctx: Ctx, body: { name?: string; recordingBucket?: string | null }): ReturnType<typeof tenantView> {
  requirePermission(ctx, "customer.permission.settings", "Changing customer settings");
  return ctx.store.tx(() => {
    const t = ctx.store.getTenant(ctx.tenant.id)!;
    const next: Tenant = { ...t, name: body.name ?? t.name, recordingBucket: body.recordingBucket !== undefined ? body.recordingBucket : t.recordingBucket };
    if (!next.recordingBucket && t.recordingBucket) {
      const holders = ctx.store.listUsers(t.id).filter((u) => u.roles.includes(REC_OWN) || u.roles.includes(REC_ALL)).map((u) => u.id);
      if (holders.length) throw new Problem(409, "REC-1", `${holders.length} user(s) hold Recording Playback (${holders.slice(0, 10).join(", ")}${holders.length > 10 ? ", ..." : ""}); removing the recording bucket would break it. Remove the permission from them first.`, { userIds: holders });
    }
    ctx.store.updateTenant(next);
    audit(ctx, "tenant.update", "tenant", t.id, tenantView(t), tenantView(next));
    return tenantView(next);
  });
}

export function meView(ctx: Ctx) {
  return {
    tenant: { id: ctx.tenant.id, name: ctx.tenant.name, profile: ctx.tenant.profile },
    user: { id: ctx.actor.id, email: ctx.actor.email, displayName: ctx.actor.displayName },
    permissions: permissionsOf(ctx.actor.roles),
  };
}
