import type * as pulumi from "@pulumi/pulumi";
import { PROFILES, TenantFacts, uncheckedRules, type User } from "../schema";
import { createBackend } from "./backends";
import type { Backend, Collections, UserRecord } from "./backends/backend";
import { Plan } from "./plan";
import { configValue } from "./runtime/host";

/** Where the provider talks to when nothing is configured: the embedded platform (`npm run platform`). */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:4780";

export interface Settings {
  /** The backend (./backends/index.ts) that talks to the portal; default `embedded`. */
  backend?: string;
  endpoint: string;
  token: string;
  requestBudget?: number;
  /** How long a create or update waits for a licence another operation of the same run may release. */
  licenceWaitMs: number;
  /** Attempts per request (default: the client's). */
  maxAttempts?: number;
  /** Longest a request keeps coming back after a 429 (default: the client's, 5 minutes). */
  rateLimitWaitMs?: number;
  /** Progress of list reads: the collection ("users", "grants", …) and the items read so far. */
  onPage?: (collection: string, itemsSoFar: number) => void;
  /** Any `analytics-access:<key>` value (stack configuration, then the environment's ANALYTICS_ACCESS_<KEY>): what a backend needs beyond the above. */
  config?: (key: string) => string | undefined;
}

/** Stack configuration first, then the environment: the token never lives in the program or in state. */
export function settingsFrom(req?: pulumi.dynamic.ConfigureRequest, env: NodeJS.ProcessEnv = process.env): Settings {
  const get = (key: string, envName: string) => (req ? configValue(req, key) : undefined) ?? env[envName];
  const config = (key: string) => get(key, `ANALYTICS_ACCESS_${key.replace(/[A-Z]/g, (c) => `_${c}`).replace(/-/g, "_").toUpperCase()}`);
  const token = get("token", "ANALYTICS_ACCESS_TOKEN");
  if (!token)
    throw new Error("no API token: set it with `pulumi config set --secret analytics-access:token <token>` or the ANALYTICS_ACCESS_TOKEN environment variable");
  const budget = get("requestBudget", "ANALYTICS_ACCESS_REQUEST_BUDGET");
  const wait = get("licenceWaitSeconds", "ANALYTICS_ACCESS_LICENCE_WAIT_SECONDS");
  return {
    backend: get("backend", "ANALYTICS_ACCESS_BACKEND"),
    endpoint: get("endpoint", "ANALYTICS_ACCESS_ENDPOINT") ?? DEFAULT_ENDPOINT,
    token,
    requestBudget: budget ? Number(budget) : undefined,
    licenceWaitMs: (wait ? Number(wait) : 60) * 1000,
    config,
  };
}

/**
 * One per host process, i.e. one per Pulumi run: the backend, and the tenant read once. Each
 * collection is listed once per run and then kept current by this run's own writes (`put`,
 * `remove`), never listed again: a refresh of N users costs one list, and an `up` of N changes
 * costs N writes plus one list per collection.
 */
export class Session {
  /** The portal, through the backend the settings name (./backends). */
  readonly backend: Backend;
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly waiters: { collection: keyof Collections; match: (e: unknown) => boolean; resolve: (e: unknown) => void }[] = [];

