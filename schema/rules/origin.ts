import { type EffectiveUser, emailKey, nfc } from "../normalize";
import { type Finding, finding, type RuleContext } from "./context";
import type { RuleFamily } from "./family";

/** SRC-1 … SRC-4: what PBX users and manual users can be. */
export function originRules(u: EffectiveUser, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  if (u.origin === "manual") {
    const fix = "manual users have portal access only: remove it, or declare the user by extension (origin: pbx)";
    if (u.accessType !== "none")
      out.push(finding("SRC-1", ["accessType"], `a manual user cannot hold the ${u.accessType} user access licence`, fix));
    for (const a of u.addOns) out.push(finding("SRC-1", ["addOns"], `a manual user cannot hold the ${a} add-on`, fix));
    if (u.ucClient.desktop || u.ucClient.crm || u.ucClient.softphone)
      out.push(finding("SRC-1", ["ucClient"], "a manual user cannot have UC client access", fix));
    return out;
  }
  if (u.accessType === "none")
    out.push(finding("SRC-2", ["accessType"], "Essential cannot be removed from a PBX user: the portal models every PBX user's calls",
      "set `accessType: essential` (or professional), or leave it out"));
  const entry = ctx.directory?.get(u.extension ?? "");
  if (ctx.directory && !entry) {
    out.push(finding("SRC-3", ["extension"], `extension ${u.extension} is not in the phone system's directory, and PBX users cannot be created in the portal`,
      "create the extension in the phone system first, fix the extension, or declare a manual user (email, no extension)"));
  }
  if (entry && u.email !== null && entry.email !== null && emailKey(u.email) !== emailKey(entry.email))
    out.push(finding("SRC-4", ["email"], `email ${u.email} differs from the directory's ${entry.email}; PBX users' emails are read-only in the portal`,
      `change it in the phone system, or declare \`email: ${entry.email}\` (or leave it out)`));
  // Names compare under NFC: the same name typed precomposed or decomposed is the directory's name.
  if (entry && u.displayName !== null && nfc(u.displayName) !== nfc(entry.displayName))
    out.push(finding("SRC-4", ["displayName"], `display name "${u.displayName}" differs from the directory's "${entry.displayName}"; PBX users' names are read-only`,
      "change it in the phone system, or leave `displayName` out"));
  return out;
}

export const origin = {
  name: "origin",
  rules: {
    "SRC-1": {
      rejects: "Essential/Professional, the Agent or CRM add-on, or UC client access on a manual user",
      why: "manual users exist only in the portal: they have no calls to model and no phone",
      source: "004", scope: "resource", needs: [], severity: "error",
    },
    "SRC-2": {
      rejects: "removing Essential from a PBX user (accessType: none)",
      why: "the portal models every PBX user's calls; Essential is always on and greyed out",
      source: "004", scope: "resource", needs: [], severity: "error",
    },
    "SRC-3": {
      rejects: "declaring a PBX user whose extension is not in the phone system's directory (a PBX user cannot be created; removing one from the manifest revokes portal access, it never deletes)",
      why: "PBX users come from the phone system: the provider adopts them on create and revokes them on delete",
      source: "004, 000", scope: "resource", needs: ["directory"], severity: "error",
    },
    "SRC-4": {
      rejects: "a PBX user's email or display name that differs from the phone system's directory",
      why: "PBX users' names and emails are synced from the phone system and read-only in the portal",
      source: "004", scope: "resource", needs: ["directory"], severity: "error",
    },
  },
  user: (_decl, u, ctx): Finding[] => originRules(u, ctx),
} as const satisfies RuleFamily;
