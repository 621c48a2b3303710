// `ringcentral`: AT&T Office@Hand through RingCentral's REST API (../../../../shared/VENDOR-APIS.md §2),
// by the official SDK (@ringcentral/sdk: JWT login, token refresh). Users are extensions (read-only:
// the phone system makes them); named roles are custom user roles (presets are the standard roles
// of /dictionary/user-role, read-only); holders are assigned roles, changed by one bulk-assign per
// role per run. Report permissions are found in /dictionary/permission by display name. Requests are
// budgeted per rate-limit group so a run never provokes the penalty; a 429's Retry-After is obeyed.
// The JWT (analytics-access:token) and the tokens it buys are never logged, stored or put in errors.
import { createHash } from "node:crypto";
import { SDK } from "@ringcentral/sdk";
import type { ReportPermission, User } from "../../../schema";
import type { Settings } from "../../session";
import type { Backend, Capabilities, Credential, GrantRecord, NamedChange, NamedCreate, NamedRecord, RateLimitFacts, Refusal, RoleFields, RoleRecord, RoleStore, RoleWrite, Store, TenantSettings, UserRecord, UserStore } from "../backend";
import { Budget, type Group } from "./budget";

/** The Analytics Portal report permissions by the display names RingCentral's role editor shows (VENDOR-APIS.md §2.5). */
export const REPORT_PERMISSION_NAMES: Record<ReportPermission, string> = {
  adoptionAndUsage: "Adoption and Usage Reports",
  companyNumbers: "Company Numbers Reports",
  liveReportsFullAccess: "Live Reports \u2013 Full Access",
  liveReportsViewOnly: "Live Reports \u2013 View Only",
  performance: "Performance Reports",
  qualityOfServiceAlerts: "Quality of Service Reports \u2013 Alerts",
  qualityOfServiceFullAccess: "Quality of Service Reports \u2013 Full Access",
};
/** Display names compared without case, spacing or dash differences ("Live Reports - Full Access"). */
const norm = (s: string) => s.toLowerCase().replace(/[\u2010-\u2015-]/g, "-").replace(/\s+/g, " ").trim();

const V1 = "/restapi/v1.0";
const ACCOUNT = `${V1}/account/~`;
const NO_API = "Office@Hand (RingCentral) has no Analytics Portal";

/** A refusal from RingCentral: status and errorCode (the message never holds a token). */
export class RingCentralError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string) { super(message); this.name = "RingCentralError"; }
}
/** A create that found the entity already there (a retried create whose first answer was lost, or a role made meanwhile). */
class Exists extends Error { constructor(readonly existingId: string, what: string) { super(`${what} already exists (id ${existingId})`); } }

interface Page<T> { records: T[]; navigation?: { nextPage?: { uri: string } } }
interface RcRole { id: string; displayName: string; description?: string; custom?: boolean; permissions?: { id: string }[] }
interface RcExtension { id: number | string; extensionNumber?: string; name?: string; type?: string; contact?: { firstName?: string; lastName?: string; email?: string } }

type Platform = ReturnType<SDK["platform"]>;
/**
 * RingCentral keeps no versions (no ETag, no If-Match): a record's etag here is a digest of what was
 * read, so state and refresh have one to compare; writes are never conditional on it.
 */
const digest = (v: unknown) => `"rc-${createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 16)}"`;
const header = (res: Response, name: string) => { const v = res.headers.get(name); return v === null ? undefined : Number(v); };

/** The group each write of a role is counted in (VENDOR-APIS.md §2.7): what the calls below send, and what preview tallies. */
const ROLE_WRITE_GROUPS = { create: "Medium", update: "Medium", delete: "Medium", holders: "Heavy" } as const satisfies Record<RoleWrite, Group>;

