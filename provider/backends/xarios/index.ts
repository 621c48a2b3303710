// `xarios`: the Xarios Enterprise Portal API behind Dimensions and Ooma
// (../../../../shared/VENDOR-APIS.md §1). It carries customer users: create, read, JSON-Patch their
// role keys (./keys.ts, the one table), delete, with the 402 / `accept-charges` handshake. Xarios
// documents no groups, workspaces, grants or named roles, and its users carry no extension, so those
// are refused at preview (capabilities), and PBX-synced users (holding customer.user.pbx) are left
// to the phone system. The list carries no roles: each user is read with a GET, eight at a time,
// once per run.
import { createHash } from "node:crypto";
import type { EffectiveUser } from "../../../schema";
import type { Settings } from "../../session";
import type { Backend, Capabilities, Credential, NamedRecord, RateLimitFacts, Refusal, RoleStore, Store, TenantSettings, UserRecord, UserStore, UserFields } from "../backend";
import { XariosError, XariosHttp } from "./http";
import { missingMessage, resolveKeys, ROLE_KEYS_CONFIG, XariosKeys } from "./keys";

export const DEFAULT_LOGIN_URL = "https://login.xarios.cloud/connect";
const PAGE = 1000;
const CONCURRENCY = 8;
const PBX_KEY = "customer.user.pbx";

interface ListItem { id: string; displayName: string; email: string; primaryTenant?: string; isParent?: boolean }
interface Full extends ListItem { roles: string[] }

const NO_GROUPS = "Xarios documents no groups API (VENDOR-APIS §1.6: NOT FOUND)";
const NO_WORKSPACES = "Xarios documents no workspace membership or grant API (VENDOR-APIS §1.6: only report requests under /v1.0/workspaces)";

/** Xarios has no ETag: the version of a user is a digest of what it holds, compared before a write (a change made meanwhile is `stale`). */
const versionOf = (u: Pick<Full, "displayName" | "email" | "roles">) => `"x-${createHash("sha256").update(JSON.stringify([u.displayName, u.email, [...u.roles].sort()])).digest("hex").slice(0, 16)}"`;
class StaleError extends Error {}

/** A create refused because the email is taken, with the id of the user holding it (found by listing). */
class ExistsError extends Error {
  constructor(readonly existingId: string, email: string) { super(`a Xarios user with email ${email} already exists (${existingId})`); }
}


export class XariosBackend implements Backend {
  readonly name = "xarios";
  readonly http: XariosHttp;
  readonly keys: XariosKeys;
  private readonly base: string;
  private readonly acceptCharges: boolean;
  private readonly profile: "dimensions" | "ooma";
  /** Users read this run, by id (a GET each: the list carries no roles). */
  private readonly cache = new Map<string, Promise<UserRecord>>();
  private warned = new Set<string>();
  /** Calls spent by the last users.list(): the list pages and the GETs. */
  lastListCalls = 0;

  constructor(settings: Settings) {
    const config = (key: string) => settings.config?.(key);
    const need = (key: string) => {
      const v = config(key);
      if (!v) throw new Error(`the xarios backend needs analytics-access:${key} (\`pulumi config set analytics-access:${key} <value>\`; see the README, "Dimensions and Ooma through Xarios")`);
      return v;
    };
    const account = need("xariosAccount");
    const customer = need("xariosCustomer");
    this.base = `/v1.0/accounts/${encodeURIComponent(account)}/customers/${encodeURIComponent(customer)}/users`;
    this.keys = new XariosKeys(resolveKeys(config("xariosRoleKeys")));
    this.acceptCharges = (config("acceptCharges") ?? "false").toLowerCase() === "true";
    const profile = config("xariosProfile") ?? "dimensions";
    if (profile !== "dimensions" && profile !== "ooma") throw new Error(`analytics-access:xariosProfile must be dimensions or ooma, not ${JSON.stringify(profile)}`);
    this.profile = profile;
    this.http = new XariosHttp({
      endpoint: settings.endpoint,
      tokenUrl: `${(config("xariosLoginUrl") ?? DEFAULT_LOGIN_URL).replace(/\/+$/, "")}/token`,
      refreshToken: settings.token,
      clientId: need("xariosClientId"),
      clientSecret: config("xariosClientSecret"),
      budget: settings.requestBudget,
      maxAttempts: settings.maxAttempts,
      rateLimitWaitMs: settings.rateLimitWaitMs,
    });
  }

