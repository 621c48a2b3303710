import { type EffectiveUser, hasPermission } from "../normalize";
import type { WorkspaceGrant } from "../workspace";
import { tierRank } from "../vocabulary";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

/** WS-1, WS-2: who may be granted a workspace. `user` is undefined when the reference matches nobody. */
export function grantRules(grant: WorkspaceGrant, user: EffectiveUser | undefined, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const live = ctx.tenant?.workspaces;
  if (!ctx.declaredWorkspaces.has(grant.workspace) && live !== undefined && !live.includes(grant.workspace))
    out.push(finding("WS-1", ["workspace"], `workspace "${grant.workspace}" does not exist`, "declare the workspace, or fix its name"));
  if (!user) {
    if (ctx.liveUsers)
      out.push(finding("WS-1", ["user"], `user ${grant.user} is neither declared nor in the tenant`, "declare the user, or fix the email or extension"));
    return out;
  }
  if (!hasPermission(user, "websiteAccess"))
    out.push(finding("WS-1", ["user"], `${grant.user} has no Website Access, so cannot open workspace "${grant.workspace}"`,
      "give the user Website Access (or a dashboard tier, which grants it), or remove the grant"));
  if (tierRank(user.tier) < tierRank("analytics"))
    out.push(finding("WS-2", ["user"], `${grant.user} has tier "${user.tier}"; workspaces hold dashboards, which need the analytics tier or above`,
      "raise the user's tier to analytics or above, or remove the grant"));
  return out;
}

export const workspaces = {
  name: "workspaces",
  rules: {
    "WS-1": {
      rejects: "a workspace grant for a user without Website Access, for an unknown user, or to a workspace that does not exist",
      why: "workspaces are seen in the web portal",
      source: "004, 000", scope: "resource", needs: ["workspaces", "users"], severity: "error",
    },
    "WS-2": {
      rejects: "a workspace grant for a user below the Analytics tier",
      why: "workspaces hold dashboards; the Workspaces tab shows only for the dashboard tiers",
      source: "000, 004", scope: "resource", needs: [], severity: "error",
    },
  },
  grant: grantRules,
} as const satisfies RuleFamily;
