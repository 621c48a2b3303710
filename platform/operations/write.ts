// The one write path. Every change the API makes is a write(): in one transaction it loads the entity
// (404), checks If-Match (412), runs the operation's change (which throws a Problem to refuse), bumps
// the version, stores the entity, appends the audit entry and, for a POST sent with an Idempotency-Key,
// stores the answer. A throw anywhere rolls all of it back: a refusal leaves nothing behind.
// Permissions are not checked here: the router checks the one its route declares before the operation runs.
import { Problem } from "../problem";
import type { Store, StoredResponse, Tenant, User } from "../store";
import { etagOf } from "../store";

/** A POST's Idempotency-Key, with what its stored answer must match and the route's success status. */
export interface IdempotentRequest extends Omit<StoredResponse, "body"> { tokenHash: string; key: string }

/** Who is acting, on which tenant, for which request. */
export interface Ctx {
  store: Store; tenant: Tenant; actor: User; requestId: string | null;
  /** Set by the server for a POST with an Idempotency-Key: the outermost write stores its answer under it. */
  idempotency?: IdempotentRequest | null;
}

/** How the write path reads, stores and shows one kind of entity. */
export interface Kind<E, V> {
  /** Audit entity name ("user", "workspaceGrant"). */
  entity: string;
  /** In messages ("User", "Workspace grant"). */
  label: string;
  /** Prefix of new ids ("usr" → usr_000001); only kinds the API creates have one. */
  idPrefix?: string;
  load(ctx: Ctx, id: string): E | undefined;
  insert?(ctx: Ctx, e: E): void;
  save(ctx: Ctx, next: E, current: E): void;
  remove?(ctx: Ctx, e: E): void;
  /** The API's JSON of the entity. */
  view(e: E, ctx: Ctx): V;
}

/** What a create supplies: everything but the id, tenant, version and timestamps. */
export type Draft<E> = Omit<E, "id" | "tenantId" | "version" | "createdAt" | "updatedAt">;

interface Shown<E, R> {
  /** The answer (default: the kind's view). */
  answer?: (e: E, ctx: Ctx) => R;
  /** What the audit entry records of the entity (default: the kind's view): read before the change runs and after it is stored. */
  record?: (e: E, ctx: Ctx) => unknown;
  /** The audit action (default: `<entity>.create`, `.update`, `.delete`). */
  action?: string;
}
export interface Create<E, R> extends Shown<E, R> { create: () => Draft<E> }
export interface Update<E, R> extends Shown<E, R> {
  id: string; ifMatch?: string;
  /** The next state ({...current, ...}); returning an equal one writes nothing (same ETag, no audit entry). */
  update: (current: E) => E;
  /** Write and audit even when nothing changed (revoke, tenant settings, licences). */
  always?: boolean;
}
export interface Delete<E> extends Omit<Shown<E, unknown>, "answer"> {
  id: string; ifMatch?: string;
  /** Refusals and cascades before the entity is removed. */
  delete: (current: E) => void;
}

