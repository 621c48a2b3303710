// The write path on an in-memory store, without HTTP: 404, If-Match, version, audit, idempotency,
// no-op writes, and that a refusal anywhere in a write leaves nothing behind.
import { beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store";
import { createPortalUser, createTenant } from "../tenants";
import { Problem } from "../problem";
import { GROUPS } from "./groups";
import { USERS } from "./users";
import { type Ctx, type IdempotentRequest, write } from "./write";

let store: Store;
let ctx: Ctx;
const idem = (key: string): IdempotentRequest => ({ tokenHash: "h", key, method: "POST", path: "/groups", bodyHash: "b", status: 201 });
const audit = () => store.listAudit("t", 0, 1000).filter((e) => e.actor === "admin@t.example");
const snapshot = () => JSON.stringify({ groups: store.listNamed("groups", "t"), users: store.listUsers("t"), audit: store.listAudit("t", 0, 1000), next: store.db.prepare("SELECT * FROM counters").all() });
const newGroup = (name: string) => write(ctx, GROUPS, { create: () => ({ name, description: "" }) });

beforeEach(() => {
  store = new Store(":memory:");
  const tenant = createTenant(store, { id: "t", name: "T", profile: "dimensions" });
  const actor = createPortalUser(store, "t", { email: "admin@t.example", roles: ["customer.permission.website"] });
  ctx = { store, tenant, actor, requestId: "req-1" };
});

describe("write", () => {
  it("a create gets an id, version 1 and one audit entry with no before", () => {
    const g = newGroup("Sales");
    expect(g).toEqual({ id: "grp_000001", name: "Sales", description: "", etag: '"1"' });
    expect(audit()).toEqual([expect.objectContaining({ action: "group.create", entity: "group", entityId: g.id, before: null, after: g, requestId: "req-1" })]);
  });

  it("an update loads (404), checks If-Match (412), bumps the version and records before and after", () => {
    const g = newGroup("Sales");
    const rename = (ifMatch?: string, name = "Support") => write(ctx, GROUPS, { id: g.id, ifMatch, update: (cur) => ({ ...cur, name }) });
    expect(() => write(ctx, GROUPS, { id: "grp_999999", update: (cur) => cur })).toThrow(expect.objectContaining({ status: 404, code: "NOT-FOUND" }));
    expect(() => rename('"7"')).toThrow(expect.objectContaining({ status: 412, code: "ETAG", extra: { currentEtag: '"1"' } }));
    // If-Match compares strongly: a weak tag never matches, even the current version's
    expect(() => rename('W/"1"')).toThrow(expect.objectContaining({ status: 412, code: "ETAG" }));
    const after = rename('"1"');
    expect(after.etag).toBe('"2"');
    expect(rename("*", "Billing").etag).toBe('"3"');
    expect(audit().slice(1).map((e) => [e.action, (e.before as { name: string }).name, (e.after as { name: string }).name])).toEqual([["group.update", "Sales", "Support"], ["group.update", "Support", "Billing"]]);
  });

  it("an update that changes nothing writes nothing: same ETag, no audit entry", () => {
    const g = newGroup("Sales");
    const before = snapshot();
    expect(write(ctx, GROUPS, { id: g.id, update: (cur) => ({ ...cur }) })).toEqual(g);
    expect(snapshot()).toBe(before);
    // nor with \`always\` (revoke, settings, licences) when the audit record is the same too: no-op writes are never audited
    expect(write(ctx, GROUPS, { id: g.id, always: true, update: (cur) => ({ ...cur }) }).etag).toBe('"1"');
    expect(snapshot()).toBe(before);
  });

  it("a refusal anywhere rolls back the whole write, cascades and ids included", () => {
    const g = newGroup("Sales");
    const u = createPortalUser(store, "t", { email: "m@t.example", roles: [] });
    write(ctx, USERS, { id: u.id, update: (cur) => ({ ...cur, groups: [g.id] }) });
    const before = snapshot();
    expect(() => write(ctx, GROUPS, {
      id: g.id,
      delete: (cur) => {
        write(ctx, USERS, { id: u.id, update: (x) => ({ ...x, groups: x.groups.filter((id) => id !== cur.id) }) });
        newGroup("Created inside");
        throw new Problem(409, "GROUP-EXISTS", "refused after the cascade ran");
      },
    })).toThrow(/refused after the cascade ran/);
    expect(snapshot()).toBe(before);
  });

  it("a delete records what the entity was before its change ran", () => {
    const g = newGroup("Sales");
    write(ctx, GROUPS, { id: g.id, record: (cur, c) => ({ name: cur.name, groups: c.store.listNamed("groups", "t").length }), delete: () => { newGroup("Another"); } });
    expect(audit().at(-1)).toMatchObject({ action: "group.delete", before: { name: "Sales", groups: 1 }, after: null });
    expect(store.getNamed("groups", "t", g.id)).toBeUndefined();
  });

  it("stores a POST's answer with the write; a cascade's writes and a refused write store none", () => {
    const g = write({ ...ctx, idempotency: idem("k1") }, GROUPS, { create: () => ({ name: "Sales", description: "" }) });
    expect(store.getIdempotent("h", "k1")).toEqual({ status: 201, body: g, bodyHash: "b", method: "POST", path: "/groups" });
    const u = createPortalUser(store, "t", { email: "m@t.example", roles: [] });
    const c2 = { ...ctx, idempotency: idem("k2") };
    const answer = write(c2, GROUPS, { id: g.id, update: (cur) => { write(c2, USERS, { id: u.id, update: (x) => ({ ...x, displayName: "M" }) }); return { ...cur, name: "Support" }; } });
    expect(store.getIdempotent("h", "k2")?.body).toEqual(answer); // the outer answer, not the cascade's
    expect(() => write({ ...ctx, idempotency: idem("k3") }, GROUPS, { create: () => { throw new Problem(409, "GROUP-EXISTS", "no"); } })).toThrow();
    expect(store.getIdempotent("h", "k3")).toBeUndefined();
  });
});
