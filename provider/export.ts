// A live tenant → a manifest that reproduces its access decisions in any tenant with the same
// PBX directory. Deterministic: every list sorted by its natural key, so exporting an unchanged
// tenant twice gives equal manifests (and, through renderManifest, equal bytes). No platform ids:
// groups, workspaces, roles and users are referred to by name, extension or email.
import { IDENTITY_FIELDS, inProfileFields, type Manifest, type Profile, PROFILES, type Role, type User, type Workspace } from "../schema";
import { byText, byUser } from "../schema/order";
import type { RoleRecord, UserRecord } from "./backends/backend";
import type { Session } from "./session";

export interface ExportOptions {
  /**
   * Include PBX users at the phone system's baseline (Essential only, no groups, roles or
   * softphone): the platform's default for every extension, not a decision. Default false.
   */
  all?: boolean;
  /**
   * Called as the reads go (for a progress display): what is read next, reads done, reads in all
   * (as far as known: named roles add one read per role once they are listed).
   */
  onProgress?: (step: string, done: number, total: number) => void;
}

/**
 * The declaration in the profile's terms: fields the portal's model does not have are left out.
 * A user whose whole state is outside the model (say an Office@Hand admin's portal permissions)
 * is left out altogether (undefined): declaring them by identity alone would have the provider
 * reset what it cannot express.
 */
function inProfile(u: User, profile: Profile): User | undefined {
  const kept = inProfileFields(u, profile);
  if (Object.keys(kept).length === Object.keys(u).length) return u;
  if (Object.keys(kept).every((k) => (IDENTITY_FIELDS as readonly string[]).includes(k))) return undefined;
  return kept;
}

/**
 * A platform user (`full`: the record as a full declaration, the backend's `declarationOf`) as a minimal declaration: defaults left out (origin, Essential for PBX users,
 * none for manual users, tier none, empty lists), PBX users by extension only (their email and
 * name come from whichever tenant's directory the manifest is applied to), Website Access left
 * out where the portal adds it by itself (a supervisor tier or UC client access), the Agent
 * add-on left out where the tenant assigns it from PBX config. Normalizing the result in the
 * tenant gives back the state the portal holds.
 */
export function minimalUser(api: UserRecord, full: User, opts: { agentAutoAssign: boolean; roles?: string[] }): User {
  const pbx = api.origin === "pbx" && api.extension !== null;
  const out: User = pbx ? { extension: api.extension! } : { email: api.email, ...(api.displayName ? { displayName: api.displayName } : {}) };
  const accessType = full.accessType ?? (pbx ? "essential" : "none");
  if (accessType !== (pbx ? "essential" : "none")) out.accessType = accessType;
  const addOns = (full.addOns ?? []).filter((a) => !(a === "agent" && pbx && opts.agentAutoAssign));
  if (addOns.length) out.addOns = [...addOns].sort(byText);
  if (full.tier && full.tier !== "none") out.tier = full.tier;
  const uc = full.ucClient ?? {};
  const ucClient: NonNullable<User["ucClient"]> = {};
  if (uc.desktop) ucClient.desktop = true;
  if (uc.crm) ucClient.crm = true;
  // The platform stores the device only: the client is the schema's default (left out when written).
  if (uc.softphone) ucClient.softphone = { device: uc.softphone.device, client: "desktop" };
  const implied = out.tier !== undefined || Object.keys(ucClient).length > 0;
  const permissions = { ...(full.permissions ?? {}) };
  if (implied && permissions.websiteAccess === true) delete permissions.websiteAccess;
  if (Object.keys(permissions).length) out.permissions = permissions;
  if (Object.keys(ucClient).length) out.ucClient = ucClient;
  if (full.groups?.length) out.groups = [...full.groups].sort(byText);
  if (full.primaryGroup) out.primaryGroup = full.primaryGroup;
  if (opts.roles?.length) out.roles = [...new Set(opts.roles)].sort(byText);
  if (full.analyticsTier && full.analyticsTier !== "none") out.analyticsTier = full.analyticsTier;
  return out;
}

/** A PBX user declared with nothing but its extension: the phone system's default, not a decision. */
export const isBaseline = (u: User): boolean => u.extension !== undefined && Object.keys(u).length === 1;

