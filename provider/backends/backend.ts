// The seam between the provider and a portal: what the provider needs from one, in records of its
// own (not any portal's wire format). `embedded` (./embedded) is the reference platform's API; a
// vendor's portal is another folder beside it and one line in ./index.ts.
//
// What stays above this interface, the same for every portal: adoption by natural key (a user by
// extension or email, everything else by name; PBX users always, manual users unless
// `onExisting: fail`), the run's one list per collection (../session.ts), the rules and the plan,
// waiting for a licence or for an entity another step of the run creates, and what a conflict
// means. A backend lists, reads, creates, changes and deletes, and says what its portal refused.
import type { DirectoryEntry, EffectiveUser, Permission, ReportPermission, TenantFacts, User } from "../../schema";
import type { FieldOf, Kind } from "../resources";
import type { Settings } from "../session";

/**
 * A portal user. `roles` are the portal's own entitlement keys (licences, tier, permissions, UC
 * clients as the portal names them); the backend's vocabulary (`UserStore.keysOf`,
 * `declarationOf`) maps them to and from the model. Groups are referred to by id.
 */
export interface UserRecord {
  id: string;
  /** The record's version, sent back when writing so that a change made meanwhile is refused (`stale`); absent where the portal has none. */
  etag?: string;
  origin: "pbx" | "manual";
  extension: string | null;
  displayName: string;
  email: string;
  /** Entitlement keys, sorted, server-computed ones included. */
  roles: string[];
  softphoneDevice: string | null;
  groups: string[];
  primaryGroup: string | null;
}

/** The fields of a user the provider writes. An update sends only those it changes. */
export interface UserFields {
  displayName?: string;
  email?: string;
  roles: string[];
  softphoneDevice: string | null;
  groups: string[];
  primaryGroup: string | null;
}
/** A manual user to create (PBX users come from the phone system and are never created). */
export type UserCreate = UserFields & { displayName: string; email: string };

/** A group or a workspace: an entity known by its name. */
export interface NamedRecord {
  id: string;
  etag?: string;
  name: string;
  /** "" when none. */
  description: string;
}
export interface NamedCreate { name: string; description?: string }
export interface NamedChange { name?: string; description?: string }

/** One user's access level in one workspace. */
export interface GrantRecord {
  id: string;
  etag?: string;
  workspaceId: string;
  userId: string;
  access: "admin" | "view";
}

/** A named portal role, in the model's terms (the backend maps report permissions to its own ids). */
export interface RoleRecord {
  id: string;
  etag?: string;
  name: string;
  /** "" when none. */
  description: string;
  reportPermissions: ReportPermission[];
  accountScopes: string[];
  /** Read-only roles every tenant has (ROLE-2). */
  preset: boolean;
}
export interface RoleFields { name: string; description: string; reportPermissions: ReportPermission[]; accountScopes: string[] }

/** Create, read, change and delete of one kind of entity. `etag` is the record's version as read (If-Match where the portal has one). */
export interface Store<R, Create, Change> {
  /** Every entity of the tenant (all pages). */
  list(): Promise<R[]>;
  get(id: string): Promise<R>;
  create(fields: Create): Promise<R>;
  update(id: string, change: Change, etag?: string): Promise<R>;
  delete(id: string): Promise<void>;
}

export interface UserStore extends Store<UserRecord, UserCreate, Partial<UserFields>> {
  /** A PBX user back to the phone system's baseline (its access revoked; it cannot be deleted). */
  revoke(id: string): Promise<UserRecord>;
  /** The entitlement keys a normalized user holds in this portal. Server-computed keys are left out. */
  keysOf(user: EffectiveUser): string[];
  /** A record as a declaration, every field the portal stores explicit, groups named by `groupName`. */
  declarationOf(record: UserRecord, groupName: (id: string) => string): User;
  /**
   * Optional: what Check says of a user in this portal beyond the rules and `Capabilities`, at
   * preview: a declared value it cannot write (a failure, e.g. a role key it does not know) and
   * what to warn about (an assumed key, a charge the change incurs). `live` is the portal's record
   * of the user when it exists.
   */
  preview?(user: EffectiveUser, live: UserRecord | undefined): { failures: { property: string; reason: string }[]; warnings: string[] };
}

/** Users (portal ids) to give a role and to take it from. */
export interface HolderChange { add: string[]; remove: string[] }