  async capabilities(): Promise<Capabilities> {
    return {
      kinds: {
        user: true,
        group: NO_GROUPS,
        workspace: NO_WORKSPACES,
        "workspace-grant": NO_WORKSPACES,
        role: "Dimensions and Ooma have no named roles: a Xarios user's roles are its keys (VENDOR-APIS §1.4); declare them as the user's tier and permissions",
      },
      unsupportedFields: {
        user: {
          extension: "the Xarios users API carries no extension (VENDOR-APIS §1.2), so PBX users cannot be matched to the phone system; this backend manages portal users by email and leaves PBX-synced users to the phone system",
          groups: NO_GROUPS,
          primaryGroup: NO_GROUPS,
          analyticsTier: "8x8 analytics tiers are not Xarios keys",
          insights: "IntelePeer Insights is not a Xarios key",
        },
      },
    };
  }

  async tenant(): Promise<TenantSettings> {
    // No tenant-settings API is documented (§1.6): the profile comes from configuration, Real-Time
    // with Live Analytics as VirtualPBX documents it for Dimensions, no Agent auto-assignment known.
    return { profile: this.profile, agentAutoAssign: false, realTimeWithLive: this.profile === "dimensions" };
  }

  async credential(): Promise<Credential | undefined> {
    // No "who am I" in the public API: the credential's permissions cannot be read. Unknown, not
    // assumed: the rules that need them are unchecked (preview says so) and the portal judges at apply (403).
    return undefined;
  }

  async directory() { return []; }
  /** Licence counts are a reseller-portal report (Licence Metrics), not in the API: nothing is metered here. */
  async licences() { return {}; }

  private recordOf = (u: Full): UserRecord => ({
    id: u.id, etag: versionOf(u), origin: u.roles.includes(PBX_KEY) ? "pbx" : "manual", extension: null, displayName: u.displayName, email: u.email,
    roles: [...u.roles].sort(), softphoneDevice: null, groups: [], primaryGroup: null,
  });

  private async fetchUser(id: string): Promise<UserRecord> {
    const r = await this.http.request<{ data: Full }>("GET", `${this.base}/${encodeURIComponent(id)}`);
    return this.recordOf(r.body.data);
  }

  /** Every user in the list (paged by pageIndex/pageSize, stopping on a short page). */
  private async listItems(): Promise<ListItem[]> {
    const items: ListItem[] = [];
    for (let page = 0; ; page++) {
      const r = await this.http.request<{ data: ListItem[] }>("GET", `${this.base}?pageIndex=${page}&pageSize=${PAGE}`);
      items.push(...r.body.data);
      if (r.body.data.length < PAGE) return items;
    }
  }

  private chargeError(err: unknown, what: string): unknown {
    if (!(err instanceof XariosError) || err.status !== 402) return err;
    const charges = Array.isArray(err.body.charges) ? (err.body.charges as string[]).map((k) => this.keys.describe(k)).join(", ") : "a licensed role";
    return new Error(`${what} adds a Xarios charge (${charges}) and was not made: Xarios answered 402 Payment Required, and analytics-access:acceptCharges is not true, so nothing was changed. To accept the charges: \`pulumi config set analytics-access:acceptCharges true\`, then run \`pulumi up\` again`);
  }
  private charged(): Record<string, string> { return this.acceptCharges ? { "accept-charges": "true" } : {}; }

  private unsupported(fields: Partial<UserFields>): void {
    if (fields.softphoneDevice) throw new Error("Xarios has no softphone binding in its API");
    if (fields.groups?.length || fields.primaryGroup) throw new Error(NO_GROUPS);
  }

