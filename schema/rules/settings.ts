import type { EffectiveUser } from "../normalize";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

/** Rules judged against tenant settings: REC-1, AGT-1. Skipped without tenant facts. */
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
  return out;
}

export const settings = {
  name: "settings",
  rules: {
    "REC-1": {
      rejects: "Recording Playback when the tenant has no call-recording bucket configured",
      why: "there is nothing to play back until a recording bucket is configured",
      source: "000", scope: "plan", needs: ["recordingBucket"], severity: "error",
    },
    "AGT-1": {
      rejects: "declaring the Agent add-on when the tenant assigns it automatically from PBX config",
      why: "the service provider controls auto-assignment; the provider must not fight the platform",
      source: "004", scope: "resource", needs: ["settings"], severity: "error",
    },
  },
  user: (_decl, u, ctx): Finding[] => settingsRules(u, ctx),
} as const satisfies RuleFamily;
