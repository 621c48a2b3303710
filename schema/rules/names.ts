import type { Manifest } from "../manifest";
import { type EffectiveUser, emailKey, nameKey } from "../normalize";
import { place, type RuleContext, type Violation, finding } from "./context";
import { type Declared, userLookup } from "./declared";
import type { RuleFamily } from "./family";

/**
 * Who a grant's user reference names, as a key: the user it finds (declared or live) by email or
 * extension; else, with the tenant's directory, the directory entry's extension (by extension or
 * by email); else the reference itself (trimmed, case-insensitive). One user referenced once by
 * extension and once by email is then one key.
 */
function grantUserKeys(declared: Declared, ctx?: Pick<RuleContext, "liveUsers" | "directory">): (ref: string) => string {
  // Built on the first grant only: a manifest without grants pays no pass over the tenant's users.
  let find: ((ref: string) => EffectiveUser | undefined) | undefined;
  let dirByEmail: Map<string, string> | undefined;
  return (ref) => {
    find ??= userLookup([...(ctx?.liveUsers?.values() ?? []), ...declared.users.map((d) => d.eff)]);
    if (!dirByEmail) {
      dirByEmail = new Map<string, string>();
      for (const e of ctx?.directory?.values() ?? []) if (e.email) dirByEmail.set(emailKey(e.email), e.extension);
    }
    const u: EffectiveUser | undefined = find(ref);
    if (u) return u.key;
    const r = ref.trim();
    if (ctx?.directory?.has(r)) return `ext:${r}`;
    const ext = dirByEmail.get(emailKey(r));
    return ext !== undefined ? `ext:${ext}` : `ref:${emailKey(r)}`;
  };
}

/** NAME-1: natural keys are unique, so the provider can reconcile by them. Names compare under NFC, case-insensitively. */
export function nameRules(m: Pick<Manifest, "groups" | "workspaces" | "roles">, declared: Declared, ctx?: Pick<RuleContext, "liveUsers" | "directory">): Violation[] {
  const out: Violation[] = [];
  const dupes = <T>(items: readonly T[], keyOf: (t: T) => string | null, report: (t: T, i: number, first: number) => void) => {
    const seen = new Map<string, number>();
    items.forEach((t, i) => {
      const k = keyOf(t);
      if (k === null) return;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else report(t, i, first);
    });
  };
  for (const kind of ["groups", "workspaces", "roles"] as const) {
    dupes(m[kind], (x) => nameKey(x.name), (x, i, first) =>
      out.push(place(finding("NAME-1", ["name"], `${kind.slice(0, -1)} "${x.name}" is declared twice (first at ${kind}[${first}])`, "merge the two declarations or rename one"),
        `${kind.slice(0, -1)} ${x.name}`, [kind, i])));
  }
  dupes(declared.users, (d) => d.eff.key, (d, _i, first) =>
    out.push(place(finding("NAME-1", [d.eff.origin === "pbx" ? "extension" : "email"], `${d.resource} is declared twice (first at ${declared.users[first].path.join(".")})`,
      "merge the two declarations"), d.resource, d.path)));
  const userOf = grantUserKeys(declared, ctx);
  dupes(declared.grants, (g) => `${nameKey(g.grant.workspace)}\u0000${userOf(g.grant.user)}`, (g, _i, first) => {
    const earlier = declared.grants[first].grant.user;
    const same = emailKey(earlier) === emailKey(g.grant.user);
    out.push(place(finding("NAME-1", ["user"],
      same ? `${g.grant.user} is granted access to workspace "${g.grant.workspace}" twice`
        : `${g.grant.user} is granted access to workspace "${g.grant.workspace}" twice: it is the same user as ${earlier} (granted at ${declared.grants[first].path.join(".")}); two grants of one user would fight over one portal grant`,
      same ? "keep one grant with the access level you want" : `keep one grant with the access level you want, referencing the user once (by ${earlier} or by ${g.grant.user})`),
      g.resource, g.path));
  });
  return out;
}

export const names = {
  name: "names",
  rules: {
    "NAME-1": {
      rejects: "two groups, workspaces or roles with the same name (compared under Unicode NFC, case-insensitively), two users with the same extension, or two grants of one user to one workspace (by extension and by email alike, resolved through the directory when the tenant is known)",
      why: "names and extensions are the natural keys the provider reconciles by",
      source: "004", scope: "plan", needs: [], severity: "error",
    },
  },
  plan: (m, declared, ctx): Violation[] => nameRules(m, declared, ctx),
} as const satisfies RuleFamily;
