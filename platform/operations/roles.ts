// Named roles (Office@Hand report permissions, IntelePeer account scopes) and who holds them. Presets
// are read-only, though who holds them may change. Manage Users is the route's to check.
import { Problem } from "../problem";
import type { Role } from "../store";
import { etagOf } from "../store";
import { sortKeys } from "../invariants";
import { REPORT_PERMISSIONS } from "../keys";
import { type Ctx, type Kind, write } from "./write";
import { requireNotSelfAssigned } from "./authority";

export const roleView = (r: Role) => ({ id: r.id, name: r.name, description: r.description, permissions: r.permissions, accountScopes: r.accountScopes, preset: r.preset, etag: etagOf(r.version) });
export const assignmentsView = (r: Role) => ({ roleId: r.id, userIds: r.userIds, etag: etagOf(r.version) });
export type RoleView = ReturnType<typeof roleView>;

export const ROLES: Kind<Role, RoleView> = {
  entity: "role", label: "Role", idPrefix: "rol",
  load: (ctx, id) => ctx.store.getRole(ctx.tenant.id, id),
  insert: (ctx, r) => ctx.store.insertRole(r),
  save: (ctx, r) => ctx.store.updateRole(r),
  remove: (ctx, r) => ctx.store.deleteRole(r.id),
  view: roleView,
};

type RoleBody = { name: string; description: string; permissions: string[]; accountScopes: string[] };

export function createRole(ctx: Ctx, body: RoleBody): RoleView {
  return write(ctx, ROLES, {
    create: () => {
      const existing = ctx.store.getRoleByName(ctx.tenant.id, body.name);
      if (existing) throw new Problem(409, "ROLE-EXISTS", `Role "${body.name}" already exists (id ${existing.id}). PATCH /roles/${existing.id} instead.`, { existingId: existing.id });
      checkPermissions(ctx, body.permissions);
      return { name: body.name, description: body.description, permissions: sortKeys(body.permissions), accountScopes: sortKeys(body.accountScopes), preset: false, userIds: [] };
    },
  });
}

export function patchRole(ctx: Ctx, id: string, body: Partial<RoleBody>, ifMatch?: string): RoleView {
  return write(ctx, ROLES, {
    id, ifMatch,
    update: (r) => {
      refusePreset(r);
      if (body.name !== undefined && body.name !== r.name) {
        const other = ctx.store.getRoleByName(ctx.tenant.id, body.name);
        if (other) throw new Problem(409, "ROLE-EXISTS", `Role name "${body.name}" is taken by ${other.id}. Choose another name.`, { existingId: other.id });
      }
      if (body.permissions) checkPermissions(ctx, body.permissions);
      return { ...r, name: body.name ?? r.name, description: body.description ?? r.description,
        permissions: body.permissions ? sortKeys(body.permissions) : r.permissions, accountScopes: body.accountScopes ? sortKeys(body.accountScopes) : r.accountScopes };
    },
  });
}

export function deleteRole(ctx: Ctx, id: string, ifMatch?: string): void {
  write(ctx, ROLES, { id, ifMatch, record: (r) => ({ ...roleView(r), userIds: r.userIds }), delete: refusePreset });
}

/** Replaces the set of users holding the role (presets too); If-Match is the role's ETag. */
export function putAssignments(ctx: Ctx, id: string, userIds: string[], ifMatch?: string): ReturnType<typeof assignmentsView> {
  return write(ctx, ROLES, {
    id, ifMatch, action: "role.assign", answer: assignmentsView, record: (r) => ({ userIds: r.userIds }),
    update: (r) => {
      const wanted = sortKeys(userIds);
      const unknown = wanted.filter((u) => !ctx.store.getUser(ctx.tenant.id, u));
      requireNotSelfAssigned(ctx, r.userIds, wanted);
      if (unknown.length) throw new Problem(422, "ROLE-UNKNOWN-USER", `User${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} do${unknown.length > 1 ? "" : "es"} not exist in this tenant. Assign the role to existing users only.`, { userIds: unknown });
      return { ...r, userIds: wanted };
    },
  });
}

function checkPermissions(ctx: Ctx, permissions: string[]): void {
  if (ctx.tenant.profile !== "officeathand") return;
  const bad = permissions.filter((p) => !(REPORT_PERMISSIONS as readonly string[]).includes(p));
  if (bad.length) throw new Problem(422, "ROLE-UNKNOWN-PERMISSION", `Unknown report permission${bad.length > 1 ? "s" : ""} ${bad.join(", ")}. Use: ${REPORT_PERMISSIONS.join(", ")}.`, { permissions: bad });
}

function refusePreset(r: Role): void {
  if (r.preset) throw new Problem(409, "ROLE-PRESET-READONLY", `Role "${r.name}" is a preset and is read-only. Create a custom role (POST /roles) with the permissions you need.`, { roleId: r.id });
}
