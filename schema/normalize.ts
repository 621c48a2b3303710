import { PERMISSIONS, type Permission, type Permissions } from "./permissions";
import type { Role } from "./role";
import type { DirectoryEntry } from "./tenant";
import type { Softphone, User } from "./user";
import { type AccessType, type AddOn, type RecordingScope, type SupervisorTier, type X8AnalyticsTier, tierRank } from "./vocabulary";

/** A user with every default applied and role templates expanded: what the portal would hold. */
export interface EffectiveUser {
  /** Natural key: `ext:<extension>` for PBX users, `email:<lower-case email>` for manual users. */
  key: string;
  origin: "pbx" | "manual";
  extension: string | null;
  email: string | null;
  displayName: string | null;
  accessType: AccessType;
  addOns: AddOn[];
  tier: SupervisorTier;
  /** Granted permissions, Website Access included when the platform adds it by itself. */
  permissions: Permission[];
  recordingScope: RecordingScope | null;
  /** `permissions.websiteAccess: false` was declared. */
  websiteAccessDenied: boolean;
  /** The Agent add-on was declared (not assigned by the platform): what AGT-1 judges. */
  agentDeclared: boolean;
  ucClient: { desktop: boolean; crm: boolean; softphone: Softphone | null };
  groups: string[];
  primaryGroup: string | null;
  roles: string[];
  analyticsTier: X8AnalyticsTier;
  insights: boolean;
}

/** A sorted set as an array; most lists here have 0–2 items, so skip the Set when it cannot matter. */
const sorted = <T extends string>(xs: readonly T[]): T[] => (xs.length < 2 ? xs.slice() : [...new Set(xs)].sort());

/**
 * How names compare wherever they are natural keys (groups, workspaces, roles, display names):
 * under Unicode NFC, so "Café" typed precomposed and decomposed is one name. `nameKey` also folds case.
 */
export const nfc = (s: string): string => s.normalize("NFC");
export const nameKey = (s: string): string => nfc(s).toLowerCase();
/** How emails compare: trimmed, NFC, case-insensitive (the platform trims and compares case-insensitively). */
export const emailKey = (s: string): string => nfc(s.trim()).toLowerCase();

export const userKey = (u: Pick<User, "origin" | "extension" | "email">): string =>
  u.extension !== undefined && u.origin !== "manual" ? `ext:${u.extension}` : `email:${emailKey(u.email ?? "")}`;

export const describeUser = (u: Pick<User, "extension" | "email" | "origin">): string =>
  u.extension !== undefined && u.origin !== "manual" ? `user ext ${u.extension}${u.email ? ` (${u.email})` : ""}` : `user ${u.email}`;

const RECORDING_RANK = { false: 0, own: 1, all: 2 } as const;

/** Two templates' permissions together: a grant beats no grant, the wider recording scope wins. */
function mergePermissions(a: Permissions, b: Permissions): Permissions {
  const out: Permissions = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof Permissions, Permissions[keyof Permissions]][]) {
    const prev = out[k];
    if (k === "recordingPlayback") {
      const rank = (x: unknown) => RECORDING_RANK[String(x ?? false) as keyof typeof RECORDING_RANK] ?? 0;
      if (prev === undefined || rank(v) > rank(prev)) out.recordingPlayback = v as Permissions["recordingPlayback"];
    } else if (prev === undefined || v === true) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/**
 * Role templates under the user's own declaration: the user's values win; among templates the
 * highest tier and the broadest permission win; add-ons are unioned.
 */
function expandRoles(user: User, roles: ReadonlyMap<string, Role>): { tier?: SupervisorTier; permissions: Permissions; addOns: readonly AddOn[] } {
  // Most users name no role: their own declaration is the whole story (and this runs per user).
  if (!user.roles?.length) return { tier: user.tier, permissions: user.permissions ?? {}, addOns: user.addOns ?? [] };
  let tier: SupervisorTier | undefined;
  let permissions: Permissions = {};
  const addOns: AddOn[] = [];
  for (const name of user.roles) {
    const role = roles.get(name);
    if (!role) continue; // ROLE-1 reports it
    if (role.tier && (tier === undefined || tierRank(role.tier) > tierRank(tier))) tier = role.tier;
    permissions = mergePermissions(permissions, role.permissions ?? {});
    addOns.push(...(role.addOns ?? []));
  }
  return {
    tier: user.tier ?? tier,
    permissions: { ...permissions, ...user.permissions },
    addOns: [...addOns, ...(user.addOns ?? [])],
  };
}

export interface NormalizeContext {
  roles?: ReadonlyMap<string, Role>;
  directory?: ReadonlyMap<string, DirectoryEntry>;
  /** The tenant assigns the Agent add-on from PBX config (the directory's acdAgent flag). */
  agentAutoAssign?: boolean;
}

export function normalizeUser(user: User, ctx: NormalizeContext = {}): EffectiveUser {
  const origin = user.origin ?? (user.extension !== undefined ? "pbx" : "manual");
  const entry = origin === "pbx" && user.extension !== undefined ? ctx.directory?.get(user.extension) : undefined;
  const expanded = expandRoles(user, ctx.roles ?? new Map());
  const tier = expanded.tier ?? "none";
  const uc = {
    desktop: user.ucClient?.desktop ?? false,
    crm: user.ucClient?.crm ?? false,
    softphone: user.ucClient?.softphone ?? null,
  };
  const hasUc = uc.desktop || uc.crm || uc.softphone !== null;
  const declared = expanded.permissions;
  const websiteAccessDenied = declared.websiteAccess === false;
  // The portal grants Website Access by itself with a tier or UC client access (seed 004).
  const websiteAccess = declared.websiteAccess === true || (!websiteAccessDenied && (tier !== "none" || hasUc));
  const recordingScope = declared.recordingPlayback ? declared.recordingPlayback : null;
  const agentDeclared = expanded.addOns.includes("agent");
  // Under auto-assignment the platform decides the Agent add-on; the declaration cannot.
  const addOns = ctx.agentAutoAssign
    ? [...expanded.addOns.filter((a) => a !== "agent"), ...(entry?.acdAgent ? (["agent"] as const) : [])]
    : expanded.addOns;
  const permissions: Permission[] = [];
  for (const p of PERMISSIONS)
    if (p === "websiteAccess" ? websiteAccess : p === "recordingPlayback" ? recordingScope !== null : declared[p] === true) permissions.push(p);
  return {
    key: userKey({ origin, extension: user.extension, email: user.email }),
    origin,
    extension: user.extension ?? null,
    email: user.email ?? entry?.email ?? null,
    displayName: user.displayName ?? entry?.displayName ?? null,
    accessType: user.accessType ?? (origin === "pbx" ? "essential" : "none"),
    addOns: sorted(addOns),
    tier,
    permissions,
    recordingScope,
    websiteAccessDenied,
    agentDeclared,
    ucClient: uc,
    groups: sorted(user.groups ?? []),
    primaryGroup: user.primaryGroup ?? null,
    roles: sorted(user.roles ?? []),
    analyticsTier: user.analyticsTier ?? "none",
    insights: user.insights ?? false,
  };
}

export const hasPermission = (u: EffectiveUser, p: Permission): boolean => u.permissions.includes(p);
