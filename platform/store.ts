// SQLite storage for the platform: one file by default, ":memory:" for tests. Every write runs in a
// transaction (BEGIN IMMEDIATE ... COMMIT), the journal is WAL with synchronous=FULL, so a write the
// server acknowledged survives a crash and a write it did not finish leaves nothing behind.
import "./quiet";
import { DatabaseSync } from "node:sqlite";
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type Profile = "dimensions" | "ooma" | "8x8" | "officeathand" | "intelepeer";
export const PROFILES: readonly Profile[] = ["dimensions", "ooma", "8x8", "officeathand", "intelepeer"];

export interface X8LicenceTiers { essentials: string[]; supervisor: string[] }
export interface Tenant {
  id: string; name: string; profile: Profile; recordingBucket: string | null;
  agentAutoAssign: boolean; realTimeWithLive: boolean; x8LicenceTiers: X8LicenceTiers | null; createdAt: string;
}
export interface Device { id: string; name: string; webrtc: boolean }
export interface DirectoryEntry {
  extension: string; displayName: string; email: string; serviceLicence: string | null; devices: Device[]; acdAgent: boolean;
}
export interface User {
  id: string; tenantId: string; origin: "pbx" | "manual"; extension: string | null; displayName: string; email: string;
  roles: string[]; softphoneDevice: string | null; groups: string[]; primaryGroup: string | null;
  version: number; createdAt: string; updatedAt: string;
}
export interface Group { id: string; tenantId: string; name: string; description: string; version: number; createdAt: string; updatedAt: string }
export type Workspace = Group;
export interface Grant {
  id: string; tenantId: string; workspaceId: string; userId: string; access: "admin" | "view";
  version: number; createdAt: string; updatedAt: string;
}
export interface Role {
  id: string; tenantId: string; name: string; description: string; permissions: string[]; accountScopes: string[];
  preset: boolean; userIds: string[]; version: number; createdAt: string; updatedAt: string;
}
export interface AuditEntry {
  seq: number; at: string; actor: string; action: string; entity: string; entityId: string;
  before: unknown; after: unknown; requestId: string | null;
}
export interface TokenRecord {
  tenantId: string; userId: string; label: string; createdAt: string;
  /** Not secret: "tok_" and the first 16 hex digits of the hash; what `platform token list|revoke` name. */
  id: string; expiresAt: string; revokedAt: string | null;
}
/** New tokens live this long unless issued with another lifetime. */
export const DEFAULT_TOKEN_TTL_DAYS = 90;
export const tokenIdOf = (hash: string) => `tok_${hash.slice(0, 16)}`;
export interface StoredResponse { status: number; body: unknown; bodyHash: string; method: string; path: string }

type Row = Record<string, unknown>;

