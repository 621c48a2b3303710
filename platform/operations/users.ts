// Users: create (manual users only), change, delete (manual users only) and revoke. The rules are the
// pure functions of invariants.ts; this file gathers the facts they need and refuses in the documented
// order (existence, If-Match, read-only fields, unknown keys, Agent, billable authority, the 422 rules,
// unique email, stranded grants, licence capacity). Manage Users is the route's to check.
import { Problem } from "../problem";
import type { User } from "../store";
import { etagOf } from "../store";
import {
  agentRefusal, billableChanges, licenceRefusal, licenceUsageOfCounts, normalizeRoles, pbxReadOnlyRefusal, revokedRoles, sortKeys,
  strandedGrantsRefusal, unknownKeyRefusal, userViolations,
} from "../invariants";
import type { UserCreateT, UserPatchT } from "../schemas";
import { grantView } from "./grants";
import { type Ctx, type Kind, write } from "./write";
import { requireAnotherHolder, requirePermissionAuthority } from "./authority";

export const userView = (u: User) => ({
  id: u.id, origin: u.origin, extension: u.extension, displayName: u.displayName, email: u.email, roles: sortKeys(u.roles),
  softphoneDevice: u.softphoneDevice, groups: u.groups, primaryGroup: u.primaryGroup, etag: etagOf(u.version), createdAt: u.createdAt, updatedAt: u.updatedAt,
});
export type UserView = ReturnType<typeof userView>;

export const USERS: Kind<User, UserView> = {
  entity: "user", label: "User", idPrefix: "usr",
  load: (ctx, id) => ctx.store.getUser(ctx.tenant.id, id),
  insert: (ctx, u) => ctx.store.insertUser(u),
  save: (ctx, u) => ctx.store.updateUser(u),
  remove: (ctx, u) => ctx.store.deleteUser(u.id),
  view: userView,
};

/** A user as the audit log records a delete or a revoke: with the workspace grants it loses. */
const withGrants = (u: User, ctx: Ctx) => ({ ...userView(u), workspaceGrants: ctx.store.grantsOfUser(u.id).map(grantView) });

export function createUser(ctx: Ctx, body: UserCreateT): UserView {
  return write(ctx, USERS, {
    create: () => {
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
      requirePermissionAuthority(ctx, null, [], roles);
      requireBillable(ctx, billableChanges([], roles, new Set(metered(ctx).keys())));
      const next = { origin: "manual" as const, extension: null, displayName: body.displayName, email: body.email, roles, softphoneDevice: softphone, groups: body.groups, primaryGroup: body.primaryGroup };
      throwFirst(userViolations(next, { tenant: ctx.tenant, directory: null, groupIds: groupIds(ctx) }));
      const lic = licenceRefusal([], roles, metered(ctx), () => usageExcluding(ctx, null));
      if (lic) throw lic;
      return next;
    },
  });
}

export function patchUser(ctx: Ctx, id: string, patch: UserPatchT, ifMatch?: string): UserView {
  return write(ctx, USERS, {
    id, ifMatch,
    update: (u) => {
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
      requirePermissionAuthority(ctx, u, u.roles, next.roles);
      requireBillable(ctx, billableChanges(u.roles, next.roles, new Set(capacity.keys())));
      const directory = u.extension ? ctx.store.getDirectoryEntry(ctx.tenant.id, u.extension) ?? null : null;
      throwFirst(userViolations(next, { tenant: ctx.tenant, directory, groupIds: groupIds(ctx) }));
      if (next.email !== u.email) mailConflict(ctx, next.email, u.id);
      const stranded = strandedGrantsRefusal(u, next.roles, ctx.store.grantsOfUser(u.id).map((g) => g.id), ctx.tenant);
      if (stranded) throw stranded;
      requireAnotherHolder(ctx, u, next.roles);
      const lic = licenceRefusal(u.roles, next.roles, capacity, () => usageExcluding(ctx, u.id));
      if (lic) throw lic;
      return next;
    },
  });
}

