// Xarios's vocabulary: the ONE table from the model's slots to Xarios role keys
// (../../../../shared/VENDOR-APIS.md §1.4). A slot's key is the documented one by default; keys the
// public docs do not give have no default and come from stack configuration
// (`analytics-access:xariosRoleKeys`, a JSON object slot → key), which may also override any default.
// Pure functions both ways, so what the provider writes reads back equal: no perpetual diff.
import type { AddOn, EffectiveUser, Permission, SupervisorTier, User } from "../../../schema";
import type { UserRecord } from "../backend";

type PermissionSlot = `permission.${Exclude<Permission, "recordingPlayback">}`;
export type Slot =
  | "access.essential" | "access.professional" | `addOn.${AddOn}` | `tier.${Exclude<SupervisorTier, "none">}`
  | PermissionSlot | "recording.own" | "recording.all" | "uc.desktop" | "uc.crm";

/** How sure the default is: `documented` (read in the vendor's docs), `inferred` (a documented key whose meaning is inferred), `undocumented` (no default). */
type Source = "documented" | "inferred" | "undocumented";
interface SlotDef { key?: string; source: Source; note: string }

export const ROLE_KEYS: Record<Slot, SlotDef> = {
  "access.essential": { key: "customer.user.pbx", source: "documented", note: "Essential User (synced from the PBX)" },
  "access.professional": { key: "customer.user.uc.remote", source: "documented", note: "Professional User" },
  "addOn.agent": { key: "customer.user.acd", source: "documented", note: "Agent User Add-On" },
  "addOn.crm": { source: "undocumented", note: "the CRM add-on's key is not in the public docs" },
  "tier.reports": { key: "customer.user.supervisorl1", source: "documented", note: "\"Reporter Supervisor Level\" in the Create example" },
  "tier.analytics": { key: "customer.user.supervisorl3", source: "inferred", note: "supervisorl3 is documented (Get example) but not which tier it is; Analytics is its place in the Licence Metrics order (Reports, Insights, Analytics, …)" },
  "tier.liveAnalytics": { source: "undocumented", note: "the key-to-tier table beyond l1 and l3 is not in the public docs" },
  "tier.contactCenter": { source: "undocumented", note: "the key-to-tier table beyond l1 and l3 is not in the public docs" },
  "permission.websiteAccess": { key: "customer.user", source: "documented", note: "Website User, always added on create" },
  "permission.customerSettings": { key: "customer.settings", source: "documented", note: "Customer Settings" },
  "permission.manageUsers": { source: "undocumented", note: "Manage Users' customer key is not documented (the Create example's admin.user \"User Administrator\" may be it)" },
  "permission.manageBillableItems": { source: "undocumented", note: "Manage Billable Items' key is not in the public docs" },
  "permission.manageContactDirectories": { source: "undocumented", note: "not in the public docs" },
  "permission.workspaceAdministrator": { source: "undocumented", note: "not in the public docs" },
  "permission.restApiAdministrator": { source: "undocumented", note: "not in the public docs (onboarding.admin is the reseller-level one)" },
  "permission.supervisorAgentControl": { source: "undocumented", note: "not in the public docs" },
  "permission.silentMonitor": { source: "undocumented", note: "not in the public docs" },
  "permission.webhooksAdministrator": { source: "undocumented", note: "not in the public docs (webhooks.admin is the reseller-level one)" },
  "recording.own": { source: "undocumented", note: "the Recording Playback permission and its scopes are not in the public docs" },
  "recording.all": { source: "undocumented", note: "the Recording Playback permission and its scopes are not in the public docs" },
  "uc.desktop": { source: "undocumented", note: "the UC client roles are not in the public docs" },
  "uc.crm": { source: "undocumented", note: "the UC client roles are not in the public docs" },
};
export const SLOTS = Object.keys(ROLE_KEYS) as Slot[];
/** Real-Time: computed by the portal (a Live Analytics or Contact Center tier brings it), never written. */
export const REALTIME = "customer.user.pbx.realtime";
export const ROLE_KEYS_CONFIG = "analytics-access:xariosRoleKeys";

/** Each slot's key as this stack uses it, and where it comes from. */
export interface Resolved { key?: string; from: "configured" | Exclude<Source, "undocumented"> | "missing"; note: string }

/** The table with the stack's configuration applied; a malformed configuration is refused, naming what is wrong. */
export function resolveKeys(configured: string | undefined): Record<Slot, Resolved> {
  let given: Record<string, unknown> = {};
  if (configured) {
    try { given = JSON.parse(configured) as Record<string, unknown>; } catch {
      throw new Error(`${ROLE_KEYS_CONFIG} is not JSON: give an object of slot → role key, e.g. {"tier.liveAnalytics":"customer.user.supervisorl4"}`);
    }
    if (typeof given !== "object" || given === null || Array.isArray(given)) throw new Error(`${ROLE_KEYS_CONFIG} must be a JSON object of slot → role key`);
    const unknown = Object.keys(given).filter((k) => !Object.hasOwn(ROLE_KEYS, k));
    if (unknown.length) throw new Error(`${ROLE_KEYS_CONFIG}: unknown slot(s) ${unknown.join(", ")}; the slots are ${SLOTS.join(", ")}`);
    const bad = Object.entries(given).filter(([, v]) => typeof v !== "string" || !v);
    if (bad.length) throw new Error(`${ROLE_KEYS_CONFIG}: ${bad.map(([k]) => k).join(", ")} must be non-empty strings`);
  }
  const out = {} as Record<Slot, Resolved>;
  for (const s of SLOTS) {
    const d = ROLE_KEYS[s];
    const c = given[s] as string | undefined;
    out[s] = c ? { key: c, from: "configured", note: d.note } : d.key ? { key: d.key, from: d.source as "documented" | "inferred", note: d.note } : { from: "missing", note: d.note };
  }
  const keys = SLOTS.flatMap((s) => out[s].key ?? []);
  const dup = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (dup.length) throw new Error(`${ROLE_KEYS_CONFIG}: role key(s) ${[...new Set(dup)].join(", ")} stand for more than one slot; each slot needs its own key`);
  return out;
}

