// Groups: a user's memberships and primary group (the group its calls are attributed to).
// Manage Users is the route's to check.
import { type Ctx, write } from "./write";
import { namedKind, namedOperations } from "./named";
import { USERS } from "./users";

export const GROUPS = namedKind("groups", "group", "Group", "grp");

const ops = namedOperations(GROUPS, "GROUP-EXISTS", {
  // Its members lose it (and it stops being their primary group), each as a user.update of its own.
  cascade: (ctx: Ctx, g) => {
    for (const u of ctx.store.listUsers(ctx.tenant.id)) {
      if (!u.groups.includes(g.id) && u.primaryGroup !== g.id) continue;
      write(ctx, USERS, { id: u.id, update: (cur) => ({ ...cur, groups: cur.groups.filter((x) => x !== g.id), primaryGroup: cur.primaryGroup === g.id ? null : cur.primaryGroup }) });
    }
  },
});

export const createGroup = ops.create;
export const patchGroup = ops.patch;
export const deleteGroup = ops.remove;
