import type { Role } from "../role";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

/** INS-1 (IntelePeer, a warning): a role scoped to the master account sees all messaging data. */
export function roleScopeRules(role: Role, ctx: RuleContext): Finding[] {
  const master = ctx.tenant?.masterAccount;
  if (!master || !role.accountScopes?.includes(master)) return [];
  return [finding("INS-1", ["accountScopes"], `role "${role.name}" includes the master account ${master}, so it sees all messaging data of every sub-account`,
    "scope the role to sub-accounts only if messaging data must stay separate")];
}

export const insights = {
  name: "insights",
  rules: {
    "INS-1": {
      rejects: "nothing (warning): an IntelePeer role that includes a master account sees all messaging data of its sub-accounts",
      why: "messaging dashboards are secured only at master-account level",
      source: "003", scope: "resource", needs: ["settings"], severity: "warning",
    },
  },
  role: roleScopeRules,
} as const satisfies RuleFamily;
