// Named roles (Office@Hand, IntelePeer): who each role's Role resource adds and removes, by the
// membership the manifest chose, and how many holders it leaves alone.
import { type Declared, type Manifest, type Membership, membershipOf, normalizeIn, PROFILES, type RuleContext } from "../schema";
import { byText } from "./order";
import type { RoleReview } from "./types";

/** How a role's holders are managed: declared roles by their (or the manifest's) membership; roles only named by users always additively. */
export function roleMemberships(m: Manifest): Map<string, Membership> {
  const out = new Map<string, Membership>();
  for (const r of m.roles) out.set(r.name, Object.hasOwn(PROFILES[m.profile].presetRoles ?? {}, r.name) ? (r.membership ?? "additive") : membershipOf(r, m));
  for (const u of m.users) for (const name of u.roles ?? []) if (!out.has(name)) out.set(name, "additive");
  return out;
}

/** Users (natural keys) the manifest lists as holders of each role. */
function listed(m: Manifest, keyOf: (u: Manifest["users"][number], i: number) => string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  m.users.forEach((u, i) => {
    for (const name of u.roles ?? []) {
      if (!out.has(name)) out.set(name, new Set());
      out.get(name)!.add(keyOf(u, i));
    }
  });
  return out;
}

/**
 * Per named role the manifest manages: holders added (declared, not holding it live), holders
 * removed (authoritative: every live holder the manifest does not list; additive: those the
 * previous manifest listed and this one does not, when it is known), and the others left alone.
 * `previous` is the manifest the stack applied last (the pull request's base); without it an
 * additive role's removals cannot be known here and the review says so.
 */
export function reviewRoles(m: Manifest, declared: Declared, ctx: RuleContext, previous?: Manifest): RoleReview[] {
  if (PROFILES[m.profile].roles !== "named") return [];
  const now = listed(m, (_u, i) => declared.users[i].eff.key);
  const before = previous ? listed(previous, (u) => normalizeIn(ctx, u).key) : undefined;
  const live = new Map<string, Set<string>>();
  for (const u of ctx.liveUsers?.values() ?? []) for (const name of u.roles) {
    if (!live.has(name)) live.set(name, new Set());
    live.get(name)!.add(u.key);
  }
  const declaredNames = new Set(m.roles.map((r) => r.name));
  const out: RoleReview[] = [];
  for (const [name, membership] of roleMemberships(m)) {
    const want = now.get(name) ?? new Set<string>();
    const holding = live.get(name) ?? new Set<string>();
    const added = [...want].filter((k) => !holding.has(k));
    const others = [...holding].filter((k) => !want.has(k));
    const removed = membership === "authoritative" ? others : previous ? others.filter((k) => before?.get(name)?.has(k)) : [];
    const leftAlone = others.length - removed.length;
    out.push({
      name,
      membership,
      holdersOnly: !declaredNames.has(name) || Object.hasOwn(PROFILES[m.profile].presetRoles ?? {}, name),
      added: added.sort(byText),
      removed: removed.sort(byText),
      leftAlone,
      removalsKnown: membership === "authoritative" || previous !== undefined || ctx.liveUsers === undefined ? true : leftAlone === 0,
    });
  }
  // A role the previous manifest named and this one does not: its Role resource is deleted. A
  // custom role the stack declared goes with all its holders; a holders-only one (a preset, a
  // portal role) loses only the holders the stack listed.
  if (previous) {
    const presets = PROFILES[m.profile].presetRoles ?? {};
    const prevDeclared = new Set(previous.roles.map((r) => r.name));
    for (const [name, membership] of roleMemberships(previous)) {
      if (out.some((r) => r.name === name)) continue;
      const holding = [...(live.get(name) ?? [])];
      const holdersOnly = !prevDeclared.has(name) || Object.hasOwn(presets, name);
      const removed = holdersOnly ? holding.filter((k) => before?.get(name)?.has(k)) : holding;
      out.push({ name, membership, holdersOnly, added: [], removed: removed.sort(byText), leftAlone: holding.length - removed.length, removalsKnown: true });
    }
  }
  return out.sort((a, b) => byText(a.name, b.name));
}

const who = (key: string): string => (key.startsWith("ext:") ? `ext ${key.slice(4)}` : key.replace(/^email:/, ""));

/** A role's change in words: what the preview prints for its Role resource, and the review's line. */
export function roleLine(r: RoleReview): string {
  const parts = [
    r.added.length ? `adds ${r.added.map(who).join(", ")}` : "",
    r.removed.length ? `removes ${r.removed.map(who).join(", ")}` : "",
    r.leftAlone
      ? r.removalsKnown
        ? `leaves ${r.leftAlone} other holder${r.leftAlone === 1 ? "" : "s"} alone`
        : `${r.leftAlone} other holder${r.leftAlone === 1 ? "" : "s"} not in the manifest: left alone, except any this stack listed before (the review cannot see the stack's state; \`pulumi preview\` names them)`
      : "",
  ].filter(Boolean);
  return `${r.name} (${r.membership}${r.holdersOnly ? ", holders only" : ""}): ${parts.join("; ") || "no holder changes"}`;
}
