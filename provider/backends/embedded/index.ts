// `embedded`: the reference platform's API (platform/README.md), the first backend and the default.
// Its requests are typed by path and method from ./wire.ts (generated from platform/openapi.json),
// its role keys are ./keys.ts. It carries every kind and field the provider has.
import type { ReportPermission } from "../../../schema";
import { PlatformClient, PlatformError } from "../../client";
import type { Settings } from "../../session";
import type { Backend, Capabilities, GrantRecord, NamedRecord, RateLimitFacts, Refusal, RoleRecord, RoleStore, Store, UserRecord, UserStore, NamedCreate, NamedChange, TenantSettings, Credential } from "../backend";
import { Http, type ItemOf } from "./http";
import { permissionsOfKeys, REPORT_PERMISSION_KEY, REPORT_PERMISSION_OF, roleKeys, userFromApi } from "./keys";

/** The run's collections by the path the client pages through (progress displays name the collection). */
const COLLECTION_OF_PATH: Record<string, string> = { "/users": "users", "/workspace-grants": "grants", "/directory": "directory" };

const userOf = (u: ItemOf<"/users">): UserRecord => ({
  id: u.id, etag: u.etag, origin: u.origin, extension: u.extension, displayName: u.displayName, email: u.email,
  roles: u.roles, softphoneDevice: u.softphoneDevice, groups: u.groups, primaryGroup: u.primaryGroup,
});
const namedOf = (e: ItemOf<"/groups">): NamedRecord => ({ id: e.id, etag: e.etag, name: e.name, description: e.description ?? "" });
const grantOf = (g: ItemOf<"/workspace-grants">): GrantRecord => ({ id: g.id, etag: g.etag, workspaceId: g.workspaceId, userId: g.userId, access: g.access });
const roleOf = (r: ItemOf<"/roles">): RoleRecord => ({
  id: r.id, etag: r.etag, name: r.name, description: r.description ?? "", preset: r.preset, accountScopes: r.accountScopes,
  reportPermissions: r.permissions.map((p) => REPORT_PERMISSION_OF.get(p)).filter((p): p is ReportPermission => p !== undefined),
});
const permissionKeys = (ps: readonly ReportPermission[]) => ps.map((p) => REPORT_PERMISSION_KEY[p]).sort();

export class EmbeddedBackend implements Backend {
  readonly name = "embedded";
  readonly client: PlatformClient;
  private readonly http: Http;

  constructor(settings: Settings) {
    const { endpoint, token, requestBudget: budget, maxAttempts, rateLimitWaitMs, onPage } = settings;
    this.client = new PlatformClient({
      endpoint, token, budget, maxAttempts, rateLimitWaitMs,
      onPage: onPage && ((path, n) => onPage(COLLECTION_OF_PATH[path] ?? path.slice(1), n)),
    });
    this.http = new Http(this.client);
  }

  /** The reference platform carries every kind and field. */
  async capabilities(): Promise<Capabilities> {
    return { kinds: { user: true, group: true, workspace: true, "workspace-grant": true, role: true } };
  }

  async tenant(): Promise<TenantSettings> {
    const t = await this.http.call("GET", "/tenant");
    return {
      profile: t.profile, recordingBucket: t.recordingBucket !== null, agentAutoAssign: t.agentAutoAssign, realTimeWithLive: t.realTimeWithLive,
      ...(t.x8LicenceTiers ? { x8LicenceTiers: t.x8LicenceTiers } : {}),
    };
  }

  async credential(): Promise<Credential> {
    const me = await this.http.call("GET", "/me");
    return { email: me.user.email, permissions: permissionsOfKeys(me.permissions) };
  }

  async directory() {
    return (await this.http.list("/directory")).map((d) => ({ ...d, acdAgent: d.acdAgent ?? false }));
  }

  async licences() {
    const { items } = await this.http.call("GET", "/licences");
    return Object.fromEntries(items.map((l) => [l.key, { capacity: l.capacity, inUse: l.inUse }]));
  }

  readonly users: UserStore = {
    list: async () => (await this.http.list("/users")).map(userOf),
    get: async (id) => userOf(await this.http.call("GET", "/users/{id}", { params: { id } })),
    create: async (fields) => userOf(await this.http.call("POST", "/users", { body: { origin: "manual", ...fields } })),
    update: async (id, change, etag) => userOf(await this.http.call("PATCH", "/users/{id}", { params: { id }, body: change, ifMatch: etag })),
    delete: async (id) => { await this.http.call("DELETE", "/users/{id}", { params: { id } }); },
    revoke: async (id) => userOf(await this.http.call("POST", "/users/{id}/revoke", { params: { id } })),
    keysOf: roleKeys,
    declarationOf: userFromApi,
  };