export class RingCentralBackend implements Backend {
  readonly roleWriteGroups = ROLE_WRITE_GROUPS;
  readonly name = "ringcentral";
  private readonly platform: Platform;
  private readonly budget = new Budget();
  private readonly jwt: string;
  private readonly clientId: string | undefined;
  private login?: Promise<void>;
  private sent = 0;
  private refused = 0;
  private readonly maxAttempts: number;
  private readonly rateLimitWaitMs: number;
  // Read once per run.
  private permissionIds?: Promise<Map<ReportPermission, string>>;
  private permissionOf?: Map<string, ReportPermission>;
  private extensions?: Promise<RcExtension[]>;
  private assigned?: Promise<Map<string, Set<string>>>;
  /** Permissions of a custom role that are not report permissions: kept on every update. */
  private readonly otherPermissions = new Map<string, string[]>();

  constructor(private readonly settings: Settings) {
    this.clientId = settings.config?.("clientId");
    const clientSecret = settings.config?.("clientSecret");
    this.jwt = settings.token;
    this.maxAttempts = settings.maxAttempts ?? 8;
    this.rateLimitWaitMs = settings.rateLimitWaitMs ?? 300_000;
    this.platform = new SDK({ server: settings.endpoint.replace(/\/+$/, ""), clientId: this.clientId ?? "", clientSecret: clientSecret ?? "", handleRateLimit: false, appName: "analytics-access" }).platform();
    // Token refreshes are the SDK's; they count against Auth.
    this.platform.on(this.platform.events.refreshSuccess, () => { this.sent++; });
  }

  // ---------- transport ----------
  private async loggedIn(): Promise<void> {
    if (!this.clientId) throw new Error("the ringcentral backend needs the app's client id: `pulumi config set analytics-access:clientId <id>` (and --secret analytics-access:clientSecret)");
    this.login ??= this.attempt("Auth", "POST /restapi/oauth/token", () => this.platform.login({ jwt: this.jwt })).then(() => undefined);
    this.login.catch(() => (this.login = undefined));
    return this.login;
  }