/** The slots a normalized user holds. */
export function slotsOf(u: EffectiveUser): Slot[] {
  const slots: Slot[] = [];
  if (u.origin === "pbx") slots.push("access.essential");
  if (u.accessType === "professional") slots.push("access.professional");
  for (const a of u.addOns) slots.push(`addOn.${a}`);
  if (u.tier !== "none") slots.push(`tier.${u.tier}`);
  for (const p of u.permissions) if (p !== "recordingPlayback") slots.push(`permission.${p}`);
  if (u.recordingScope) slots.push(`recording.${u.recordingScope}`);
  if (u.ucClient.desktop) slots.push("uc.desktop");
  if (u.ucClient.crm) slots.push("uc.crm");
  return slots;
}

export class XariosKeys {
  private readonly slotOf: Map<string, Slot>;
  constructor(readonly table: Record<Slot, Resolved>) {
    this.slotOf = new Map(SLOTS.flatMap((s) => (table[s].key ? [[table[s].key!, s] as const] : [])));
  }

  /** The keys a user holds in Xarios; a slot without a key (undocumented, not configured) is refused (Check refuses it first). */
  keysOf(u: EffectiveUser): string[] {
    const missing = slotsOf(u).filter((s) => !this.table[s].key);
    if (missing.length) throw new Error(missingMessage(missing));
    return slotsOf(u).map((s) => this.table[s].key!).sort();
  }

  /** A Xarios user as a declaration, every field Xarios stores explicit. Keys that stand for no slot (Real-Time, unknown ones) are left out. */
  declarationOf(a: UserRecord): User {
    const has = new Set(a.roles.flatMap((k) => this.slotOf.get(k) ?? []));
    const tiers = (["contactCenter", "liveAnalytics", "analytics", "reports"] as const).filter((t) => has.has(`tier.${t}`));
    const permissions: NonNullable<User["permissions"]> = {};
    for (const s of has) if (s.startsWith("permission.")) permissions[s.slice("permission.".length) as Exclude<Permission, "recordingPlayback">] = true;
    if (has.has("recording.all")) permissions.recordingPlayback = "all";
    else if (has.has("recording.own")) permissions.recordingPlayback = "own";
    const addOns = (["agent", "crm"] as const).filter((x) => has.has(`addOn.${x}`));
    const ucClient: NonNullable<User["ucClient"]> = {};
    if (has.has("uc.desktop")) ucClient.desktop = true;
    if (has.has("uc.crm")) ucClient.crm = true;
    return {
      email: a.email,
      displayName: a.displayName,
      origin: a.origin,
      ...(a.extension !== null ? { extension: a.extension } : {}),
      accessType: has.has("access.professional") ? "professional" : has.has("access.essential") ? "essential" : "none",
      ...(addOns.length ? { addOns: [...addOns] } : {}),
      ...(tiers.length ? { tier: tiers[0] } : {}),
      ...(Object.keys(permissions).length ? { permissions } : {}),
      ...(Object.keys(ucClient).length ? { ucClient } : {}),
    };
  }

  /** Preview: refusals for slots without a key, and a warning per default key assumed that is not high-confidence. */
  judge(u: EffectiveUser): { missing: Slot[]; assumed: Slot[] } {
    const slots = slotsOf(u);
    return { missing: slots.filter((s) => !this.table[s].key), assumed: slots.filter((s) => this.table[s].from === "documented" || this.table[s].from === "inferred") };
  }

  /** Whether a key is licensed (its addition may be charged, §1.4): user access types, add-ons, supervisor levels, Real-Time. */
  licensed(key: string): boolean {
    const s = this.slotOf.get(key);
    return key === REALTIME || key === "customer.user.microsoftteams" || (s !== undefined && (s.startsWith("access.") || s.startsWith("addOn.") || s.startsWith("tier.")));
  }
  describe(key: string): string {
    const s = this.slotOf.get(key);
    return s ? `${key} (${s})` : key === REALTIME ? `${key} (Real-Time add-on)` : key;
  }
}

export function missingMessage(slots: readonly Slot[]): string {
  return `the Xarios role key for ${slots.join(", ")} is not in the public docs (${ROLE_KEYS[slots[0]].note}); read it from your tenant (GET a user who holds it) and set it with \`pulumi config set ${ROLE_KEYS_CONFIG} '{"${slots[0]}":"<key>"}'\` (a JSON object of slot → key, all slots in one value)`;
}
