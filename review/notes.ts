// What a reviewer should know that is not a violation.
import type { RuleContext } from "../schema";
import type { ReviewViolation, UserReview } from "./types";

const who = (u: UserReview) => (u.extension !== null ? `ext ${u.extension}` : (u.email ?? u.key));

export function reviewNotes(users: readonly UserReview[], violations: readonly ReviewViolation[], ctx: RuleContext, unmanaged: number | null, rolesStripUnmanaged = false): string[] {
  const t = ctx.tenant;
  const notes: string[] = [];
  if (t && !t.users) notes.push("The tenant facts list no live users: every declared user is compared with a blank portal user, and licence use outside the manifest is the tenant's count only.");
  if (t && !t.grants) notes.push("The tenant facts list no workspace grants: every declared grant is shown as added.");
  if (unmanaged)
    notes.push(`${unmanaged} live user${unmanaged === 1 ? " is" : "s are"} not in the manifest: the provider leaves ${unmanaged === 1 ? "it" : "them"} alone${rolesStripUnmanaged ? " (except the role holders listed as removed under Roles)" : ""}, so ${unmanaged === 1 ? "it is" : "they are"} not listed.`);
  const enabled8x8 = users.filter((u) => u.analyticsTier && u.analyticsTier.before === "none");
  if (enabled8x8.length)
    notes.push(`8x8: data for newly enabled users takes about 48 hours to appear, and some reports are not available at once (${enabled8x8.map(who).join(", ")}).`);
  const insights = users.filter((u) => u.insights && u.insights.after);
  if (insights.length)
    notes.push(`IntelePeer: enabling Insights sends an activation email; these users stay pending until they activate, and the link expires in 7 days (${insights.map(who).join(", ")}).`);
  for (const v of violations.filter((x) => x.rule === "INS-1"))
    notes.push(`IntelePeer: ${v.message}; messaging dashboards are secured only at master-account level.`);
  return notes;
}
