import { type EffectiveUser, nameKey, nfc } from "../normalize";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

/** GRP-1: groups exist and the primary group is one of them. */
export function groupRules(u: EffectiveUser, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const live = ctx.tenant?.groups;
  u.groups.forEach((g) => {
    // Without tenant facts, only declared groups are known: an undeclared one is unchecked, not wrong.
    if (!ctx.declaredGroups.has(g) && live !== undefined && !live.includes(g)) {
      // Group names are exact in the portal (the provider finds a group by its exact name); a near
      // miss in case or in Unicode normalization (NFC vs NFD) is most likely a typo, and said so.
      const near = [...ctx.declaredGroups, ...live].find((x) => nameKey(x) === nameKey(g));
      const onlyNormalization = near !== undefined && nfc(near) === nfc(g);
      out.push(finding("GRP-1", ["groups"], `group "${g}" does not exist${onlyNormalization ? ` (it differs from "${near}" only in Unicode normalization: one is typed decomposed)` : ""}`,
        near ? `did you mean "${near}"?${onlyNormalization ? " Retype the name, or save the file in NFC" : ""}` : "declare it under `groups`, or fix the name"));
    }
  });
  if (u.primaryGroup !== null && !u.groups.includes(u.primaryGroup))
    out.push(finding("GRP-1", ["primaryGroup"], `primary group "${u.primaryGroup}" is not one of the user's groups`,
      `add "${u.primaryGroup}" to \`groups\`, or pick one of: ${u.groups.join(", ") || "(none)"}`));
  return out;
}

export const groups = {
  name: "groups",
  rules: {
    "GRP-1": {
      rejects: "a primary group the user is not a member of, or membership of a group that does not exist",
      why: "calls are attributed to the primary group, which must be one of the user's groups",
      source: "004", scope: "resource", needs: ["groups"], severity: "error",
    },
  },
  user: (_decl, u, ctx): Finding[] => groupRules(u, ctx),
} as const satisfies RuleFamily;
