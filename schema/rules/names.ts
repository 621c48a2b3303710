import type { Manifest } from "../manifest";
import { place, type Violation, finding } from "./context";
import type { Declared } from "./declared";
import type { RuleFamily } from "./family";

/** NAME-1: natural keys are unique, so the provider can reconcile by them. */
export function nameRules(m: Pick<Manifest, "groups" | "workspaces" | "roles">, declared: Declared): Violation[] {
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
    dupes(m[kind], (x) => x.name.toLowerCase(), (x, i, first) =>
      out.push(place(finding("NAME-1", ["name"], `${kind.slice(0, -1)} "${x.name}" is declared twice (first at ${kind}[${first}])`, "merge the two declarations or rename one"),
        `${kind.slice(0, -1)} ${x.name}`, [kind, i])));
  }
  dupes(declared.users, (d) => d.eff.key, (d, _i, first) =>
    out.push(place(finding("NAME-1", [d.eff.origin === "pbx" ? "extension" : "email"], `${d.resource} is declared twice (first at ${declared.users[first].path.join(".")})`,
      "merge the two declarations"), d.resource, d.path)));
  dupes(declared.grants, (g) => `${g.grant.workspace}\u0000${g.grant.user.toLowerCase()}`, (g) =>
    out.push(place(finding("NAME-1", ["user"], `${g.grant.user} is granted access to workspace "${g.grant.workspace}" twice`, "keep one grant with the access level you want"),
      g.resource, g.path)));
  return out;
}

export const names = {
  name: "names",
  rules: {
    "NAME-1": {
      rejects: "two groups, workspaces or roles with the same name, two users with the same extension, or two grants of one user to one workspace",
      why: "names and extensions are the natural keys the provider reconciles by",
      source: "004", scope: "plan", needs: [], severity: "error",
    },
  },
  plan: (m, declared): Violation[] => nameRules(m, declared),
} as const satisfies RuleFamily;
