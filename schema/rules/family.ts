// A rule family: one module in this folder with the catalogue entries of its rules and the checks
// that judge them (as ESLint's rule modules carry their meta and their check). The catalogue
// (catalogue.ts) is assembled from the families; the entry points (index.ts) run each family's
// checks at the level it judges: the manifest, a role, a user, a grant, or the whole plan.
import type { Manifest } from "../manifest";
import type { EffectiveUser } from "../normalize";
import type { Role } from "../role";
import type { User } from "../user";
import type { WorkspaceGrant } from "../workspace";
import type { Finding, RuleContext, Violation } from "./context";
import type { Declared } from "./declared";

/** Tenant facts a rule may need; without them the rule is reported as unchecked. */
export type Need = "directory" | "credential" | "credentialEmail" | "users" | "licences" | "settings" | "recordingBucket" | "groups" | "workspaces" | "roles";

/** One rule's catalogue entry. Ids are stable: code, messages and docs use them. */
export interface RuleInfo {
  /** What a declaration is rejected for. */
  rejects: string;
  /** Why the portal works that way. */
  why: string;
  /** Seed (vendor help page) the rule comes from: see ../shared/seeds. */
  source: string;
  /** resource: judged on one declaration (plus tenant facts); plan: needs the whole declared set. */
  scope: "resource" | "plan";
  /** Tenant facts the rule needs; without them the rule is reported as unchecked. */
  needs: readonly Need[];
  severity: "error" | "warning";
}

/**
 * A family's rules and checks. Findings are relative to what a check is given (the entry points
 * place them); plan checks place their own violations. A family has only the checks it needs.
 */
export interface RuleFamily {
  /** The module's name: `schema/rules/<name>.ts`, its case table `<name>.test.ts` beside it. */
  name: string;
  /** The family's catalogue entries, by rule id, in the order the docs list them. */
  rules: Readonly<Record<string, RuleInfo>>;
  /** The manifest as a whole. */
  manifest?(m: Manifest, ctx: RuleContext): Finding[];
  /** One role declaration. */
  role?(role: Role, ctx: RuleContext): Finding[];
  /** One user: as declared, and as the portal would hold it. */
  user?(decl: User, u: EffectiveUser, ctx: RuleContext): Finding[];
  /** One workspace grant; `user` is undefined when the reference matches nobody. */
  grant?(grant: WorkspaceGrant, user: EffectiveUser | undefined, ctx: RuleContext): Finding[];
  /** The whole declared set, against the live tenant. */
  plan?(m: Manifest, declared: Declared, ctx: RuleContext): Violation[];
}
