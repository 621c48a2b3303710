// Per-stack overlays: one manifest shared by every environment, and a small file per stack with
// what differs there (e.g. production has fewer Live Analytics seats).
import { z } from "zod";
import { Manifest, userKey } from "../schema";
import { checkShape, type Problem, readYaml } from "./parse";
import { readFileSync } from "node:fs";

/**
 * An overlay: the manifest's lists, each entry replacing the base entry with the same natural key
 * (users by extension or email, the rest by name) or adding one; `remove` drops base entries.
 */
export const Overlay = z
  .strictObject({
    $schema: z.string().optional(),
    users: Manifest.shape.users.optional(),
    groups: Manifest.shape.groups.optional(),
    workspaces: Manifest.shape.workspaces.optional(),
    roles: Manifest.shape.roles.optional(),
    remove: z
      .strictObject({
        users: z.array(z.string()).optional().meta({ description: "Extensions or emails of base users to leave out." }),
        groups: z.array(z.string()).optional(),
        workspaces: z.array(z.string()).optional(),
        roles: z.array(z.string()).optional(),
      })
      .optional(),
  })
  .meta({ description: "What one stack changes in the shared manifest." });
export type Overlay = z.infer<typeof Overlay>;

function mergeBy<T>(base: readonly T[], over: readonly T[] | undefined, removed: readonly string[] | undefined, key: (t: T) => string[]): T[] {
  const drop = new Set((removed ?? []).map((r) => r.toLowerCase()));
  const replaced = new Map<string, T>();
  for (const o of over ?? []) for (const k of key(o)) replaced.set(k, o);
  const out: T[] = [];
  const used = new Set<T>();
  for (const b of base) {
    const keys = key(b);
    if (keys.some((k) => drop.has(k))) continue;
    const o = keys.map((k) => replaced.get(k)).find((x) => x !== undefined);
    if (o) used.add(o);
    out.push(o ?? b);
  }
  for (const o of over ?? []) if (!used.has(o)) out.push(o);
  return out;
}

const userKeys = (u: Manifest["users"][number]) =>
  [u.extension, u.email].filter((x): x is string => x !== undefined).map((x) => x.toLowerCase()).concat(userKey(u));
const nameKey = (x: { name: string }) => [x.name.toLowerCase()];

export function applyOverlay(base: Manifest, overlay: Overlay): Manifest {
  return {
    ...base,
    users: mergeBy(base.users, overlay.users, overlay.remove?.users, userKeys),
    groups: mergeBy(base.groups, overlay.groups, overlay.remove?.groups, nameKey),
    workspaces: mergeBy(base.workspaces, overlay.workspaces, overlay.remove?.workspaces, nameKey),
    roles: mergeBy(base.roles, overlay.roles, overlay.remove?.roles, nameKey),
  };
}

/** Reads an overlay file, every problem placed at file:line:column. */
export function loadOverlay(file: string): { overlay?: Overlay; problems: Problem[] } {
  const shaped = checkShape(Overlay, readYaml(readFileSync(file, "utf8"), file), file);
  return { overlay: shaped.value, problems: shaped.problems };
}
