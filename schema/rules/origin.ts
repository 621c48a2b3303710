import type { EffectiveUser } from "../normalize";
import { type Finding, finding, type RuleContext } from "./context";

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
  if (entry && u.email !== null && entry.email !== null && u.email.toLowerCase() !== entry.email.toLowerCase())
    out.push(finding("SRC-4", ["email"], `email ${u.email} differs from the directory's ${entry.email}; PBX users' emails are read-only in the portal`,
      `change it in the phone system, or declare \`email: ${entry.email}\` (or leave it out)`));
  if (entry && u.displayName !== null && u.displayName !== entry.displayName)
    out.push(finding("SRC-4", ["displayName"], `display name "${u.displayName}" differs from the directory's "${entry.displayName}"; PBX users' names are read-only`,
      "change it in the phone system, or leave `displayName` out"));
  return out;
}
