import {
  authorityRules,
  buildContext,
  checkRole,
  checkUser,
  describeUser,
  emailRules,
  type EffectiveUser,
  type Finding,
  checkGrant,
  isAuthority,
  lastHolderRules,
  normalizeIn,
  type PathSegment,
  type Role,
  type RuleContext,
  type TenantFacts,
  type User,
  type WorkspaceGrant,
} from "../schema";

/**
 * What this run declares, learned Check by Check, judged together with the live tenant.
 *
 * Pulumi's engine calls Check one resource at a time, in the order the program registers them,
 * and a resource is registered only after the resources it depends on (deploy/step_generator.go;
 * the SDK waits for dependencies). So when a user's Check runs, the groups it depends on were
 * checked before it, and when a grant's Check runs, so was its user: a plan that creates a group
 * and puts a user in it, or raises a tier and grants a workspace, is judged as it will be once
 * applied, not against the tenant as it is. Licence counts (LIC-1) need the whole plan: `Access`
 * judges them before registering anything.
 *
 * The tenant is read once per run; writes of this run update it in place (`userWritten`), so each
 * Check costs the same whatever the tenant's size.
 */
export class Plan {
  private readonly groups = new Set<string>();
  private readonly workspaces = new Set<string>();
  private readonly roles: Map<string, Role>;
  private readonly declared = new UserIndex();
  private readonly live = new UserIndex();
  readonly ctx: RuleContext;

  constructor(readonly facts: TenantFacts) {
    const base = buildContext({ profile: facts.profile, roles: [], groups: [], workspaces: [] }, facts);
    for (const u of base.liveUsers?.values() ?? []) this.live.put(u);
    this.roles = new Map(base.roles);
    this.ctx = { ...base, roles: this.roles, declaredGroups: this.groups, declaredWorkspaces: this.workspaces, liveUsers: this.live.byKey };
  }

  /** A declaration as the portal would hold it in this tenant (directory, auto-assignment). */
  effective(decl: User): EffectiveUser {
    return normalizeIn(this.ctx, decl);
  }

  declareGroup(name: string): void {
    this.groups.add(name);
  }
  declareWorkspace(name: string): void {
    this.workspaces.add(name);
  }

  /** Every rule one user can be judged on: alone, against the tenant, and against the users declared before it. */
  judgeUser(decl: User): Finding[] {
    const eff = this.effective(decl);
    const email = eff.email?.toLowerCase() ?? "";
    // MAIL-1 over the users that share this email: declared ones, and live ones this run does not redeclare.
    const as = (u: EffectiveUser, path: PathSegment[]) => ({ decl, eff: u, path, resource: describeUser({ extension: u.extension ?? undefined, email: u.email ?? undefined, origin: u.origin }) });
    const others = this.declared.withEmail(email).filter((u) => u.key !== eff.key).map((u) => as(u, ["declared"]));
    const live = this.live.withEmail(email).filter((u) => u.key !== eff.key && !this.declared.byKey.has(u.key));
    const findings: Finding[] = [
      ...checkUser(decl, this.ctx, eff),
      ...emailRules({ users: [as(eff, []), ...others], grants: [] }, { ...this.ctx, liveUsers: new Map(live.map((u) => [u.key, u])) }).filter((v) => v.path[0] !== "declared"),
      ...authorityRules({ users: [as(eff, [])], grants: [] }, this.ctx),
      ...this.lastHolder(eff, as(eff, [])),
    ];
    this.declared.put(eff);
    return findings;
  }

  /**
   * AUTH-4 when this user loses an authority permission: holders are the tenant as this run leaves it
   * so far (live users, with the users declared before this one as declared). Only then is the
   * tenant walked, so a Check that takes no authority away costs no more than before.
   */
  private lastHolder(eff: EffectiveUser, self: { decl: User; eff: EffectiveUser; path: PathSegment[]; resource: string }): Finding[] {
    const before = this.live.byKey.get(eff.key);
    if (!before?.permissions.some((p) => isAuthority(p) && !eff.permissions.includes(p))) return [];
    const tenant = new Map(this.live.byKey);
    for (const [k, u] of this.declared.byKey) if (k !== eff.key) tenant.set(k, u);
    return lastHolderRules({ users: [self], grants: [] }, { ...this.ctx, liveUsers: tenant });
  }

  /** WS-1, WS-2 against the user as this run declares it, or as the tenant holds it. */
  judgeGrant(grant: WorkspaceGrant): Finding[] {
    return checkGrant(grant, this.user(grant.user), this.ctx);
  }

  /** A named role's rules; users checked after it may hold it (ROLE-1). */
  judgeRole(role: Role): Finding[] {
    const findings = checkRole(role, this.ctx);
    this.roles.set(role.name, role);
    return findings;
  }

  /** A user by the reference grants and roles use (email, case-insensitive, or extension): declared first, then live. */
  user(ref: string): EffectiveUser | undefined {
    return this.declared.byRef(ref) ?? this.live.byRef(ref);
  }

  /** A user this run wrote, as later Checks see the tenant. */
  userWritten(decl: User): void {
    this.live.put(this.effective(decl));
  }

  userRemoved(key: string): void {
    this.live.remove(key);
  }
}

/** Users by natural key, by reference (email or extension, lower-case) and by email. */
class UserIndex {
  readonly byKey = new Map<string, EffectiveUser>();
  private readonly refs = new Map<string, EffectiveUser>();
  private readonly emails = new Map<string, EffectiveUser[]>();

  put(u: EffectiveUser): void {
    this.remove(u.key);
    this.byKey.set(u.key, u);
    if (u.email) {
      const e = u.email.toLowerCase();
      this.refs.set(e, u);
      this.emails.set(e, [...(this.emails.get(e) ?? []), u]);
    }
    if (u.extension !== null) this.refs.set(u.extension.toLowerCase(), u);
  }

  remove(key: string): void {
    const u = this.byKey.get(key);
    if (!u) return;
    this.byKey.delete(key);
    if (u.email) {
      const e = u.email.toLowerCase();
      if (this.refs.get(e) === u) this.refs.delete(e);
      const rest = (this.emails.get(e) ?? []).filter((x) => x !== u);
      if (rest.length) this.emails.set(e, rest);
      else this.emails.delete(e);
    }
    if (u.extension !== null && this.refs.get(u.extension.toLowerCase()) === u) this.refs.delete(u.extension.toLowerCase());
  }

  byRef(ref: string): EffectiveUser | undefined {
    return this.refs.get(ref.toLowerCase());
  }

  withEmail(email: string): EffectiveUser[] {
    return email ? (this.emails.get(email) ?? []) : [];
  }
}