  readonly groups: Store<NamedRecord, NamedCreate, NamedChange> = {
    list: async () => (await this.http.list("/groups")).map(namedOf),
    get: async (id) => namedOf(await this.http.call("GET", "/groups/{id}", { params: { id } })),
    create: async (fields) => namedOf(await this.http.call("POST", "/groups", { body: fields })),
    update: async (id, change, etag) => namedOf(await this.http.call("PATCH", "/groups/{id}", { params: { id }, body: change, ifMatch: etag })),
    delete: async (id) => { await this.http.call("DELETE", "/groups/{id}", { params: { id } }); },
  };

  readonly workspaces: Store<NamedRecord, NamedCreate, NamedChange> = {
    list: async () => (await this.http.list("/workspaces")).map(namedOf),
    get: async (id) => namedOf(await this.http.call("GET", "/workspaces/{id}", { params: { id } })),
    create: async (fields) => namedOf(await this.http.call("POST", "/workspaces", { body: fields })),
    update: async (id, change, etag) => namedOf(await this.http.call("PATCH", "/workspaces/{id}", { params: { id }, body: change, ifMatch: etag })),
    delete: async (id) => { await this.http.call("DELETE", "/workspaces/{id}", { params: { id } }); },
  };

  readonly grants: Backend["grants"] = {
    list: async () => (await this.http.list("/workspace-grants")).map(grantOf),
    get: async (id) => grantOf(await this.http.call("GET", "/workspace-grants/{id}", { params: { id } })),
    create: async (fields) => grantOf(await this.http.call("POST", "/workspace-grants", { body: fields })),
    update: async (id, change, etag) => grantOf(await this.http.call("PATCH", "/workspace-grants/{id}", { params: { id }, body: change, ifMatch: etag })),
    delete: async (id) => { await this.http.call("DELETE", "/workspace-grants/{id}", { params: { id } }); },
  };

  readonly roles: RoleStore = {
    list: async () => (await this.http.list("/roles")).map(roleOf),
    get: async (id) => roleOf(await this.http.call("GET", "/roles/{id}", { params: { id } })),
    create: async ({ reportPermissions, ...fields }) =>
      roleOf(await this.http.call("POST", "/roles", { body: { ...fields, permissions: permissionKeys(reportPermissions) } })),
    update: async (id, { reportPermissions, ...fields }, etag) =>
      roleOf(await this.http.call("PATCH", "/roles/{id}", { params: { id }, body: { ...fields, permissions: permissionKeys(reportPermissions) }, ifMatch: etag })),
    delete: async (id) => { await this.http.call("DELETE", "/roles/{id}", { params: { id } }); },
    holders: async (id) => (await this.http.call("GET", "/roles/{id}/assignments", { params: { id } })).userIds,
    // The platform replaces the whole set: read it with its version, apply the change, write it back
    // under If-Match; a holder assigned in the portal meanwhile (412) is read again, never overwritten.
    changeHolders: async (id, change) => {
      for (let attempt = 0; ; attempt++) {
        const now = await this.http.call("GET", "/roles/{id}/assignments", { params: { id } });
        const remove = new Set(change.remove);
        const userIds = [...new Set([...now.userIds.filter((u) => !remove.has(u)), ...change.add])].sort();
        if (userIds.length === now.userIds.length && userIds.every((u, i) => u === [...now.userIds].sort()[i])) return;
        try {
          await this.http.call("PUT", "/roles/{id}/assignments", { params: { id }, body: { userIds }, ifMatch: now.etag });
          return;
        } catch (err) {
          if (attempt >= 3 || this.refusal(err)?.kind !== "stale") throw err;
        }
      }
    },
  };

  /** The platform's problem+json codes (platform/codes.ts) in the provider's terms. */
  refusal(err: unknown): Refusal | undefined {
    if (!(err instanceof PlatformError)) return undefined;
    if (err.status === 409 && typeof err.problem.existingId === "string") return { kind: "exists", existingId: err.problem.existingId };
    if (err.status === 409 && err.code === "LIC-1") return { kind: "capacity" };
    if (err.status === 412) return { kind: "stale" };
    if (err.status === 404) return { kind: "gone" };
    return undefined;
  }

  rateLimits(): RateLimitFacts {
    return { limits: this.client.pacer.limits(), sent: this.client.sent, refused: this.client.rateLimited };
  }
}