export interface RoleStore extends Store<RoleRecord, RoleFields, RoleFields> {
  /** Ids of the users holding the role. */
  holders(id: string): Promise<string[]>;
  /**
   * Add and remove these holders; every other holder stays as it is (one write per call: the
   * provider computes the whole change of a role, authoritative or additive, before calling).
   * `etag` is the role's version where the portal keeps one.
   */
  changeHolders(id: string, change: HolderChange, etag?: string): Promise<void>;
}

/** The tenant's settings the rules need, in the model's terms. */
export type TenantSettings = Pick<TenantFacts, "profile" | "agentAutoAssign" | "realTimeWithLive"> & Partial<Pick<TenantFacts, "recordingBucket" | "x8LicenceTiers" | "masterAccount">>;

/** The acting credential: who it is, and the portal permissions it holds (AUTH-1, BILL-1). */
export interface Credential { email?: string; permissions: Permission[] }

/**
 * What a portal refused, in the provider's terms. Anything a backend does not classify is an
 * error as it stands (its message reaches the user).
 * - `exists`: a create found the entity already there (created meanwhile, or by an earlier attempt whose answer was lost): adopt `existingId`;
 * - `stale`: the record changed since its `etag` was read;
 * - `gone`: no such entity;
 * - `capacity`: no licence left; another operation of the run may give one back (a swap).
 */
export type Refusal = { kind: "exists"; existingId: string } | { kind: "stale" } | { kind: "gone" } | { kind: "capacity" };

/** A rate limit the backend learned from its portal (e.g. RingCentral's per-group limits). */
export interface RateLimit {
  /** The portal's name for the group of endpoints it counts together; "" when it names none. */
  group: string;
  limit: number;
  windowSeconds: number;
  /** Requests left in the window when last answered, if the portal says. */
  remaining?: number;
}
export interface RateLimitFacts {
  limits: RateLimit[];
  /** Requests sent so far in this run, retries included, and of those refused for the rate (429). */
  sent: number;
  refused: number;
}

/**
 * What a backend can carry. Check refuses a declared kind or field it cannot carry at preview,
 * naming the backend and the reason: a declared thing a target cannot carry is an error at
 * preview, never a no-op at apply. `kinds` is total, so a new resource kind makes every backend
 * say whether it carries it before anything compiles.
 */
export interface Capabilities {
  /** Per kind: `true` when carried, or why not ("Xarios has no groups API"). */
  kinds: { [K in Kind]: true | string };
  /** Fields of a carried kind that the backend has no API for, each with why. */
  unsupportedFields?: { [K in Kind]?: { [F in FieldOf<K>]?: string } };
}

/** The writes of a role: the role itself, and its holders (one change per role per run). */
export type RoleWrite = "create" | "update" | "delete" | "holders";

/** What the provider needs from a portal. */
export interface Backend {
  /** Its name in the registry (./index.ts), as `analytics-access:backend` selects it. */
  readonly name: string;
  /** What it can carry (may depend on the tenant, e.g. a permission dictionary read at run time). */
  capabilities(): Promise<Capabilities>;

  // Tenant facts (what schema's TenantFacts needs besides the entities).
  tenant(): Promise<TenantSettings>;
  /** undefined: the portal cannot say (no "who am I"); the rules that need it are then unchecked, and preview says so. */
  credential(): Promise<Credential | undefined>;
  /** The phone system's directory; PBX users come from it. */
  directory(): Promise<DirectoryEntry[]>;
  /** Metered licences: capacity and use. A key absent is not metered. */
  licences(): Promise<TenantFacts["licences"]>;

  // One store per kind of entity.
  users: UserStore;
  groups: Store<NamedRecord, NamedCreate, NamedChange>;
  workspaces: Store<NamedRecord, NamedCreate, NamedChange>;
  grants: Store<GrantRecord, Omit<GrantRecord, "id" | "etag">, Pick<GrantRecord, "access">>;
  roles: RoleStore;

  /** What an error thrown by this backend means to the provider (undefined: nothing it can act on). */
  refusal(err: unknown): Refusal | undefined;
  /** What it knows of its portal's rate limits and of its own use of them. */
  rateLimits(): RateLimitFacts;
  /**
   * Optional, for portals that count requests per group (RingCentral): the group a write of a
   * role is counted in, so that preview can say what the plan will cost in each group.
   */
  roleWriteGroups?: Record<RoleWrite, string>;
}

/** The entity stores, by collection name (the run's lists in ../session.ts). */
export type Collections = { users: UserRecord; groups: NamedRecord; workspaces: NamedRecord; grants: GrantRecord; roles: RoleRecord };

/** How a registry entry makes a backend from the run's settings (all `analytics-access:*` configuration reaches it through `settings.config`). */
export type BackendFactory = (settings: Settings) => Backend;