  constructor(readonly settings: Settings, backend?: Backend) {
    this.backend = backend ?? createBackend(settings);
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      p.catch(() => this.memo.delete(key)); // a failed read is retried by the next caller
      this.memo.set(key, p);
    }
    return p;
  }

  credential() { return this.once("credential", () => this.backend.credential()); }
  tenant() { return this.once("tenant", () => this.backend.tenant()); }
  list<K extends keyof Collections>(collection: K): Promise<Collections[K][]> {
    return this.once(collection, () => this.backend[collection].list() as Promise<Collections[K][]>);
  }
  /** An entity of the collection by its id, from the run's list (an index kept with it). */
  async byId<K extends keyof Collections>(collection: K, id: string): Promise<Collections[K] | undefined> {
    return (await this.indexOf(collection)).get(id) as Collections[K] | undefined;
  }

  /** The live user a declaration names: a PBX user by extension, a manual one by email (case-insensitive, any origin: MAIL-1 then says which). */
  async userByKey(key: { origin: "pbx" | "manual"; extension?: string | null; email?: string | null }): Promise<UserRecord | undefined> {
    const keys = await this.once("usersByKey", async () => {
      const m = new Map<string, UserRecord>();
      for (const u of await this.users()) for (const k of userKeys(u)) if (!m.has(k)) m.set(k, u);
      return m;
    });
    return keys.get(key.origin === "pbx" ? `pbx:${key.extension ?? ""}` : `mail:${(key.email ?? "").toLowerCase()}`);
  }

  private indexOf(collection: keyof Collections): Promise<Map<string, unknown>> {
    return this.once(`${collection}ById`, async () => new Map((await this.list(collection)).map((e) => [(e as { id: string }).id, e] as const)));
  }

  /** The run's indexes of a collection after a write: `before` out, `after` in. */
  private async reindex(collection: keyof Collections, before: unknown, after: unknown): Promise<void> {
    const byId = this.memo.has(`${collection}ById`) ? await this.indexOf(collection) : undefined;
    if (before) byId?.delete((before as { id: string }).id);
    if (after) byId?.set((after as { id: string }).id, after);
    if (collection !== "users" || !this.memo.has("usersByKey")) return;
    const keys = (await this.memo.get("usersByKey")) as Map<string, UserRecord>;
    if (before) for (const k of userKeys(before as UserRecord)) if (keys.get(k) === before) keys.delete(k);
    if (after) for (const k of userKeys(after as UserRecord)) keys.set(k, after as UserRecord);
  }

  users() { return this.list("users"); }
  groups() { return this.list("groups"); }
  workspaces() { return this.list("workspaces"); }
  grants() { return this.list("grants"); }
  roles() { return this.list("roles"); }
  directory() { return this.once("directory", () => this.backend.directory()); }
  licences() { return this.once("licences", () => this.backend.licences()); }

  /** After a write: the entity as the platform answered it, in its collection (replacing the one with its id). */
  async put<K extends keyof Collections>(collection: K, entity: Collections[K] & { id: string }): Promise<void> {
    const list = (await this.list(collection)) as (Collections[K] & { id: string })[];
    const before = await this.byId(collection, entity.id);
    const at = before === undefined ? -1 : list.indexOf(before as Collections[K] & { id: string }, this.positionHint(list, before));
    if (at >= 0) list[at] = entity;
    else list.push(entity);
    await this.reindex(collection, before, entity);
    for (const w of this.waiters.filter((x) => x.collection === collection && x.match(entity))) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(entity);
    }
  }

  /** After a delete: the entity gone from its collection. */
  async remove(collection: keyof Collections, id: string): Promise<void> {
    const list = (await this.list(collection)) as { id: string }[];
    const before = await this.byId(collection, id);
    const at = before === undefined ? -1 : list.indexOf(before as { id: string });
    if (at >= 0) list.splice(at, 1);
    await this.reindex(collection, before, undefined);
  }

  /** Where to start looking for an entity in its list: lists come sorted by id, so a binary search lands on or just before it. */
  private positionHint(list: readonly { id: string }[], e: unknown): number {
    const id = (e as { id: string }).id;
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid].id < id) lo = mid + 1; else hi = mid; }
    return list[lo] === e ? lo : 0;
  }

  /**
   * An entity of the collection, or, when this run declared it and its create has not finished
   * yet (a user in a group created alongside it without dependsOn), the entity once that create
   * puts it. `undefined` when it exists nowhere, or did not appear within `waitMs`.
   */
  async find<K extends keyof Collections>(collection: K, match: (e: Collections[K]) => boolean, opts: { declared: boolean; waitMs: number }): Promise<Collections[K] | undefined> {
    const found = (await this.list(collection)).find(match);
    if (found || !opts.declared) return found;
    return new Promise((resolve) => {
      const w = { collection, match: match as (e: unknown) => boolean, resolve: (e: unknown) => { clearTimeout(timer); resolve(e as Collections[K]); } };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        resolve(undefined);
      }, opts.waitMs);
      this.waiters.push(w);
    });
  }

  async groupNames(): Promise<(id: string) => string> {
    const byId = await this.indexOf("groups");
    return (id) => (byId.get(id) as { name: string } | undefined)?.name ?? id;
  }

  /** Everything the rules need to know about the live tenant, read once. */
  facts(): Promise<TenantFacts> {
    return this.once("facts", async () => {
      const [credential, tenant, directory, licences, users, groupName, groups, workspaces, grants, roles] = await Promise.all([
        this.credential(), this.tenant(), this.directory(), this.licences(), this.users(), this.groupNames(), this.groups(), this.workspaces(), this.grants(), this.roles(),
      ]);
      const userRef = new Map(users.map((u) => [u.id, u.email]));
      // Who holds each named role (Office@Hand, IntelePeer): the review and the rules see live
      // holders as the users' `roles`, so a role's holders outside the manifest are known.
      const heldBy = new Map<string, string[]>();
      if (PROFILES[tenant.profile].roles === "named")
        for (const [r, ids] of await Promise.all(roles.map(async (r) => [r, await this.backend.roles.holders(r.id).catch((err) => {
          if (this.backend.refusal(err)?.kind === "gone") return []; // deleted by this run meanwhile
          throw err;
        })] as const)))
          for (const id of ids) heldBy.set(id, [...(heldBy.get(id) ?? []), r.name]);
      const withRoles = (u: User, id: string): User => (heldBy.has(id) ? { ...u, roles: [...new Set([...(u.roles ?? []), ...heldBy.get(id)!])].sort() } : u);
      const workspaceName = new Map(workspaces.map((w) => [w.id, w.name]));
      // The users and the directory come from the backend already in the schema's parsed types
      // (declarationOf builds each `User`), so only the rest goes through zod: parsing 100,000
      // users again cost as much as normalizing them.
      const facts = TenantFacts.parse({
        ...tenant,
        licences,
        credential,
        groups: groups.map((g) => g.name),
        workspaces: workspaces.map((w) => w.name),
        grants: grants.map((g) => ({ user: userRef.get(g.userId) ?? g.userId, workspace: workspaceName.get(g.workspaceId) ?? g.workspaceId, access: g.access })),
        roles: roles.map((r) => ({ name: r.name, preset: r.preset })),
      });
      return { ...facts, directory, users: users.map((u) => withRoles(this.backend.users.declarationOf(u, groupName), u.id)) };
    });
  }

  /** This run's plan: what its Checks declared, judged with the tenant as read once (./plan.ts). */
  plan(): Promise<Plan> {
    return this.once("plan", async () => {
      const facts = await this.facts();
      // Nothing silent: rules the portal gives no facts for are said once per run, not passed.
      const unchecked = uncheckedRules(facts);
      if (unchecked.length)
        console.warn(`analytics-access: ${this.backend.name}: ${unchecked.join(", ")} cannot be judged at preview, since this portal does not tell what they need (the acting credential's permissions, the phone directory…); the portal judges them when \`up\` writes`);
      return new Plan(facts);
    });
  }

  /**
   * What reading state into declarations needs, without the rest of the tenant: a refresh that
   * runs no Check pays for the tenant's settings (and its directory under Agent auto-assignment),
   * not for every collection. The same normalization as `plan()`, which it is when already read.
   */
  readingPlan(): Promise<Plan> {
    if (this.memo.has("plan")) return this.plan();
    return this.once("readingPlan", async () => {
      const tenant = await this.tenant();
      const directory = tenant.agentAutoAssign ? await this.directory() : undefined;
      return new Plan(TenantFacts.parse({ profile: tenant.profile, agentAutoAssign: tenant.agentAutoAssign, realTimeWithLive: tenant.realTimeWithLive, ...(directory ? { directory } : {}) }));
    });
  }
}

/** A user's keys in the run's index: its email (lower-case), and a PBX user's extension. */
const userKeys = (u: UserRecord): string[] => [`mail:${u.email.toLowerCase()}`, ...(u.origin === "pbx" ? [`pbx:${u.extension ?? ""}`] : [])];

let current: Session | undefined;
let configured: Settings | undefined;
let configuredBackend: Backend | undefined;

/** Called by every handler's configure; the first call of the process wins (all kinds share one stack config). */
export function configureSession(req: pulumi.dynamic.ConfigureRequest): void {
  configured ??= settingsFrom(req);
}

export function session(): Session {
  current ??= new Session(configured ?? settingsFrom(), configuredBackend);
  return current;
}

/** For tests that run handlers in-process against several platforms (or a backend of their own). */
export function resetSession(settings?: Settings, backend?: Backend): void {
  current = undefined;
  configured = settings;
  configuredBackend = backend;
}
