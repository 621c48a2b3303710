import type { EffectiveUser } from "../normalize";
import type { User } from "../user";
import type { WorkspaceGrant } from "../workspace";
import type { PathSegment } from "./context";

/** A declared user, normalized, with where it was declared. */
export interface DeclaredUser {
  decl: User;
  eff: EffectiveUser;
  path: PathSegment[];
  resource: string;
}

export interface DeclaredGrant {
  grant: WorkspaceGrant;
  path: PathSegment[];
  resource: string;
}

/** The whole declared set that plan rules judge. */
export interface Declared {
  users: DeclaredUser[];
  grants: DeclaredGrant[];
}

/**
 * Finds a user by email (case-insensitive) or extension, as grants reference them. Later users
 * win (declared over live). With `only`, indexes just those references (lower-case).
 */
export function userLookup(users: Iterable<EffectiveUser>, only?: ReadonlySet<string>): (ref: string) => EffectiveUser | undefined {
  const byRef = new Map<string, EffectiveUser>();
  const add = (ref: string, u: EffectiveUser) => { if (!only || only.has(ref)) byRef.set(ref, u); };
  for (const u of users) {
    if (u.email) add(u.email.toLowerCase(), u);
    if (u.extension !== null) add(u.extension.toLowerCase(), u);
  }
  return (ref) => byRef.get(ref.toLowerCase());
}
