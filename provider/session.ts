import type * as pulumi from "@pulumi/pulumi";
import { TenantFacts } from "../schema";
import type { ApiDirectoryEntry, ApiGrant, ApiGroup, ApiLicence, ApiMe, ApiRole, ApiTenant, ApiUser, ApiWorkspace } from "./api";
import { PlatformClient } from "./client";
import { permissionsOfKeys, userFromApi } from "./keys";
import { configValue } from "./runtime/host";

/** Where the provider talks to when nothing is configured: the embedded platform (`npm run platform`). */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:4780";

export interface Settings {
  endpoint: string;
  token: string;
  requestBudget?: number;
  /** How long a create or update waits for a licence another operation of the same run may release. */
  licenceWaitMs: number;
  /** Attempts per request (default: the client's). */
  maxAttempts?: number;
  /** Progress of list reads (see ClientOptions.onPage). */
  onPage?: (path: string, itemsSoFar: number) => void;
}

/** Stack configuration first, then the environment: the token never lives in the program or in state. */
export function settingsFrom(req?: pulumi.dynamic.ConfigureRequest, env: NodeJS.ProcessEnv = process.env): Settings {
  const get = (key: string, envName: string) => (req ? configValue(req, key) : undefined) ?? env[envName];
  const token = get("token", "ANALYTICS_ACCESS_TOKEN");
  if (!token)
    throw new Error("no API token: set it with `pulumi config set --secret analytics-access:token <token>` or the ANALYTICS_ACCESS_TOKEN environment variable");
  const budget = get("requestBudget", "ANALYTICS_ACCESS_REQUEST_BUDGET");
  const wait = get("licenceWaitSeconds", "ANALYTICS_ACCESS_LICENCE_WAIT_SECONDS");
  return {
    endpoint: get("endpoint", "ANALYTICS_ACCESS_ENDPOINT") ?? DEFAULT_ENDPOINT,
    token,
    requestBudget: budget ? Number(budget) : undefined,
    licenceWaitMs: (wait ? Number(wait) : 60) * 1000,
  };
}

/**
 * One per host process, i.e. one per Pulumi run: the client and the collections read once and
 * served to every resource (a refresh of N users costs one list, not N GETs).
 */
export class Session {
  readonly client: PlatformClient;
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(readonly settings: Settings) {
    this.client = new PlatformClient({ endpoint: settings.endpoint, token: settings.token, budget: settings.requestBudget, maxAttempts: settings.maxAttempts, onPage: settings.onPage });
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

  /** Forget a collection after writing to it, so later reads in this run see the write. */
  invalidate(...keys: string[]) { for (const k of keys) this.memo.delete(k); }

  me() { return this.once("me", () => this.client.get<ApiMe>("/me")); }
  tenant() { return this.once("tenant", () => this.client.get<ApiTenant>("/tenant")); }
  users() { return this.once("users", () => this.client.list<ApiUser>("/users")); }
  groups() { return this.once("groups", () => this.client.list<ApiGroup>("/groups")); }
  workspaces() { return this.once("workspaces", () => this.client.list<ApiWorkspace>("/workspaces")); }
  grants() { return this.once("grants", () => this.client.list<ApiGrant>("/workspace-grants")); }
  roles() { return this.once("roles", () => this.client.list<ApiRole>("/roles")); }
  directory() { return this.once("directory", () => this.client.list<ApiDirectoryEntry>("/directory")); }
  licences() { return this.once("licences", () => this.client.list<ApiLicence>("/licences")); }

  async groupNames(): Promise<(id: string) => string> {
    const byId = new Map((await this.groups()).map((g) => [g.id, g.name]));
    return (id) => byId.get(id) ?? id;
  }

  /** Everything the rules need to know about the live tenant, read once per run. */
  facts(): Promise<TenantFacts> {
    return this.once("facts", async () => {
      const [me, tenant, directory, licences, users, groupName, groups, workspaces, grants, roles] = await Promise.all([
        this.me(), this.tenant(), this.directory(), this.licences(), this.users(), this.groupNames(), this.groups(), this.workspaces(), this.grants(), this.roles(),
      ]);
      const userRef = new Map(users.map((u) => [u.id, u.email]));
      const workspaceName = new Map(workspaces.map((w) => [w.id, w.name]));
      return TenantFacts.parse({
        profile: tenant.profile,
        licences: Object.fromEntries(licences.map((l) => [l.key, { capacity: l.capacity, inUse: l.inUse }])),
        recordingBucket: tenant.recordingBucket !== null,
        agentAutoAssign: tenant.agentAutoAssign,
        realTimeWithLive: tenant.realTimeWithLive,
        ...(tenant.x8LicenceTiers ? { x8LicenceTiers: tenant.x8LicenceTiers } : {}),
        directory: directory.map((d) => ({ ...d, acdAgent: d.acdAgent ?? false })),
        credential: { email: me.user.email, permissions: permissionsOfKeys(me.permissions) },
        users: users.map((u) => userFromApi(u, groupName)),
        groups: groups.map((g) => g.name),
        workspaces: workspaces.map((w) => w.name),
        grants: grants.map((g) => ({ user: userRef.get(g.userId) ?? g.userId, workspace: workspaceName.get(g.workspaceId) ?? g.workspaceId, access: g.access })),
        roles: roles.map((r) => ({ name: r.name, preset: r.preset })),
      });
    });
  }
}

let current: Session | undefined;
let configured: Settings | undefined;

/** Called by every handler's configure; the first call of the process wins (all kinds share one stack config). */
export function configureSession(req: pulumi.dynamic.ConfigureRequest): void {
  configured ??= settingsFrom(req);
}

export function session(): Session {
  current ??= new Session(configured ?? settingsFrom());
  return current;
}

/** For tests that run handlers in-process against several platforms. */
export function resetSession(settings?: Settings): void {
  current = undefined;
  configured = settings;
}
