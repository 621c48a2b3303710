// Programmatic entry: start the platform on a port (0 = ephemeral) with a store, for the CLI and tests.
import type { AddressInfo } from "node:net";
import { Store, type Profile } from "./store";
import { Faults, seededRandom } from "./faults";
import { randomBytes } from "node:crypto";
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitConfig } from "./ratelimit";
import { ADMIN_KEY_ENV } from "./auth";
import { sha256 } from "./store";
import { createPlatformServer } from "./server";
import type { ServerState } from "./router";
import { DEMO_TENANTS, seedDemo } from "./demo";
import * as tenants from "./tenants";
import type { FaultRuleT } from "./schemas";

export { Store } from "./store";
export type { Tenant, User, DirectoryEntry, Device, Profile } from "./store";
export { createTenant, addDirectoryEntry, setLicence, createPortalUser, forceUserRoles, issueToken, issueTokenRecord, listTokens, revokeToken, updateTenantSettings } from "./tenants";
export type { TokenOptions, TokenView } from "./tenants";
export { ADMIN_KEY_ENV } from "./auth";
export type { TenantInit, DirectoryInit } from "./tenants";
export { seedDemo, DEMO_TENANT_ID, DEMO_ADMIN_EMAIL, DEMO_LICENCES, DEMO_PROD, DEMO_TENANTS, demoDirectory } from "./demo";
export type { DemoSpec } from "./demo";
export { buildOpenApi } from "./openapi";
export { DEFAULT_RATE_LIMIT } from "./ratelimit";

export interface PlatformOptions {
  /** ":memory:" (default for the programmatic API) or a file path. */
  db?: string;
  /** An already-open store (db is ignored; close() leaves it open). */
  store?: Store;
  /** 0 (default) = ephemeral. */
  port?: number;
  /** Default {perMinute: 40, burst: 40}; false disables. */
  rateLimit?: RateLimitConfig | false;
  /** Seed the demo tenant and issue an admin token for it. */
  demo?: boolean;
  /** Seed for the fault-injection random generator (reproducible fault sequences). */
  randomSeed?: number;
  /** Runs against the store before the server listens (set up tenants, users, tokens). */
  seed?: (store: Store) => void;
  /** One line per request (method, path, status, ms); never headers or bodies. */
  log?: (line: string) => void;
  /**
   * The admin credential the admin routes (/api/v1/admin/…) take as "Authorization: Bearer <key>". Default: the
   * ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY environment variable, else a fresh random `aak_…` key (on `adminKey`).
   * Only its sha256 is kept by the server.
   */
  adminKey?: string;
  /** Failed authentications allowed per client address (default {perMinute: 10, burst: 20}); false disables. */
  authFailureLimit?: RateLimitConfig | false;
  /** Lifetime of the demo admin tokens, days (default 7); each start revokes the previous start's. */
  demoTokenDays?: number;
}

/** Requests counted as they arrive (each attempt: a refused one too); `rateLimited` is how many were answered 429. */
export interface Stats { total: number; reads: number; writes: number; rateLimited: number; byRoute: Record<string, number> }

export interface RunningPlatform {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + "/api/v1" */
  apiUrl: string;
  port: number;
  store: Store;
  /** Every demo tenant (Dimensions dev, then prod, then one per other profile) with a fresh admin token (demo: true), else empty. */
  demoTenants: { id: string; name: string; profile: Profile; token: string }[];
  /** The admin credential for the admin routes: "Authorization: Bearer <adminKey>". */
  adminKey: string;
  /** Where it came from: given in the options, the environment variable, or made for this start. */
  adminKeySource: "option" | "env" | "generated";
  /** Token of the demo admin (demo: true), else null. */
  adminToken: string | null;
  demoTenantId: string | null;
  close(): Promise<void>;
  stats(): Stats;
  resetStats(): void;
  setFaults(rules: FaultRuleT[]): void;
  clearFaults(): void;
  setRateLimit(cfg: RateLimitConfig | false): void;
  createTenant(init: tenants.TenantInit): ReturnType<typeof tenants.createTenant>;
  addDirectoryEntry(tenantId: string, init: tenants.DirectoryInit): ReturnType<typeof tenants.addDirectoryEntry>;
  setLicence(tenantId: string, key: string, capacity: number | null): void;
  createPortalUser(tenantId: string, init: { email: string; displayName?: string; roles: string[] }): ReturnType<typeof tenants.createPortalUser>;
  issueToken(tenantId: string, user: string, label?: string, opts?: tenants.TokenOptions): string;
}

