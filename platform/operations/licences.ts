// Licence capacities: which keys the tenant meters and how many of each it owns. A key absent from the
// table is not metered. Capacity is the service provider's to set (PUT /admin/tenants/{id}/licences, behind the
// platform's admin credential); tenant tokens only read it.
import { licenceUsageOfCounts } from "../invariants";
import { type Ctx, type Kind, write } from "./write";

/** The tenant's capacity table, sorted by key. */
interface LicenceTable { capacities: [string, number][] }
export interface LicencesView { items: { key: string; capacity: number; inUse: number }[] }

/** The tenant's licence table: no version; every PUT is written and audited. */
export const LICENCES: Kind<LicenceTable, LicencesView> = {
  entity: "licences", label: "Licences",
  load: (ctx) => ({ capacities: [...ctx.store.licenceCapacities(ctx.tenant.id)] }),
  save: (ctx, next, current) => {
    const kept = new Set(next.capacities.map(([key]) => key));
    for (const [key] of current.capacities) if (!kept.has(key)) ctx.store.setLicenceCapacity(ctx.tenant.id, key, null);
    for (const [key, capacity] of next.capacities) ctx.store.setLicenceCapacity(ctx.tenant.id, key, capacity);
  },
  view: (t, ctx) => {
    const used = licenceUsageOfCounts(ctx.store.roleKeyCounts(ctx.tenant.id));
    return { items: t.capacities.map(([key, capacity]) => ({ key, capacity, inUse: used.get(key) ?? 0 })) };
  },
};

/** GET /licences. */
export const licencesView = (ctx: Ctx): LicencesView => LICENCES.view(LICENCES.load(ctx, ctx.tenant.id)!, ctx);

/** Sets capacities; null stops metering a key. */
export function putLicences(ctx: Ctx, items: { key: string; capacity: number | null }[]): LicencesView {
  return write(ctx, LICENCES, {
    id: ctx.tenant.id, always: true,
    update: (t) => {
      const table = new Map(t.capacities);
      for (const { key, capacity } of items) if (capacity === null) table.delete(key); else table.set(key, capacity);
      return { capacities: [...table].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
    },
  });
}