/** A named role in the profile's terms: the fields its roles have (report permissions, account scopes). */
function roleFromApi(r: RoleRecord, profile: Profile): Role {
  const fields = PROFILES[profile].roleFields;
  const role: Role = { name: r.name };
  if (r.description) role.description = r.description;
  if (fields.includes("reportPermissions")) {
    const rp = r.reportPermissions;
    if (rp.length) role.reportPermissions = [...new Set(rp)].sort(byText);
  }
  if (fields.includes("accountScopes") && r.accountScopes.length) role.accountScopes = [...new Set(r.accountScopes)].sort(byText);
  return role;
}

/**
 * The live tenant the session's token belongs to, as a manifest: profile, groups, workspaces with
 * their members, named roles (Office@Hand, IntelePeer; presets are assigned, never declared) and
 * users, every list sorted, no ids.
 */
export async function exportManifest(session: Session, opts: ExportOptions = {}): Promise<Manifest> {
  let done = 0;
  let total = 5; // tenant, groups, workspaces, grants, users; named roles add theirs
  const read = async <T>(what: string, load: () => Promise<T>): Promise<T> => {
    opts.onProgress?.(`reading ${what}`, done, total);
    const value = await load();
    done++;
    return value;
  };
  // One collection at a time: a progress display can say which, and the platform's rate limit is spared.
  const tenant = await read("tenant", () => session.tenant());
  const groups = await read("groups", () => session.groups());
  const workspaces = await read("workspaces", () => session.workspaces());
  const grants = await read("workspace grants", () => session.grants());
  const users = await read("users", () => session.users());
  const namedRoles = PROFILES[tenant.profile].roles === "named";
  if (namedRoles) total++;
  const roles = namedRoles ? await read("roles", () => session.roles()) : [];
  total += roles.length;

  // Who holds which named role: one read per role (the platform keeps assignments on the role).
  const rolesOf = new Map<string, string[]>();
  for (const r of roles) {
    const userIds = await read(`holders of role ${r.name}`, () => session.backend.roles.holders(r.id));
    for (const id of userIds) rolesOf.set(id, [...(rolesOf.get(id) ?? []), r.name]);
  }

  const groupById = new Map(groups.map((g) => [g.id, g.name]));
  const groupName = (id: string) => {
    const name = groupById.get(id);
    if (name === undefined) throw new Error(`a user belongs to group ${id}, which the tenant's group list does not have: export again`);
    return name;
  };

  // Workspace members by email; by extension for a PBX user without one. Never by id.
  const userById = new Map(users.map((u) => [u.id, u]));
  const memberRef = (id: string): string => {
    const u = userById.get(id);
    if (!u) throw new Error(`a workspace grant names user ${id}, which the tenant's user list does not have: export again`);
    return u.email || u.extension || id;
  };
  const membersOf = new Map<string, NonNullable<Workspace["members"]>>();
  for (const g of grants) membersOf.set(g.workspaceId, [...(membersOf.get(g.workspaceId) ?? []), { user: memberRef(g.userId), access: g.access }]);

  const declared = users
    .map((u) => inProfile(minimalUser(u, session.backend.users.declarationOf(u, groupName), { agentAutoAssign: tenant.agentAutoAssign, roles: rolesOf.get(u.id) }), tenant.profile))
    .filter((u): u is User => u !== undefined && (opts.all || !isBaseline(u)))
    .sort(byUser);
  opts.onProgress?.("done", done, total);

  const entities = PROFILES[tenant.profile].groupsAndWorkspaces;
  return {
    version: 1,
    profile: tenant.profile,
    groups: (entities ? groups : [])
      .map((g) => ({ name: g.name, ...(g.description ? { description: g.description } : {}) }))
      .sort((a, b) => byText(a.name, b.name)),
    workspaces: (entities ? workspaces : [])
      .map((w): Workspace => {
        const members = (membersOf.get(w.id) ?? []).sort((a, b) => byText(a.user.toLowerCase(), b.user.toLowerCase()) || byText(a.user, b.user) || byText(a.access, b.access));
        return { name: w.name, ...(w.description ? { description: w.description } : {}), ...(members.length ? { members } : {}) };
      })
      .sort((a, b) => byText(a.name, b.name)),
    roles: roles.filter((r) => !r.preset).map((r) => roleFromApi(r, tenant.profile)).sort((a, b) => byText(a.name, b.name)),
    users: declared,
  };
}
