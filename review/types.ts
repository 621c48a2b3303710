// The access review's shape: what a plan changes for people and licences, as data. Renderers
// (markdown.ts, json.ts) take it as it is: every list here is already in its final, deterministic order.
import type { AccessType, LicenceKey, Membership, Profile, RuleId, SupervisorTier, WorkspaceAccess, X8AnalyticsTier } from "../schema";

/** A value before and after the plan; `null` in a review field means "no change". */
export interface Change<T> {
  before: T;
  after: T;
}

/** Members of a set gained and lost, each list in the model's order. */
export interface SetChange {
  added: string[];
  removed: string[];
}

/**
 * added: not in the tenant yet (a manual user the provider creates);
 * adopted: a PBX user the phone system already has, in its default state (Essential only, no
 *   portal access), whom the plan gives portal access for the first time;
 * changed: live and managed, and the plan changes it;
 * unchanged: the tenant already holds what the manifest declares.
 */
export type UserStatus = "added" | "adopted" | "changed" | "unchanged";

export interface UserReview {
  /** Natural key: `ext:<extension>` or `email:<lower-case email>`. */
  key: string;
  /** As violations name it: `user ext 201 (ada@…)` or `user ann@…`. */
  resource: string;
  origin: "pbx" | "manual";
  extension: string | null;
  email: string | null;
  displayName: string | null;
  status: UserStatus;
  /** A manual user's display name, when the manifest changes it (PBX users take theirs from the directory). */
  rename: Change<string | null> | null;
  accessType: Change<AccessType> | null;
  tier: Change<SupervisorTier> | null;
  /** 8x8 only. */
  analyticsTier: Change<X8AnalyticsTier> | null;
  addOns: SetChange;
  /** Permission keys; Recording Playback carries its scope: `recordingPlayback:own`. */
  permissions: SetChange;
  /** `desktop`, `crm`, `softphone:<device>:<client>`. */
  ucClient: SetChange;
  groups: SetChange;
  primaryGroup: Change<string | null> | null;
  /** Named portal roles (Office@Hand, IntelePeer); role templates expand into the fields above. */
  roles: SetChange;
  /** IntelePeer only. */
  insights: Change<boolean> | null;
  /** Metered licences the user takes or gives back (what the licence table adds up). */
  licences: SetChange;
}

export interface GrantReview {
  workspace: string;
  /** The member as the manifest (or, for removed grants, the tenant) names it. */
  user: string;
  /** The member's natural key (`ext:204`), or null when the reference matches no user. */
  userKey: string | null;
  access: Change<WorkspaceAccess | null>;
}

export interface LicenceReview {
  key: LicenceKey;
  capacity: number;
  /** Use in the live tenant now; null when the tenant facts do not say. */
  before: number | null;
  /** Use once the plan is applied: declared holders plus live holders outside the manifest. */
  after: number;
  /** after − before; null when before is unknown. */
  delta: number | null;
  overCapacity: boolean;
  /** Declared users (natural keys) who take the licence, and who give it back: a swap shows on both sides. */
  gainedBy: string[];
  lostBy: string[];
}

/** A named role's holders (Office@Hand, IntelePeer), as its Role resource will change them. */
export interface RoleReview {
  name: string;
  /** `authoritative`: the manifest is the whole list; `additive`: its entries only. */
  membership: Membership;
  /** A role the stack does not own (a preset, or one made in the portal): only its holders are managed. */
  holdersOnly: boolean;
  /** Users (natural keys) who gain the role. */
  added: string[];
  /** Users (natural keys, or the tenant's reference for one the manifest does not declare) who lose it. */
  removed: string[];
  /** Live holders the manifest does not list that keep the role. */
  leftAlone: number;
  /**
   * False for an additive role with holders outside the manifest when the previous manifest is not
   * known: a holder this stack listed before and the manifest no longer lists is removed too, and
   * the review cannot tell which (`pulumi preview` says).
   */
  removalsKnown: boolean;
}

export interface ReviewViolation {
  rule: RuleId;
  severity: "error" | "warning";
  resource: string;
  /** Path in the manifest, e.g. `users[2].addOns`; empty for the whole manifest. */
  path: string;
  message: string;
  fix: string;
}

export interface ReviewSummary {
  /** Users the plan changes: added + adopted + changed. */
  usersChanging: number;
  added: number;
  adopted: number;
  changed: number;
  unchanged: number;
  /** Live users the manifest does not declare: the provider leaves them alone. Null when live users are unknown. */
  unmanaged: number | null;
  /** Licences whose use differs before and after. */
  licencesChanging: number;
  /** Licences used beyond capacity after the plan. */
  licencesOverCapacity: number;
  grantsChanging: number;
  errors: number;
  warnings: number;
}

export interface Review {
  profile: Profile;
  summary: ReviewSummary;
  /** Users the plan changes, PBX users by extension, then manual users by email. */
  users: UserReview[];
  grants: { added: GrantReview[]; removed: GrantReview[]; changed: GrantReview[] };
  /** Named roles (Office@Hand, IntelePeer) and what happens to their holders; absent for profiles whose roles are templates. */
  roles?: RoleReview[];
  /** Every metered licence, in the model's order. */
  licences: LicenceReview[];
  /** Errors first, then in manifest order. */
  violations: ReviewViolation[];
  /** Rules not judged for lack of tenant facts. */
  unchecked: RuleId[];
  /** What a reviewer should know that is not a violation (8x8 data delay, IntelePeer activation …). */
  notes: string[];
}
