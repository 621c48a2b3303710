// The rule catalogue, assembled from the rule families: each family module carries its rules'
// entries and their checks (family.ts). Ids are stable (code, messages and docs use them); the
// README's rule table is generated from this catalogue and a test keeps it in sync.
//
// FAMILIES is the one list of families. Its order is the order the checks run in (so the order of
// findings on a resource: what the profile has, then the user's own rules, then the plan's) and
// the order the docs list the rules in. A new family goes here, with its case table beside it.
import { authority } from "./authority";
import { email } from "./email";
import type { RuleFamily, RuleInfo } from "./family";
import { groups } from "./groups";
import { insights } from "./insights";
import { licences } from "./licences";
import { names } from "./names";
import { origin } from "./origin";
import { profile } from "./profile";
import { roles } from "./roles";
import { settings } from "./settings";
import { ucClient } from "./ucClient";
import { website } from "./website";
import { workspaces } from "./workspaces";
import { x8 } from "./x8";

export type { Need, RuleFamily, RuleInfo } from "./family";

export const FAMILIES = [profile, roles, website, origin, ucClient, groups, settings, x8, insights, workspaces, names, email, authority, licences] as const satisfies readonly RuleFamily[];

type Family = (typeof FAMILIES)[number];
/** Every rule id of every family. */
export type RuleId = Family extends infer F ? (F extends { rules: infer R } ? keyof R & string : never) : never;

function assemble(): Readonly<Record<RuleId, RuleInfo>> {
  const out: Record<string, RuleInfo> = {};
  for (const family of FAMILIES)
    for (const [id, info] of Object.entries(family.rules)) {
      if (Object.hasOwn(out, id)) throw new Error(`rule ${id} is defined twice (again in the ${family.name} family)`);
      out[id] = info;
    }
  return out as Record<RuleId, RuleInfo>;
}

/** The catalogue: every rule's entry, by id, in the families' order. */
export const RULES = assemble();
export const RULE_IDS = Object.keys(RULES) as RuleId[];