const MIGRATIONS: string[] = [
  `CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
   CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, profile TEXT NOT NULL, recording_bucket TEXT,
     agent_auto_assign INTEGER NOT NULL DEFAULT 0, realtime_with_live INTEGER NOT NULL DEFAULT 0, x8_tiers TEXT,
     created_at TEXT NOT NULL);
   CREATE TABLE directory (tenant_id TEXT NOT NULL REFERENCES tenants(id), extension TEXT NOT NULL,
     display_name TEXT NOT NULL, email TEXT NOT NULL, service_licence TEXT, devices TEXT NOT NULL,
     acd_agent INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, extension));
   CREATE TABLE users (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), origin TEXT NOT NULL,
     extension TEXT, display_name TEXT NOT NULL, email TEXT NOT NULL, email_lc TEXT NOT NULL, roles TEXT NOT NULL,
     softphone_device TEXT, groups_json TEXT NOT NULL, primary_group TEXT, version INTEGER NOT NULL,
     created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (tenant_id, email_lc));
   CREATE TABLE groups (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
     description TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
     UNIQUE (tenant_id, name));
   CREATE TABLE workspaces (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
     description TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
     UNIQUE (tenant_id, name));
   CREATE TABLE grants (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
     workspace_id TEXT NOT NULL REFERENCES workspaces(id), user_id TEXT NOT NULL REFERENCES users(id),
     access TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
     UNIQUE (workspace_id, user_id));
   CREATE TABLE roles (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
     description TEXT NOT NULL, permissions TEXT NOT NULL, account_scopes TEXT NOT NULL, preset INTEGER NOT NULL,
     user_ids TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
     UNIQUE (tenant_id, name));
   CREATE TABLE licences (tenant_id TEXT NOT NULL REFERENCES tenants(id), key TEXT NOT NULL,
     capacity INTEGER NOT NULL, PRIMARY KEY (tenant_id, key));
   CREATE TABLE tokens (hash TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
     user_id TEXT NOT NULL, label TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL, at TEXT NOT NULL,
     actor TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, before_json TEXT,
     after_json TEXT, request_id TEXT);
   CREATE INDEX audit_tenant ON audit (tenant_id, seq);
   CREATE TABLE idempotency (token_hash TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
     body_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL, created_at TEXT NOT NULL,
     PRIMARY KEY (token_hash, key));
   CREATE INDEX grants_user ON grants (user_id);`,
  // 2: paging by id within a tenant without a sort
  `CREATE INDEX users_tenant_id ON users (tenant_id, id);
   CREATE INDEX grants_tenant_id ON grants (tenant_id, id);`,
  // 3: tokens expire and can be revoked; tokens issued before expire 90 days after they were issued
  `ALTER TABLE tokens ADD COLUMN id TEXT;
   ALTER TABLE tokens ADD COLUMN expires_at TEXT;
   ALTER TABLE tokens ADD COLUMN revoked_at TEXT;
   UPDATE tokens SET id = 'tok_' || substr(hash, 1, 16), expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+90 days');
   CREATE UNIQUE INDEX tokens_id ON tokens (id);`,
];

const json = (v: unknown) => JSON.stringify(v);
const parse = <T>(v: unknown, fallback: T): T => (typeof v === "string" ? (JSON.parse(v) as T) : fallback);
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const tokenRow = (r: Row): TokenRecord => ({
  tenantId: String(r.tenant_id), userId: String(r.user_id), label: String(r.label), createdAt: String(r.created_at),
  id: String(r.id), expiresAt: String(r.expires_at), revokedAt: str(r.revoked_at),
});
export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
export const etagOf = (version: number) => `"${version}"`;

export class Store {
  readonly db: DatabaseSync;
  private depth = 0;
  now: () => string = () => new Date().toISOString();

  constructor(readonly path: string = ":memory:") {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
    if (path !== ":memory:") this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    this.migrate();
  }