export function deleteUser(ctx: Ctx, id: string, ifMatch?: string): void {
  write(ctx, USERS, {
    id, ifMatch, record: withGrants,
    delete: (u) => {
      if (u.origin === "pbx") {
        throw new Problem(409, "SRC-3", `User ${u.id} (extension ${u.extension}) is a PBX user: PBX users come from the phone system and cannot be deleted here; revoke instead (POST /users/${u.id}/revoke) to take portal access away.`, { userId: u.id });
      }
      requirePermissionAuthority(ctx, u, u.roles, []);
      requireBillable(ctx, billableChanges(u.roles, [], new Set(metered(ctx).keys())));
      requireAnotherHolder(ctx, u, null);
      // The user leaves the named roles it held (their version moves; the user's delete entry is the audit record).
      for (const r of ctx.store.listRoles(ctx.tenant.id)) {
        if (r.userIds.includes(u.id)) ctx.store.updateRole({ ...r, userIds: r.userIds.filter((x) => x !== u.id), version: r.version + 1, updatedAt: ctx.store.now() });
      }
    },
  });
}

/** Back to the baseline: PBX users keep Essential (and Agent where auto-assigned), manual users keep nothing; no softphone, no workspace grants; groups stay. */
export function revokeUser(ctx: Ctx, id: string, ifMatch?: string): UserView {
  return write(ctx, USERS, {
    id, ifMatch, action: "user.revoke", record: withGrants, always: true,
    update: (u) => {
      const directory = u.extension ? ctx.store.getDirectoryEntry(ctx.tenant.id, u.extension) ?? null : null;
      const roles = revokedRoles(u, directory, ctx.tenant);
      requirePermissionAuthority(ctx, u, u.roles, roles);
      requireBillable(ctx, billableChanges(u.roles, roles, new Set(metered(ctx).keys())));
      requireAnotherHolder(ctx, u, roles);
      for (const g of ctx.store.grantsOfUser(u.id)) ctx.store.deleteGrant(g.id);
      return { ...u, roles, softphoneDevice: null };
    },
  });
}

// ---------- the facts the rules need ----------
/** BILL-1: the route declares it (its codes); the billable items a change touches decide whether it applies. */
function requireBillable(ctx: Ctx, changed: string[]): void {
  if (!changed.length || ctx.actor.roles.includes("customer.permission.billable")) return;
  throw new Problem(403, "BILL-1", `Changing billable items (${changed.join(", ")}) needs "Manage Billable Items" (customer.permission.billable) as well as "Manage Users"; the token's user ${ctx.actor.email} lacks it. Use a token of a user who has both.`, { missingPermission: "customer.permission.billable", keys: changed });
}

/** Every violation in one answer: the first is the code, `violations` lists them all. */
function throwFirst(problems: Problem[]): void {
  if (!problems.length) return;
  const [first] = problems;
  throw problems.length > 1 ? first.with({ violations: problems.map((p) => ({ code: p.code, detail: p.detail })) }) : first;
}

function metered(ctx: Ctx): Map<string, number> { return ctx.store.licenceCapacities(ctx.tenant.id); }

function usageExcluding(ctx: Ctx, userId: string | null): Map<string, number> {
  const own = userId === null ? [] : (ctx.store.getUser(ctx.tenant.id, userId)?.roles ?? []);
  return licenceUsageOfCounts(ctx.store.roleKeyCounts(ctx.tenant.id), own);
}

function groupIds(ctx: Ctx): Set<string> { return new Set(ctx.store.listNamed("groups", ctx.tenant.id).map((g) => g.id)); }

function mailConflict(ctx: Ctx, email: string, selfId: string | null): void {
  const other = ctx.store.getUserByEmail(ctx.tenant.id, email);
  if (other && other.id !== selfId) {
    throw new Problem(409, "MAIL-1", `Email ${email} is already used by user ${other.id} (${other.displayName}); emails are unique case-insensitively because they are login names. Use another email or change that user.`, { existingId: other.id });
  }
}