  readonly users: UserStore = {
    list: async () => {
      const before = this.http.sent;
      const items = await this.listItems();
      let next = 0;
      const out: UserRecord[] = new Array(items.length);
      const worker = async () => {
        while (next < items.length) {
          const i = next++;
          let p = this.cache.get(items[i].id);
          if (!p) this.cache.set(items[i].id, (p = this.fetchUser(items[i].id)));
          out[i] = await p;
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
      this.lastListCalls = this.http.sent - before;
      const pbx = out.filter((u) => u.origin === "pbx");
      if (pbx.length) this.warnOnce("pbx", `xarios: ${pbx.length} PBX-synced user(s) (holding ${PBX_KEY}) are left to the phone system: the Xarios API carries no extension to match them to a manifest`);
      return out.filter((u) => u.origin === "manual");
    },
    get: async (id) => {
      const u = await this.fetchUser(id);
      this.cache.set(id, Promise.resolve(u));
      return u;
    },
    create: async (fields) => {
      this.unsupported(fields);
      try {
        const r = await this.http.request<{ data: Full }>("POST", this.base, { body: { email: fields.email, displayName: fields.displayName, roles: fields.roles }, headers: this.charged() });
        const u = this.recordOf(r.body.data);
        this.cache.set(u.id, Promise.resolve(u));
        return u;
      } catch (err) {
        if (err instanceof XariosError && (err.status === 409 || (err.status === 400 && /exist/i.test(String(err.body.message))))) {
          // Xarios's answer to a taken email is not documented: find the user holding it and adopt it.
          const found = (await this.listItems()).find((x) => x.email.toLowerCase() === fields.email.toLowerCase());
          if (found) throw new ExistsError(found.id, fields.email);
        }
        throw this.chargeError(err, `creating ${fields.email}`);
      }
    },
    update: async (id, change, etag) => {
      this.unsupported(change);
      // No If-Match in Xarios: the user is read first and the write refused when it changed since `etag` was read.
      if (etag !== undefined && (await this.fetchUser(id)).etag !== etag) throw new StaleError(`Xarios user ${id} changed since it was read`);
      const ops: { op: string; path: string; value: unknown }[] = [];
      if (change.displayName !== undefined) ops.push({ op: "replace", path: "/displayName", value: change.displayName });
      if (change.email !== undefined) ops.push({ op: "replace", path: "/email", value: change.email });
      if (change.roles !== undefined) ops.push({ op: "replace", path: "/roles", value: change.roles });
      if (ops.length) {
        try {
          await this.http.request("PATCH", `${this.base}/${encodeURIComponent(id)}`, { body: ops, contentType: "application/json-patch+json", headers: this.charged() });
        } catch (err) {
          throw this.chargeError(err, `changing user ${id}`);
        }
      }
      return this.users.get(id); // PATCH answers no resource
    },
    delete: async (id) => {
      await this.http.request("DELETE", `${this.base}/${encodeURIComponent(id)}`);
      this.cache.delete(id);
    },
    revoke: async () => { throw new Error("PBX users are left to the phone system by the xarios backend"); },
    keysOf: (u) => this.keys.keysOf(u),
    declarationOf: (r) => this.keys.declarationOf(r),
    preview: (u, live) => this.preview(u, live),
  };

  /** Check's word on a user beyond the rules: keys not known (refused), keys assumed (warned once each), charges (listed). */
  preview(u: EffectiveUser, live: UserRecord | undefined): { failures: { property: string; reason: string }[]; warnings: string[] } {
    const { missing, assumed } = this.keys.judge(u);
    if (missing.length) return { failures: [{ property: "", reason: `the xarios backend cannot write this user yet: ${missingMessage(missing)}` }], warnings: [] };
    const warnings: string[] = [];
    for (const s of assumed) {
      const r = this.keys.table[s];
      if (this.warned.has(`slot:${s}`)) continue;
      this.warned.add(`slot:${s}`);
      warnings.push(`xarios: ${s} is written as ${r.key}, the ${r.from === "documented" ? "documented" : "assumed"} default (${r.note}); confirm it against your tenant or set it in ${ROLE_KEYS_CONFIG}`);
    }
    const want = this.keys.keysOf(u);
    const had = new Set(live?.roles ?? []);
    const added = want.filter((k) => this.keys.licensed(k) && !had.has(k));
    if (added.length) {
      const charges = `Xarios charges for ${added.map((k) => this.keys.describe(k)).join(", ")}`;
      // A change the stack has not accepted the charge of cannot be carried out: refused here, at
      // preview, rather than by Xarios's 402 in the middle of `up` (which stays the backstop).
      if (!this.acceptCharges)
        return { failures: [{ property: "", reason: `billable change not accepted: ${charges}, and analytics-access:acceptCharges is not true, so nothing will be sent. To accept the charges: \`pulumi config set analytics-access:acceptCharges true\`` }], warnings };
      warnings.push(`xarios: ${u.email ?? u.key}: billable change, ${charges}; accepted (analytics-access:acceptCharges is true)`);
    }
    return { failures: [], warnings };
  }

  private warnOnce(key: string, text: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    console.warn(`analytics-access: ${text}`);
  }

  private none = (what: string): Store<NamedRecord, never, never> & RoleStore => {
    const refuse = async (): Promise<never> => { throw new Error(`the xarios backend has no ${what}`); };
    return { list: async () => [], get: refuse, create: refuse, update: refuse, delete: refuse, holders: refuse, changeHolders: refuse } as never;
  };
  readonly groups = this.none("groups");
  readonly workspaces = this.none("workspaces");
  readonly grants = this.none("workspace grants") as unknown as Backend["grants"];
  readonly roles = this.none("named roles") as unknown as RoleStore;

  refusal(err: unknown): Refusal | undefined {
    if (err instanceof ExistsError) return { kind: "exists", existingId: err.existingId };
    if (err instanceof StaleError) return { kind: "stale" };
    if (err instanceof XariosError && err.status === 404) return { kind: "gone" };
    return undefined;
  }

  rateLimits(): RateLimitFacts {
    // No rate limits are documented (§1.6); the portal's 429s are waited out by Retry-After.
    return { limits: [], sent: this.http.sent, refused: this.http.refused };
  }
}
