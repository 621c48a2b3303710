import type { EffectiveUser } from "../normalize";
import type { Role } from "../role";
import { type Finding, finding, type RuleContext } from "./context";

/** Rules judged against tenant settings: REC-1, AGT-1, X8-1, X8-2. Skipped without tenant facts. */
export function settingsRules(u: EffectiveUser, ctx: RuleContext): Finding[] {
  const t = ctx.tenant;
  if (!t) return [];
  const out: Finding[] = [];
  if (u.recordingScope !== null && t.recordingBucket === false)
    out.push(finding("REC-1", ["permissions", "recordingPlayback"], "Recording Playback is granted but the tenant has no call-recording bucket configured",
      "configure a recording bucket for the tenant first, or remove `recordingPlayback`"));
  if (t.agentAutoAssign && u.agentDeclared)
    out.push(finding("AGT-1", ["addOns"], "the tenant assigns the Agent add-on automatically from PBX config; declaring it would fight the platform",
      "remove `agent` from `addOns` (ask the service provider to change auto-assignment)"));
  const entry = u.extension !== null ? ctx.directory?.get(u.extension) : undefined;
  if (entry && u.analyticsTier !== "none") {
    const allowed = u.analyticsTier === "essentials" ? t.x8LicenceTiers.essentials : t.x8LicenceTiers.supervisor;
    if (!allowed.includes(entry.serviceLicence ?? "")) {
      const rule = u.analyticsTier === "essentials" ? "X8-1" : "X8-2";
      out.push(finding(rule, ["analyticsTier"],
        `analytics tier ${u.analyticsTier} needs a service licence of ${allowed.join(", ")}; extension ${u.extension} has ${entry.serviceLicence ?? "none"}`,
        "upgrade the extension's service licence, or choose a lower analytics tier"));
    }
  }
  return out;
}

/** INS-1 (warning): a role scoped to the master account sees all messaging data. */
export function roleScopeRules(role: Role, ctx: RuleContext): Finding[] {
  const master = ctx.tenant?.masterAccount;
  if (!master || !role.accountScopes?.includes(master)) return [];
  return [finding("INS-1", ["accountScopes"], `role "${role.name}" includes the master account ${master}, so it sees all messaging data of every sub-account`,
    "scope the role to sub-accounts only if messaging data must stay separate")];
}