export const DEMO_TOKEN_LABEL = "demo admin (serve --demo)";

export async function startPlatform(opts: PlatformOptions = {}): Promise<RunningPlatform> {
  const ownStore = !opts.store;
  const store = opts.store ?? new Store(opts.db ?? ":memory:");
  const rateLimit = opts.rateLimit === undefined ? DEFAULT_RATE_LIMIT : opts.rateLimit;
  const envKey = process.env[ADMIN_KEY_ENV];
  const adminKeySource: RunningPlatform["adminKeySource"] = opts.adminKey ? "option" : envKey ? "env" : "generated";
  const adminKey = opts.adminKey || envKey || `aak_${randomBytes(24).toString("base64url")}`;
  if (adminKey.length < 16) throw new Error(`the platform's admin credential must be at least 16 characters (${ADMIN_KEY_ENV} or the adminKey option)`);
  const state: ServerState = {
    adminKeyHash: sha256(adminKey),
    authFailures: new RateLimiter(opts.authFailureLimit === undefined ? DEFAULT_AUTH_FAILURE_LIMIT : opts.authFailureLimit),
    store, faults: new Faults(opts.randomSeed === undefined ? Math.random : seededRandom(opts.randomSeed)),
    limiter: new RateLimiter(rateLimit), stats: { total: 0, reads: 0, writes: 0, rateLimited: 0, byRoute: {} },
  };
  let adminToken: string | null = null, demoTenantId: string | null = null;
  const demoTenants: RunningPlatform["demoTenants"] = [];
  if (opts.demo) {
    for (const spec of DEMO_TENANTS) {
      const d = seedDemo(store, spec);
      // a fresh, short-lived demo admin token per start; the previous start's stop working
      tenants.revokeTokensLabelled(store, d.tenantId, DEMO_TOKEN_LABEL);
      const token = tenants.issueToken(store, d.tenantId, d.adminEmail, DEMO_TOKEN_LABEL, { ttlDays: opts.demoTokenDays ?? 7 });
      demoTenants.push({ id: d.tenantId, name: spec.name, profile: spec.profile, token });
    }
    demoTenantId = demoTenants[0].id;
    adminToken = demoTenants[0].token;
  }
  opts.seed?.(store);
  const server = createPlatformServer(state, { log: opts.log });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => { server.off("error", reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  let closed = false;
  return {
    url, apiUrl: `${url}/api/v1`, port, store, adminToken, adminKey, adminKeySource, demoTenantId, demoTenants,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      if (ownStore) store.close();
    },
    stats: () => JSON.parse(JSON.stringify(state.stats)) as Stats,
    resetStats: () => { state.stats = { total: 0, reads: 0, writes: 0, rateLimited: 0, byRoute: {} }; },
    setFaults: (rules) => { state.faults.clear(); rules.forEach((r) => state.faults.add(r)); },
    clearFaults: () => state.faults.clear(),
    setRateLimit: (cfg) => state.limiter.configure(cfg),
    createTenant: (init) => tenants.createTenant(store, init),
    addDirectoryEntry: (tenantId, init) => tenants.addDirectoryEntry(store, tenantId, init),
    setLicence: (tenantId, key, capacity) => tenants.setLicence(store, tenantId, key, capacity),
    createPortalUser: (tenantId, init) => tenants.createPortalUser(store, tenantId, init),
    issueToken: (tenantId, user, label, tokenOpts) => tenants.issueToken(store, tenantId, user, label, tokenOpts),
  };
}