type Versioned = { version: number; updatedAt: string };
const versioned = (e: object): e is Versioned => "version" in e;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function write<E extends object, V, R = V>(ctx: Ctx, kind: Kind<E, V>, w: Create<E, R> | Update<E, R>): R;
export function write<E extends object, V>(ctx: Ctx, kind: Kind<E, V>, w: Delete<E>): void;
export function write<E extends object, V, R>(ctx: Ctx, kind: Kind<E, V>, w: Create<E, R> | Update<E, R> | Delete<E>): R | void {
  const outermost = !ctx.store.inTransaction; // a cascade's writes join their caller's transaction
  const { answer, record: recorded } = w as Shown<E, R>;
  const show = (e: E) => (answer ? answer(e, ctx) : kind.view(e, ctx)) as R;
  const record = (e: E) => (recorded ? recorded(e, ctx) : kind.view(e, ctx));
  return ctx.store.tx(() => {
    let result: R | undefined;
    if ("create" in w) {
      const draft = w.create();
      const now = ctx.store.now();
      const created = { id: ctx.store.nextId(kind.idPrefix!), tenantId: ctx.tenant.id, ...draft, version: 1, createdAt: now, updatedAt: now } as unknown as E & { id: string };
      kind.insert!(ctx, created);
      audit(ctx, w.action ?? `${kind.entity}.create`, kind.entity, created.id, null, record(created));
      result = show(created);
    } else {
      const current = find(ctx, kind, w.id);
      if (w.ifMatch !== undefined && versioned(current)) checkIfMatch(w.ifMatch, current.version, `${kind.label} ${w.id}`);
      const before = record(current); // before the change: a cascade may remove what it records
      if ("delete" in w) {
        w.delete(current);
        kind.remove!(ctx, current);
        audit(ctx, w.action ?? `${kind.entity}.delete`, kind.entity, w.id, before, null);
      } else {
        let next = w.update(current);
        // `always`: the change may reach past the entity's view (revoke's grants, licences): compare the audit record too
        const unchanged = same(show(current), show(next)) && (!w.always || same(before, record(next)));
        if (unchanged) {
          result = show(current); // nothing changed: nothing written, same ETag, no audit entry
        } else {
          if (versioned(current)) next = { ...next, version: current.version + 1, updatedAt: ctx.store.now() };
          kind.save(ctx, next, current);
          audit(ctx, w.action ?? `${kind.entity}.update`, kind.entity, w.id, before, record(next));
          result = show(next);
        }
      }
    }
    const idem = ctx.idempotency;
    if (outermost && idem) {
      const { tokenHash, key, ...request } = idem;
      ctx.store.putIdempotent(tokenHash, key, { ...request, body: result ?? null });
    }
    return result;
  });
}

/** The entity, or 404 NOT-FOUND. */
export function find<E>(ctx: Ctx, kind: Pick<Kind<E, unknown>, "load" | "label">, id: string): E {
  const e = kind.load(ctx, id);
  if (e === undefined) throw new Problem(404, "NOT-FOUND", `${kind.label} "${id}" does not exist in this tenant. List them (GET) to find the right id.`, { id });
  return e;
}

export function checkIfMatch(ifMatch: string, version: number, what: string): void {
  // If-Match compares strongly (RFC 9110 13.1.1): a weak tag (W/"…") never matches
  const tags = ifMatch.split(",").map((s) => s.trim()).filter((t) => !t.startsWith("W/"));
  if (tags.includes("*") || tags.includes(etagOf(version)) || tags.includes(String(version))) return;
  throw new Problem(412, "ETAG", `${what} changed since you read it (If-Match ${ifMatch}, current ETag ${etagOf(version)}). GET it again, reapply your change and retry with the new ETag.`, { currentEtag: etagOf(version) });
}

function audit(ctx: Ctx, action: string, entity: string, entityId: string, before: unknown, after: unknown): void {
  ctx.store.appendAudit(ctx.tenant.id, { at: ctx.store.now(), actor: ctx.actor.email, action, entity, entityId, before: before ?? null, after: after ?? null, requestId: ctx.requestId });
}

/**
 * The answer stored for an Idempotency-Key, to send again, or null when the key is new. The same key
 * with another method, path or body is 422 IDEMPOTENCY-MISMATCH.
 */
export function storedAnswer(store: Store, req: IdempotentRequest): StoredResponse | null {
  if (req.key.length > 200) throw new Problem(422, "IDEMPOTENCY-KEY", "Idempotency-Key is longer than 200 characters. Use a shorter key (a UUID is fine).");
  const prior = store.getIdempotent(req.tokenHash, req.key);
  if (!prior) return null;
  if (prior.method !== req.method || prior.path !== req.path || prior.bodyHash !== req.bodyHash) {
    throw new Problem(422, "IDEMPOTENCY-MISMATCH", `Idempotency-Key "${req.key}" was first used for ${prior.method} ${prior.path} with a different body. Use a new key for a different request.`);
  }
  return prior;
}
