// Per-stack overlays: one manifest shared by every environment, and a small file per stack with
// what differs there (e.g. production has fewer Live Analytics seats).
import { z } from "zod";
import { emailKey, Manifest, nameKey, userKey } from "../schema";
import { LoadError } from "./load";
import { checkShape, formatPath, formatProblem, type Problem, readYaml } from "./parse";
import type { SourceTree } from "./source";
import { closest } from "./suggest";
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

function mergeBy<T>(base: readonly T[], over: readonly T[] | undefined, removed: readonly string[] | undefined, key: (t: T) => string[], refKey: (r: string) => string): T[] {
  const drop = new Set((removed ?? []).map(refKey));
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

// Users are matched by extension or email (emails trimmed and case-insensitive), the rest by name
// (under Unicode NFC, case-insensitive): what NAME-1 calls one entity.
const refKey = (r: string) => emailKey(r);
const userKeys = (u: Manifest["users"][number]) =>
  [u.extension, u.email].filter((x): x is string => x !== undefined).map(refKey).concat(userKey(u));
const namesOf = (x: { name: string }) => [nameKey(x.name)];
const KINDS = ["users", "groups", "workspaces", "roles"] as const;

/** Where a loaded overlay came from, to place its problems (overlays built in code have none). */
const SOURCES = new WeakMap<Overlay, { file: string; tree?: SourceTree }>();

/** A `remove:` entry that names nothing in the base manifest (a misspelt email, a renamed group): refused, not ignored. */
export function overlayProblems(base: Manifest, overlay: Overlay): Problem[] {
  const src = SOURCES.get(overlay);
  const out: Problem[] = [];
  for (const kind of KINDS) {
    const keys = new Set(base[kind].flatMap((x) => (kind === "users" ? userKeys(x as Manifest["users"][number]) : namesOf(x as { name: string }))));
    const names = kind === "users"
      ? base.users.flatMap((u) => [u.email, u.extension].filter((x): x is string => x !== undefined))
      : base[kind].map((x) => (x as { name: string }).name);
    (overlay.remove?.[kind] ?? []).forEach((entry, i) => {
      if (keys.has(kind === "users" ? refKey(entry) : nameKey(entry)) || (kind === "users" && keys.has(`ext:${entry}`))) return;
      const path = ["remove", kind, i];
      const near = closest(entry.trim(), names);
      const { line, column } = src?.tree?.locate(path, "value") ?? { line: 1, column: 1 };
      out.push({
        file: src?.file ?? "overlay", line, column, path: formatPath(path), rule: "OVERLAY", severity: "error",
        message: `remove: ${kind.slice(0, -1)} "${entry}" names nothing in the base manifest, so nothing would be removed`,
        fix: near ? `did you mean "${near}"?` : `name one of the base manifest's ${kind} (${kind === "users" ? "by extension or email" : "by name"}), or delete the entry`,
      });
    });
  }
  return out;
}

/** An overlay that cannot be applied: every problem placed at file:line:column. */
export class OverlayError extends LoadError {
  constructor(readonly problems: Problem[]) {
    super(`the overlay does not apply to the manifest:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
  }
}

/** The base manifest with the overlay applied. Throws OverlayError when a `remove:` entry names nothing. */
export function applyOverlay(base: Manifest, overlay: Overlay): Manifest {
  const problems = overlayProblems(base, overlay);
  if (problems.length) throw new OverlayError(problems);
  return {
    ...base,
    users: mergeBy(base.users, overlay.users, overlay.remove?.users, userKeys, refKey),
    groups: mergeBy(base.groups, overlay.groups, overlay.remove?.groups, namesOf, nameKey),
    workspaces: mergeBy(base.workspaces, overlay.workspaces, overlay.remove?.workspaces, namesOf, nameKey),
    roles: mergeBy(base.roles, overlay.roles, overlay.remove?.roles, namesOf, nameKey),
  };
}

/** Reads an overlay file, every problem placed at file:line:column. */
export function loadOverlay(file: string): { overlay?: Overlay; problems: Problem[] } {
  const read = readYaml(readFileSync(file, "utf8"), file);
  const shaped = checkShape(Overlay, read, file);
  if (shaped.value) SOURCES.set(shaped.value, { file, tree: read.tree });
  return { overlay: shaped.value, problems: shaped.problems };
}
