import type { EffectiveUser } from "../normalize";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

/** UC-1 … UC-3: what each UC client needs. */
export function ucClientRules(u: EffectiveUser, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const phone = u.ucClient.softphone;
  if (phone && u.accessType !== "professional")
    out.push(finding("UC-1", ["ucClient", "softphone"], `a softphone needs the Professional licence; this user has ${u.accessType}`,
      "set `accessType: professional` (billable), or remove the softphone"));
  if (phone && u.origin === "pbx" && ctx.directory) {
    const device = ctx.directory.get(u.extension ?? "")?.devices.find((d) => d.id === phone.device);
    if (!device)
      out.push(finding("UC-2", ["ucClient", "softphone", "device"], `device "${phone.device}" does not belong to extension ${u.extension}`,
        "bind the softphone to one of the user's own devices (see the directory)"));
    else if (phone.client === "crm" && !device.webrtc)
      out.push(finding("UC-2", ["ucClient", "softphone", "device"], `device "${phone.device}" is not WebRTC-enabled, which a CRM softphone needs`,
        "pick a WebRTC-enabled device, or use the desktop client"));
  }
  if (u.ucClient.crm && !u.addOns.includes("crm"))
    out.push(finding("UC-3", ["ucClient", "crm"], "CRM client access needs the CRM add-on", "add `crm` to `addOns` (billable), or remove `ucClient.crm`"));
  return out;
}

export const ucClient = {
  name: "ucClient",
  rules: {
    "UC-1": {
      rejects: "a softphone for a user without the Professional licence",
      why: "softphone features are available to users with a Professional licence",
      source: "004", scope: "resource", needs: [], severity: "error",
    },
    "UC-2": {
      rejects: "a softphone bound to a device the user does not own, or a CRM softphone on a device that is not WebRTC-enabled",
      why: "the softphone registers as one of the user's own PBX devices; the CRM client needs WebRTC",
      source: "004", scope: "resource", needs: ["directory"], severity: "error",
    },
    "UC-3": {
      rejects: "CRM client access without the CRM add-on",
      why: "the CRM client is what the CRM add-on buys",
      source: "004", scope: "resource", needs: [], severity: "error",
    },
  },
  user: (_decl, u, ctx): Finding[] => ucClientRules(u, ctx),
} as const satisfies RuleFamily;
