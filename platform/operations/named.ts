// Groups and workspaces have one shape: a name unique in the tenant and a description. This is that
// shape's create, change and delete; groups.ts and workspaces.ts add what deleting one does.
import { Problem } from "../problem";
import type { Group } from "../store";
import { etagOf } from "../store";
import { type Ctx, type Kind, write } from "./write";

export const namedView = (g: Group) => ({ id: g.id, name: g.name, description: g.description, etag: etagOf(g.version) });
export type NamedView = ReturnType<typeof namedView>;

type Table = "groups" | "workspaces";

export function namedKind(table: Table, entity: string, label: string, idPrefix: string): Kind<Group, NamedView> & { table: Table } {
  return {
    table, entity, label, idPrefix,
    load: (ctx, id) => ctx.store.getNamed(table, ctx.tenant.id, id),
    insert: (ctx, g) => ctx.store.insertNamed(table, g),
    save: (ctx, g) => ctx.store.updateNamed(table, g),
    remove: (ctx, g) => ctx.store.deleteNamed(table, g.id),
    view: namedView,
  };
}

/** create, patch and remove for one named kind; `taken` is the code for a name already in use. */
export function namedOperations(kind: ReturnType<typeof namedKind>, taken: "GROUP-EXISTS" | "WS-EXISTS", onDelete: {
  /** What else goes with it (inside the same transaction). */
  cascade?: (ctx: Ctx, g: Group) => void;
  /** What the delete's audit entry records. */
  record?: (g: Group, ctx: Ctx) => unknown;
} = {}) {
  const other = (ctx: Ctx, name: string) => ctx.store.getNamedByName(kind.table, ctx.tenant.id, name);
  return {
    create: (ctx: Ctx, body: { name: string; description: string }): NamedView => write(ctx, kind, {
      create: () => {
        const existing = other(ctx, body.name);
        if (existing) throw new Problem(409, taken, `${kind.label} "${body.name}" already exists (id ${existing.id}). PATCH /${kind.table}/${existing.id} instead of creating it.`, { existingId: existing.id });
        return { name: body.name, description: body.description };
      },
    }),
    patch: (ctx: Ctx, id: string, body: { name?: string; description?: string }, ifMatch?: string): NamedView => write(ctx, kind, {
      id, ifMatch,
      update: (g) => {
        const clash = body.name !== undefined && body.name !== g.name ? other(ctx, body.name) : undefined;
        if (clash) throw new Problem(409, taken, `${kind.label} name "${body.name}" is taken by ${clash.id}. Choose another name.`, { existingId: clash.id });
        return { ...g, name: body.name ?? g.name, description: body.description ?? g.description };
      },
    }),
    remove: (ctx: Ctx, id: string, ifMatch?: string): void => write(ctx, kind, {
      id, ifMatch, record: onDelete.record, delete: (g) => onDelete.cascade?.(ctx, g),
    }),
  };
}