  /** One request through the group's budget, retried on 429 (after Retry-After), 5xx and lost connections. */
  private async attempt(group: Group, what: string, send: () => Promise<Response>): Promise<Response> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      await this.budget.take(group);
      this.sent++;
      let res: Response | undefined;
      let lost: unknown;
      try {
        res = await send();
      } catch (err) {
        res = (err as { response?: Response }).response;
        if (!res) lost = err;
      }
      // A 429's Remaining (0) is the penalty's business, which Retry-After says; others say what is left.
      if (res) this.budget.learn(group, { limit: header(res, "x-rate-limit-limit"), windowSeconds: header(res, "x-rate-limit-window"), remaining: res.status === 429 ? undefined : header(res, "x-rate-limit-remaining") });
      if (res?.ok) return res;
      if (res?.status === 429) {
        this.refused++;
        const after = header(res, "retry-after") ?? 30; // none: wait at least 30 s (§2.7)
        this.budget.hold(group, after);
        if (Date.now() - started + after * 1000 > this.rateLimitWaitMs) throw new Error(`${what}: RingCentral kept answering 429 (rate limit) for longer than ${this.rateLimitWaitMs / 1000} s; try again later`);
        continue;
      }
      const retriable = lost !== undefined || (res !== undefined && res.status >= 500);
      if (retriable && attempt < this.maxAttempts) {
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
        continue;
      }
      if (!res) throw new Error(`${what}: no answer from RingCentral after ${attempt} attempts (${lost instanceof Error ? lost.message.replace(this.jwt, "[jwt]") : "connection lost"})`);
      let body: { errorCode?: string; message?: string; error_description?: string; error?: string } = {};
      try { body = (await res.clone().json()) as typeof body; } catch { /* not JSON */ }
      const code = body.errorCode ?? body.error ?? String(res.status);
      throw new RingCentralError(res.status, code, `${what}: RingCentral answered ${res.status} ${code}: ${body.message ?? body.error_description ?? res.statusText}`);
    }
  }

  private async call<T>(group: Group, method: "GET" | "POST" | "PUT" | "DELETE", url: string, opts: { query?: Record<string, unknown>; body?: unknown } = {}): Promise<T> {
    await this.loggedIn();
    const res = await this.attempt(group, `${method} ${url}`, () => this.platform.send({ method, url, query: opts.query, body: opts.body }));
    // Each write tells what the run has used of each group so far (the provider's output reaches the user).
    if (method !== "GET") console.warn(`analytics-access: ringcentral: ${this.usage()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Every record of a paged list: page by page until navigation has no nextPage. */
  private async all<T>(group: Group, url: string, query: Record<string, unknown> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const p = await this.call<Page<T>>(group, "GET", url, { query: { ...query, page, perPage: 1000 } });
      out.push(...p.records);
      this.settings.onPage?.(url.endsWith("/extension") ? "users" : url.split("/").pop()!, out.length);
      if (!p.navigation?.nextPage || p.records.length === 0) return out;
    }
  }

  // ---------- reads the run shares ----------
  private exts(): Promise<RcExtension[]> {
    this.extensions ??= this.all<RcExtension>("Medium", `${ACCOUNT}/extension`).then((xs) => xs.filter((x) => !x.type || x.type === "User"));
    this.extensions.catch(() => (this.extensions = undefined));
    return this.extensions;
  }

  /** Report permission → the account's permission id, found by display name in /dictionary/permission, once per run. */
  private permissions(): Promise<Map<ReportPermission, string>> {
    this.permissionIds ??= (async () => {
      const dict = await this.all<{ id: string; displayName?: string }>("Light", `${V1}/dictionary/permission`);
      const byName = new Map(dict.map((p) => [norm(p.displayName ?? ""), p.id]));
      const ids = new Map<ReportPermission, string>();
      for (const [perm, name] of Object.entries(REPORT_PERMISSION_NAMES) as [ReportPermission, string][]) {
        const id = byName.get(norm(name));
        if (id) ids.set(perm, id);
      }
      this.permissionOf = new Map([...ids].map(([p, id]) => [id, p]));
      return ids;
    })();
    this.permissionIds.catch(() => (this.permissionIds = undefined));
    return this.permissionIds;
  }

  private async permissionIdsOf(perms: readonly ReportPermission[]): Promise<string[]> {
    const ids = await this.permissions();
    const missing = perms.filter((p) => !ids.has(p));
    if (missing.length)
      throw new Error(`RingCentral's permission dictionary (/restapi/v1.0/dictionary/permission) has no permission named ${missing.map((p) => `"${REPORT_PERMISSION_NAMES[p]}" (${p})`).join(", ")}: the account's service plan may not include the Analytics Portal, or the name differs; check the role editor in the Admin Portal`);
    return perms.map((p) => ids.get(p)!);
  }

  private async roleOf(r: RcRole, preset: boolean): Promise<RoleRecord> {
    await this.permissions();
    const ids = (r.permissions ?? []).map((p) => p.id);
    const report = ids.map((id) => this.permissionOf!.get(id)).filter((p): p is ReportPermission => p !== undefined);
    if (!preset) this.otherPermissions.set(r.id, ids.filter((id) => !this.permissionOf!.has(id)).sort());
    const rec = { id: r.id, name: r.displayName, description: r.description ?? "", reportPermissions: [...new Set(report)].sort(), accountScopes: [], preset };
    return { ...rec, etag: digest([rec, ids.sort()]) };
  }

  /** Holders by role, from the paged /assigned-role (one list per run, kept current by this run's bulk-assigns). */
  private assignments(): Promise<Map<string, Set<string>>> {
    this.assigned ??= this.all<{ extensionId: string | number; roles?: { id: string }[] }>("Medium", `${ACCOUNT}/assigned-role`).then((records) => {
      const byRole = new Map<string, Set<string>>();
      for (const rec of records) for (const role of rec.roles ?? []) {
        if (!byRole.has(role.id)) byRole.set(role.id, new Set());
        byRole.get(role.id)!.add(String(rec.extensionId));
      }
      return byRole;
    });
    this.assigned.catch(() => (this.assigned = undefined));
    return this.assigned;
  }

  // ---------- Backend ----------
  async capabilities(): Promise<Capabilities> {
    return {
      kinds: {
        user: true,
        role: true,
        group: `${NO_API} groups: users are extensions, and analytics access is roles with report permissions`,
        workspace: `${NO_API} workspaces`,
        "workspace-grant": `${NO_API} workspaces, so no workspace grants`,
      },
      unsupportedFields: { role: { accountScopes: "Office@Hand roles carry report permissions, not account scopes" } },
    };
  }

  async tenant(): Promise<TenantSettings> {
    await this.loggedIn();
    return { profile: "officeathand", agentAutoAssign: false, realTimeWithLive: false };
  }

  async credential(): Promise<Credential> {
    const me = await this.call<RcExtension>("Light", "GET", `${ACCOUNT}/extension/~`);
    const authz = await this.call<{ permissions?: { permission?: { id?: string } }[] }>("Light", "GET", `${ACCOUNT}/extension/~/authz-profile`);
    const ids = new Set((authz.permissions ?? []).map((p) => p.permission?.id));
    const canAssign = ids.has("EditUserRoles") || ids.has("EditAssignedRoles") || ids.has("Users");
    return { ...(me.contact?.email ? { email: me.contact.email } : {}), permissions: canAssign ? ["websiteAccess", "manageUsers"] : ["websiteAccess"] };
  }

  async directory() {
    return (await this.exts()).filter((x) => x.extensionNumber).map((x) => ({
      extension: x.extensionNumber!, displayName: x.name ?? "", email: x.contact?.email ?? null, serviceLicence: null, acdAgent: false, devices: [],
    }));
  }

  async licences() { return {}; } // Live Reports licences are bought in the Billing Portal; no API reads them

  private userOf(x: RcExtension): UserRecord {
    const rec: UserRecord = { id: String(x.id), origin: "pbx", extension: x.extensionNumber ?? null, displayName: x.name ?? "", email: x.contact?.email ?? "", roles: [], softphoneDevice: null, groups: [], primaryGroup: null };
    return { ...rec, etag: digest(rec) };
  }

  readonly users: UserStore = {
    list: async () => (await this.exts()).map((x) => this.userOf(x)),
    get: async (id) => this.userOf(await this.call<RcExtension>("Light", "GET", `${ACCOUNT}/extension/${encodeURIComponent(id)}`)),
    create: async (u) => {
      throw new Error(`Office@Hand users are RingCentral extensions, made in the phone system; the ringcentral backend does not create ${u.email}. Declare users by extension`);
    },
    // An extension carries no analytics keys of its own (roles do): nothing to write.
    update: async (id, change) => {
      if (change.roles?.length || change.groups?.length || change.softphoneDevice) throw new Error(`RingCentral extension ${id}: the ringcentral backend carries roles only, not user keys, groups or softphones`);
      return this.users.get(id);
    },
    delete: async (id) => { throw new Error(`RingCentral extension ${id} is a phone-system user; the ringcentral backend never deletes extensions`); },
    // Portal access on Office@Hand is the roles a user holds; the Role resources take those away.
    revoke: async (id) => this.users.get(id),
    keysOf: () => [],
    declarationOf: (r: UserRecord): User => ({ email: r.email, displayName: r.displayName, origin: "pbx", ...(r.extension !== null ? { extension: r.extension } : {}), accessType: "essential" }),
  };

  private none<R, C, U>(what: string): Store<R, C, U> {
    const no = async (): Promise<never> => { throw new Error(`${NO_API} ${what}; the ringcentral backend cannot carry them`); };
    return { list: async () => [], get: no, create: no, update: no, delete: no };
  }
  readonly groups: Store<NamedRecord, NamedCreate, NamedChange> = this.none("groups");
  readonly workspaces: Store<NamedRecord, NamedCreate, NamedChange> = this.none("workspaces");
  readonly grants: Backend["grants"] = this.none<GrantRecord, Omit<GrantRecord, "id" | "etag">, Pick<GrantRecord, "access">>("workspace grants");

  private async roleBody(f: RoleFields, id?: string) {
    const ids = await this.permissionIdsOf(f.reportPermissions);
    const keep = id ? this.otherPermissions.get(id) ?? [] : [];
    return { displayName: f.name, description: f.description, permissions: [...new Set([...ids, ...keep])].sort().map((pid) => ({ id: pid })) };
  }

  readonly roles: RoleStore = {
    list: async () => {
      const custom = await this.all<RcRole>("Medium", `${ACCOUNT}/user-role`, { custom: true });
      const presets = await this.all<RcRole>("Light", `${V1}/dictionary/user-role`);
      return Promise.all([...custom.map((r) => this.roleOf(r, false)), ...presets.map((r) => this.roleOf(r, true))]);
    },
    get: async (id) => {
      const r = await this.call<RcRole>("Light", "GET", `${ACCOUNT}/user-role/${encodeURIComponent(id)}`);
      return this.roleOf(r, r.custom === false);
    },
    create: async (fields) => {
      const body = await this.roleBody(fields);
      let made: RcRole | string | undefined;
      try {
        made = await this.call<RcRole | string>(ROLE_WRITE_GROUPS.create, "POST", `${ACCOUNT}/user-role`, { body });
      } catch (err) {
        // A name taken: the role exists (made by an attempt whose answer was lost, or meanwhile).
        if (err instanceof RingCentralError && (err.status === 409 || err.status === 400)) {
          const found = await this.customByName(fields.name);
          if (found) throw new Exists(found.id, `role "${fields.name}"`);
        }
        throw err;
      }
      // The SDK types the answer as a string (VENDOR-APIS.md §2.3): without an id, find the role by name.
      const role = made && typeof made === "object" && made.id ? made : await this.customByName(fields.name);
      if (!role) throw new Error(`RingCentral created role "${fields.name}" but it is not in the account's custom roles; refresh and retry`);
      return this.roleOf(role, false);
    },
    update: async (id, fields) => this.roleOf(await this.call<RcRole>(ROLE_WRITE_GROUPS.update, "PUT", `${ACCOUNT}/user-role/${encodeURIComponent(id)}`, { body: await this.roleBody(fields, id) }), false),
    delete: async (id) => { await this.call(ROLE_WRITE_GROUPS.delete, "DELETE", `${ACCOUNT}/user-role/${encodeURIComponent(id)}`); },
    holders: async (id) => [...((await this.assignments()).get(id) ?? [])].sort(),
    // One bulk-assign per role per run: the provider hands the whole change of a role at once.
    changeHolders: async (id, change) => {
      const byRole = await this.assignments();
      const current = byRole.get(id) ?? new Set<string>();
      const addedExtensionIds = [...new Set(change.add)].filter((x) => !current.has(x)).sort();
      const removedExtensionIds = [...new Set(change.remove)].filter((x) => current.has(x)).sort();
      if (!addedExtensionIds.length && !removedExtensionIds.length) return;
      await this.call(ROLE_WRITE_GROUPS.holders, "POST", `${ACCOUNT}/user-role/${encodeURIComponent(id)}/bulk-assign`, { body: { addedExtensionIds, removedExtensionIds } });
      byRole.set(id, new Set([...[...current].filter((x) => !removedExtensionIds.includes(x)), ...addedExtensionIds]));
    },
  };

  private async customByName(name: string): Promise<RcRole | undefined> {
    return (await this.all<RcRole>("Medium", `${ACCOUNT}/user-role`, { custom: true })).find((r) => r.displayName === name);
  }

  refusal(err: unknown): Refusal | undefined {
    if (err instanceof Exists) return { kind: "exists", existingId: err.existingId };
    if (err instanceof RingCentralError && err.status === 404) return { kind: "gone" };
    return undefined;
  }

  rateLimits(): RateLimitFacts {
    return { limits: this.budget.limits(), sent: this.sent, refused: this.refused };
  }

  /** Requests per rate-limit group in this run. */
  requestsByGroup(): Record<Group, number> { return this.budget.requests(); }

  /** "requests this run by rate-limit group: Light 8 of 50/min, …; 429s 0". */
  usage(): string {
    const used = this.budget.requests();
    return `requests this run by rate-limit group: ${this.budget.limits().map((l) => `${l.group} ${used[l.group as Group]} (limit ${l.limit} per ${l.windowSeconds} s)`).join(", ")}; answered 429: ${this.refused}`;
  }
}