  private migrate(): void {
    const current = Number((this.db.prepare("PRAGMA user_version").get() as Row).user_version);
    if (current > MIGRATIONS.length) throw new Error(`database ${this.path} has schema version ${current}, newer than this platform (${MIGRATIONS.length}); upgrade analytics-access`);
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.tx(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.exec(`PRAGMA user_version = ${v + 1}`);
      });
    }
  }

  close(): void { if (this.db.isOpen) this.db.close(); }

  /** True inside tx(): a write started now joins a transaction already under way. */
  get inTransaction(): boolean { return this.depth > 0; }

  /** Runs fn in one transaction; nested calls join the outer one. Any throw rolls everything back. */
  tx<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.exec("BEGIN IMMEDIATE");
    this.depth++;
    try {
      const out = fn();
      this.depth--;
      this.db.exec("COMMIT");
      return out;
    } catch (err) {
      this.depth--;
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      this.keyCounts.clear(); // counted writes that were rolled back: recount on the next read
      throw err;
    }
  }

  private statements = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
  private stmt(sql: string): ReturnType<DatabaseSync["prepare"]> {
    let s = this.statements.get(sql);
    if (!s) { s = this.db.prepare(sql); this.statements.set(sql, s); }
    return s;
  }
  private all(sql: string, ...params: unknown[]): Row[] { return this.stmt(sql).all(...(params as never[])) as Row[]; }
  private one(sql: string, ...params: unknown[]): Row | undefined { return this.stmt(sql).get(...(params as never[])) as Row | undefined; }
  private run(sql: string, ...params: unknown[]): number { return Number(this.stmt(sql).run(...(params as never[])).changes); }

  /** Deterministic ids: prefix + zero-padded counter, so ids sort in creation order. */
  nextId(prefix: string): string {
    return this.tx(() => {
      this.run("INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1", prefix);
      const n = Number(this.one("SELECT value FROM counters WHERE name = ?", prefix)!.value);
      return `${prefix}_${String(n).padStart(6, "0")}`;
    });
  }

  // ---- tenants ----
  private tenantRow(r: Row): Tenant {
    return {
      id: String(r.id), name: String(r.name), profile: r.profile as Profile, recordingBucket: str(r.recording_bucket),
      agentAutoAssign: Number(r.agent_auto_assign) === 1, realTimeWithLive: Number(r.realtime_with_live) === 1,
      x8LicenceTiers: parse<X8LicenceTiers | null>(r.x8_tiers, null), createdAt: String(r.created_at),
    };
  }
  insertTenant(t: Tenant): void {
    this.run("INSERT INTO tenants (id, name, profile, recording_bucket, agent_auto_assign, realtime_with_live, x8_tiers, created_at) VALUES (?,?,?,?,?,?,?,?)",
      t.id, t.name, t.profile, t.recordingBucket, t.agentAutoAssign ? 1 : 0, t.realTimeWithLive ? 1 : 0, t.x8LicenceTiers ? json(t.x8LicenceTiers) : null, t.createdAt);
  }
  updateTenant(t: Tenant): void {
    this.run("UPDATE tenants SET name=?, recording_bucket=?, agent_auto_assign=?, realtime_with_live=?, x8_tiers=? WHERE id=?",
      t.name, t.recordingBucket, t.agentAutoAssign ? 1 : 0, t.realTimeWithLive ? 1 : 0, t.x8LicenceTiers ? json(t.x8LicenceTiers) : null, t.id);
  }
  getTenant(id: string): Tenant | undefined { const r = this.one("SELECT * FROM tenants WHERE id = ?", id); return r && this.tenantRow(r); }
  listTenants(): Tenant[] { return this.all("SELECT * FROM tenants ORDER BY id").map((r) => this.tenantRow(r)); }

  // ---- directory ----
  private dirRow(r: Row): DirectoryEntry {
    return { extension: String(r.extension), displayName: String(r.display_name), email: String(r.email),
      serviceLicence: str(r.service_licence), devices: parse<Device[]>(r.devices, []), acdAgent: Number(r.acd_agent) === 1 };
  }
  insertDirectoryEntry(tenantId: string, d: DirectoryEntry): void {
    this.run("INSERT INTO directory (tenant_id, extension, display_name, email, service_licence, devices, acd_agent) VALUES (?,?,?,?,?,?,?)",
      tenantId, d.extension, d.displayName, d.email, d.serviceLicence, json(d.devices), d.acdAgent ? 1 : 0);
  }
  getDirectoryEntry(tenantId: string, extension: string): DirectoryEntry | undefined {
    const r = this.one("SELECT * FROM directory WHERE tenant_id = ? AND extension = ?", tenantId, extension); return r && this.dirRow(r);
  }
  listDirectory(tenantId: string, after: string | null, limit: number): DirectoryEntry[] {
    return this.all("SELECT * FROM directory WHERE tenant_id = ? AND extension > ? ORDER BY extension LIMIT ?", tenantId, after ?? "", limit).map((r) => this.dirRow(r));
  }

  // ---- users ----
  private userRow(r: Row): User {
    return {
      id: String(r.id), tenantId: String(r.tenant_id), origin: r.origin as User["origin"], extension: str(r.extension),
      displayName: String(r.display_name), email: String(r.email), roles: parse<string[]>(r.roles, []),
      softphoneDevice: str(r.softphone_device), groups: parse<string[]>(r.groups_json, []), primaryGroup: str(r.primary_group),
      version: Number(r.version), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
    };
  }
  /**
   * How many of a tenant's users hold each role key: counted from the table once per process, then
   * kept by this store's own user writes (a rollback drops the counts; the next read recounts), so
   * licence use and last-holder checks cost the same whatever the tenant's size.
   */
  roleKeyCounts(tenantId: string): ReadonlyMap<string, number> {
    let counts = this.keyCounts.get(tenantId);
    if (!counts) {
      counts = new Map();
      for (const r of this.all("SELECT roles FROM users WHERE tenant_id = ?", tenantId)) for (const k of new Set(parse<string[]>(r.roles, []))) counts.set(k, (counts.get(k) ?? 0) + 1);
      this.keyCounts.set(tenantId, counts);
    }
    return counts;
  }
  private readonly keyCounts = new Map<string, Map<string, number>>();
  private countKeys(tenantId: string, roles: readonly string[], delta: 1 | -1): void {
    const counts = this.keyCounts.get(tenantId);
    if (counts) for (const k of new Set(roles)) counts.set(k, (counts.get(k) ?? 0) + delta);
  }
  /** The roles a user holds as stored, with its tenant (for the counts above). */
  private storedRoles(id: string): { tenantId: string; roles: string[] } | undefined {
    const r = this.one("SELECT tenant_id, roles FROM users WHERE id = ?", id);
    return r && { tenantId: String(r.tenant_id), roles: parse<string[]>(r.roles, []) };
  }
  insertUser(u: User): void {
    this.run("INSERT INTO users (id, tenant_id, origin, extension, display_name, email, email_lc, roles, softphone_device, groups_json, primary_group, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      u.id, u.tenantId, u.origin, u.extension, u.displayName, u.email, u.email.toLowerCase(), json(u.roles), u.softphoneDevice, json(u.groups), u.primaryGroup, u.version, u.createdAt, u.updatedAt);
    this.countKeys(u.tenantId, u.roles, 1);
  }
  updateUser(u: User): void {
    const before = this.keyCounts.size ? this.storedRoles(u.id) : undefined;
    const changed = this.run("UPDATE users SET display_name=?, email=?, email_lc=?, roles=?, softphone_device=?, groups_json=?, primary_group=?, version=?, updated_at=? WHERE id=?",
      u.displayName, u.email, u.email.toLowerCase(), json(u.roles), u.softphoneDevice, json(u.groups), u.primaryGroup, u.version, u.updatedAt, u.id);
    if (before && changed) { this.countKeys(before.tenantId, before.roles, -1); this.countKeys(before.tenantId, u.roles, 1); }
  }
  deleteUser(id: string): void {
    const before = this.keyCounts.size ? this.storedRoles(id) : undefined;
    this.run("DELETE FROM grants WHERE user_id = ?", id);
    this.run("DELETE FROM tokens WHERE user_id = ?", id);
    if (this.run("DELETE FROM users WHERE id = ?", id) && before) this.countKeys(before.tenantId, before.roles, -1);
  }
  getUser(tenantId: string, id: string): User | undefined { const r = this.one("SELECT * FROM users WHERE tenant_id = ? AND id = ?", tenantId, id); return r && this.userRow(r); }
  getUserByEmail(tenantId: string, email: string): User | undefined {
    const r = this.one("SELECT * FROM users WHERE tenant_id = ? AND email_lc = ?", tenantId, email.toLowerCase()); return r && this.userRow(r);
  }
  getUserByExtension(tenantId: string, extension: string): User | undefined {
    const r = this.one("SELECT * FROM users WHERE tenant_id = ? AND extension = ?", tenantId, extension); return r && this.userRow(r);
  }
  listUsers(tenantId: string, after: string | null = null, limit = -1): User[] {
    return this.all("SELECT * FROM users WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?", tenantId, after ?? "", limit).map((r) => this.userRow(r));
  }

  // ---- groups and workspaces (same shape) ----
  private namedRow(r: Row): Group {
    return { id: String(r.id), tenantId: String(r.tenant_id), name: String(r.name), description: String(r.description),
      version: Number(r.version), createdAt: String(r.created_at), updatedAt: String(r.updated_at) };
  }
  insertNamed(table: "groups" | "workspaces", g: Group): void {
    this.run(`INSERT INTO ${table} (id, tenant_id, name, description, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?)`,
      g.id, g.tenantId, g.name, g.description, g.version, g.createdAt, g.updatedAt);
  }
  updateNamed(table: "groups" | "workspaces", g: Group): void {
    this.run(`UPDATE ${table} SET name=?, description=?, version=?, updated_at=? WHERE id=?`, g.name, g.description, g.version, g.updatedAt, g.id);
  }
  deleteNamed(table: "groups" | "workspaces", id: string): void {
    if (table === "workspaces") this.run("DELETE FROM grants WHERE workspace_id = ?", id);
    this.run(`DELETE FROM ${table} WHERE id = ?`, id);
  }
  getNamed(table: "groups" | "workspaces", tenantId: string, id: string): Group | undefined {
    const r = this.one(`SELECT * FROM ${table} WHERE tenant_id = ? AND id = ?`, tenantId, id); return r && this.namedRow(r);
  }
  getNamedByName(table: "groups" | "workspaces", tenantId: string, name: string): Group | undefined {
    const r = this.one(`SELECT * FROM ${table} WHERE tenant_id = ? AND name = ?`, tenantId, name); return r && this.namedRow(r);
  }
  listNamed(table: "groups" | "workspaces", tenantId: string): Group[] {
    return this.all(`SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY id`, tenantId).map((r) => this.namedRow(r));
  }

  // ---- workspace grants ----
  private grantRow(r: Row): Grant {
    return { id: String(r.id), tenantId: String(r.tenant_id), workspaceId: String(r.workspace_id), userId: String(r.user_id),
      access: r.access as Grant["access"], version: Number(r.version), createdAt: String(r.created_at), updatedAt: String(r.updated_at) };
  }
  insertGrant(g: Grant): void {
    this.run("INSERT INTO grants (id, tenant_id, workspace_id, user_id, access, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
      g.id, g.tenantId, g.workspaceId, g.userId, g.access, g.version, g.createdAt, g.updatedAt);
  }
  updateGrant(g: Grant): void { this.run("UPDATE grants SET access=?, version=?, updated_at=? WHERE id=?", g.access, g.version, g.updatedAt, g.id); }
  deleteGrant(id: string): void { this.run("DELETE FROM grants WHERE id = ?", id); }
  getGrant(tenantId: string, id: string): Grant | undefined { const r = this.one("SELECT * FROM grants WHERE tenant_id = ? AND id = ?", tenantId, id); return r && this.grantRow(r); }
  findGrant(workspaceId: string, userId: string): Grant | undefined {
    const r = this.one("SELECT * FROM grants WHERE workspace_id = ? AND user_id = ?", workspaceId, userId); return r && this.grantRow(r);
  }
  listGrants(tenantId: string, after: string | null = null, limit = -1): Grant[] {
    return this.all("SELECT * FROM grants WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?", tenantId, after ?? "", limit).map((r) => this.grantRow(r));
  }
  grantsOfUser(userId: string): Grant[] { return this.all("SELECT * FROM grants WHERE user_id = ? ORDER BY id", userId).map((r) => this.grantRow(r)); }

  // ---- named roles ----
  private roleRow(r: Row): Role {
    return { id: String(r.id), tenantId: String(r.tenant_id), name: String(r.name), description: String(r.description),
      permissions: parse<string[]>(r.permissions, []), accountScopes: parse<string[]>(r.account_scopes, []), preset: Number(r.preset) === 1,
      userIds: parse<string[]>(r.user_ids, []), version: Number(r.version), createdAt: String(r.created_at), updatedAt: String(r.updated_at) };
  }
  insertRole(r: Role): void {
    this.run("INSERT INTO roles (id, tenant_id, name, description, permissions, account_scopes, preset, user_ids, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
      r.id, r.tenantId, r.name, r.description, json(r.permissions), json(r.accountScopes), r.preset ? 1 : 0, json(r.userIds), r.version, r.createdAt, r.updatedAt);
  }
  updateRole(r: Role): void {
    this.run("UPDATE roles SET name=?, description=?, permissions=?, account_scopes=?, user_ids=?, version=?, updated_at=? WHERE id=?",
      r.name, r.description, json(r.permissions), json(r.accountScopes), json(r.userIds), r.version, r.updatedAt, r.id);
  }
  deleteRole(id: string): void { this.run("DELETE FROM roles WHERE id = ?", id); }
  getRole(tenantId: string, id: string): Role | undefined { const r = this.one("SELECT * FROM roles WHERE tenant_id = ? AND id = ?", tenantId, id); return r && this.roleRow(r); }
  getRoleByName(tenantId: string, name: string): Role | undefined { const r = this.one("SELECT * FROM roles WHERE tenant_id = ? AND name = ?", tenantId, name); return r && this.roleRow(r); }
  listRoles(tenantId: string): Role[] { return this.all("SELECT * FROM roles WHERE tenant_id = ? ORDER BY id", tenantId).map((r) => this.roleRow(r)); }

  // ---- licences ----
  licenceCapacities(tenantId: string): Map<string, number> {
    return new Map(this.all("SELECT key, capacity FROM licences WHERE tenant_id = ? ORDER BY key", tenantId).map((r) => [String(r.key), Number(r.capacity)]));
  }
  setLicenceCapacity(tenantId: string, key: string, capacity: number | null): void {
    if (capacity === null) this.run("DELETE FROM licences WHERE tenant_id = ? AND key = ?", tenantId, key);
    else this.run("INSERT INTO licences (tenant_id, key, capacity) VALUES (?,?,?) ON CONFLICT(tenant_id, key) DO UPDATE SET capacity = excluded.capacity", tenantId, key, capacity);
  }

  // ---- tokens (stored as sha256 of the secret; the secret itself is never stored) ----
  insertToken(secret: string, rec: Omit<TokenRecord, "id" | "revokedAt">): TokenRecord {
    const hash = sha256(secret);
    const full: TokenRecord = { ...rec, id: tokenIdOf(hash), revokedAt: null };
    this.run("INSERT INTO tokens (hash, tenant_id, user_id, label, created_at, id, expires_at, revoked_at) VALUES (?,?,?,?,?,?,?,NULL)",
      hash, rec.tenantId, rec.userId, rec.label, rec.createdAt, full.id, rec.expiresAt);
    return full;
  }
  tokenByHash(hash: string): TokenRecord | undefined {
    const r = this.one("SELECT * FROM tokens WHERE hash = ?", hash);
    return r && tokenRow(r);
  }
  tokenById(id: string): TokenRecord | undefined {
    const r = this.one("SELECT * FROM tokens WHERE id = ?", id);
    return r && tokenRow(r);
  }
  /** Every token (of one tenant), oldest first: ids, users, labels, dates; never a secret or a hash. */
  listTokens(tenantId?: string): TokenRecord[] {
    const rows = tenantId === undefined ? this.all("SELECT * FROM tokens ORDER BY created_at, id") : this.all("SELECT * FROM tokens WHERE tenant_id = ? ORDER BY created_at, id", tenantId);
    return rows.map(tokenRow);
  }
  revokeToken(id: string, at: string): void { this.run("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id); }

  // ---- audit ----
  appendAudit(tenantId: string, e: Omit<AuditEntry, "seq">): void {
    this.run("INSERT INTO audit (tenant_id, at, actor, action, entity, entity_id, before_json, after_json, request_id) VALUES (?,?,?,?,?,?,?,?,?)",
      tenantId, e.at, e.actor, e.action, e.entity, e.entityId, e.before === undefined ? null : json(e.before), e.after === undefined ? null : json(e.after), e.requestId);
  }
  listAudit(tenantId: string, afterSeq: number, limit: number, newestFirst = false): AuditEntry[] {
    const sql = newestFirst
      ? "SELECT * FROM audit WHERE tenant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"
      : "SELECT * FROM audit WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?";
    return this.all(sql, tenantId, newestFirst ? (afterSeq || Number.MAX_SAFE_INTEGER) : afterSeq, limit).map((r) => ({
      seq: Number(r.seq), at: String(r.at), actor: String(r.actor), action: String(r.action), entity: String(r.entity),
      entityId: String(r.entity_id), before: parse<unknown>(r.before_json, null), after: parse<unknown>(r.after_json, null), requestId: str(r.request_id),
    }));
  }

  // ---- idempotency ----
  getIdempotent(tokenHash: string, key: string): StoredResponse | undefined {
    const r = this.one("SELECT * FROM idempotency WHERE token_hash = ? AND key = ?", tokenHash, key);
    return r && { status: Number(r.status), body: JSON.parse(String(r.response)), bodyHash: String(r.body_hash), method: String(r.method), path: String(r.path) };
  }
  putIdempotent(tokenHash: string, key: string, resp: StoredResponse): void {
    this.run("INSERT INTO idempotency (token_hash, key, method, path, body_hash, status, response, created_at) VALUES (?,?,?,?,?,?,?,?)",
      tokenHash, key, resp.method, resp.path, resp.bodyHash, resp.status, json(resp.body), this.now());
  }
}
