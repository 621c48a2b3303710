import type { Manifest } from "../manifest";
import { type EffectiveUser, normalizeUser } from "../normalize";
import { PROFILES } from "../profiles";
import type { Role } from "../role";
import type { DirectoryEntry, TenantFacts } from "../tenant";
import type { User } from "../user";
import { RULES, type RuleId } from "./catalogue";

export type PathSegment = string | number;

/** What one rule function reports: where (relative to what it was given), what, and the fix. */
export interface Finding {
  rule: RuleId;
  path: PathSegment[];
  message: string;
  fix: string;
}

/** A finding placed in its manifest or resource, with the catalogue's severity and source. */
export interface Violation extends Finding {
  resource: string;
  severity: "error" | "warning";
  source: string;
}

export const finding = (rule: RuleId, path: PathSegment[], message: string, fix: string): Finding => ({ rule, path, message, fix });

export function place(f: Finding, resource: string, prefix: PathSegment[]): Violation {
  const info = RULES[f.rule];
  return { ...f, path: [...prefix, ...f.path], resource, severity: info.severity, source: info.source };
}

/**
 * Everything the rules may consult, built once per validation: the declared names and the
 * tenant facts, indexed. `tenant` is undefined when validating a manifest offline.
 */
export interface RuleContext {
  profile: Manifest["profile"];
  tenant?: TenantFacts;
  roles: ReadonlyMap<string, Role>;
  declaredGroups: ReadonlySet<string>;
  declaredWorkspaces: ReadonlySet<string>;
  directory?: ReadonlyMap<string, DirectoryEntry>;
  /** Live users by natural key, normalized the same way as declared ones. */
  liveUsers?: ReadonlyMap<string, EffectiveUser>;
}

export function buildContext(manifest: Pick<Manifest, "profile" | "roles" | "groups" | "workspaces">, tenant?: TenantFacts): RuleContext {
  // Preset roles (Office@Hand's) exist in every tenant: users may be assigned them (ROLE-1) and their
  // report permissions count (Live Reports licences). Declaring one is ROLE-2's business.
  const presets: Role[] = Object.entries(PROFILES[manifest.profile].presetRoles ?? {})
    .map(([name, reportPermissions]) => ({ name, reportPermissions: [...reportPermissions] }));
  // A preset declared to choose its membership keeps the preset's permissions.
  const roles = new Map<string, Role>(presets.map((r) => [r.name, r] as const));
  for (const r of manifest.roles) roles.set(r.name, roles.has(r.name) ? { ...roles.get(r.name)!, ...r } : r);
  const directory = tenant?.directory ? new Map(tenant.directory.map((d) => [d.extension, d] as const)) : undefined;
  const liveUsers = tenant?.users
    ? new Map(tenant.users.map((u: User) => {
        const e = normalizeUser(u, { roles, directory, agentAutoAssign: tenant?.agentAutoAssign });
        return [e.key, e] as const;
      }))
    : undefined;
  return {
    profile: manifest.profile,
    tenant,
    roles,
    declaredGroups: new Set(manifest.groups.map((g) => g.name)),
    declaredWorkspaces: new Set(manifest.workspaces.map((w) => w.name)),
    directory,
    liveUsers,
  };
}

/** A declared user as the portal would hold it, in this context (templates, directory, auto-assignment). */
export const normalizeIn = (ctx: Pick<RuleContext, "roles" | "directory" | "tenant">, u: User): EffectiveUser =>
  normalizeUser(u, { roles: ctx.roles, directory: ctx.directory, agentAutoAssign: ctx.tenant?.agentAutoAssign });

