import { emailKey, type EffectiveUser } from "../normalize";
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
 * Finds a user by email (trimmed, case-insensitive: emailKey) or extension, as grants reference
 * them. Later users win (declared over live). With `only`, indexes just those references (as
 * `refKey` gives them).
 */
export function userLookup(users: Iterable<EffectiveUser>, only?: ReadonlySet<string>): (ref: string) => EffectiveUser | undefined {
  const byRef = new Map<string, EffectiveUser>();
  if (only && only.size === 0) return () => undefined; // nothing to find: no pass over the users
  const add = (ref: string, u: EffectiveUser) => { if (!only || only.has(ref)) byRef.set(ref, u); };
  for (const u of users) {
    if (u.email) add(refKey(u.email), u);
    if (u.extension !== null) add(refKey(u.extension), u);
  }
  return (ref) => byRef.get(refKey(ref));
}

/** A grant's user reference as userLookup indexes it. */
export const refKey = (ref: string): string => emailKey(ref);
