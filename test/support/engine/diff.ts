/**
 * The engine's own property logic, as pkg/resource/deploy/step_generator.go applies it around a
 * provider's Check and Diff:
 * - `processIgnoreChanges`: each ignoreChanges path is reset to its old value *before* Check
 *   (continueStepsFromImport) and again when the engine computes a diff itself (diffResource);
 * - `inputDiff`: what `diffResource` computes when the provider answers DIFF_UNKNOWN (old inputs
 *   against new inputs; sdk/go/common/resource/properties_diff.go ObjectDiff, ChangedKeys);
 * - `applyReplaceOnChanges`: a changed key under a replaceOnChanges path becomes a replace key.
 * Property paths follow sdk/go/common/resource/property_path.go: `a.b[0]["c.d"]`, `*` wildcard.
 */
import { UNKNOWN, deepEqual, type Props } from "./wire";

export type PathElement = string | number;

/** Parse a property path (ParsePropertyPath). */
export function parsePath(text: string): PathElement[] {
  const out: PathElement[] = [];
  let i = 0;
  const name = () => {
    const m = /^[^.[\]]+/.exec(text.slice(i));
    if (!m) throw new Error(`invalid property path ${JSON.stringify(text)} at ${i}`);
    i += m[0].length;
    out.push(m[0]);
  };
  name();
  while (i < text.length) {
    if (text[i] === ".") {
      i++;
      name();
    } else if (text[i] === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) throw new Error(`invalid property path ${JSON.stringify(text)}: missing ]`);
      const inner = text.slice(i + 1, close);
      out.push(/^"(.*)"$/.test(inner) ? JSON.parse(inner) : inner === "*" ? "*" : Number(inner));
      i = close + 1;
    } else {
      throw new Error(`invalid property path ${JSON.stringify(text)} at ${i}`);
    }
  }
  return out;
}

function get(obj: unknown, path: PathElement[]): { found: boolean; value?: unknown } {
  let cur: unknown = obj;
  for (const el of path) {
    if (cur === null || typeof cur !== "object" || !(String(el) in (cur as Props))) return { found: false };
    cur = (cur as Props)[String(el)];
  }
  return { found: true, value: cur };
}

/**
 * PropertyPath.Reset: make `news` hold what `olds` holds at the path (delete it when olds has
 * nothing there). Returns false when the path's parent exists in neither.
 */
function reset(olds: Props, news: Props, path: PathElement[]): boolean {
  const parentPath = path.slice(0, -1);
  const last = String(path[path.length - 1]);
  const oldParent = get(olds, parentPath);
  const newParent = get(news, parentPath);
  if (!newParent.found || newParent.value === null || typeof newParent.value !== "object") return !oldParent.found;
  const target = newParent.value as Props;
  const old = oldParent.found && oldParent.value && typeof oldParent.value === "object" ? get(oldParent.value, [last]) : { found: false };
  if (old.found) target[last] = structuredClone(old.value);
  else delete target[last];
  return true;
}

/** processIgnoreChanges: a copy of `inputs` with every ignored path reset to the old inputs' value. */
export function processIgnoreChanges(inputs: Props, oldInputs: Props, ignoreChanges: readonly string[]): { inputs: Props; invalid: string[] } {
  const out = structuredClone(inputs);
  const invalid: string[] = [];
  for (const p of ignoreChanges) {
    let path: PathElement[];
    try {
      path = parsePath(p);
    } catch {
      continue;
    }
    if (!reset(oldInputs, out, path)) invalid.push(p);
  }
  return { inputs: out, invalid };
}

/** Paths (dotted) at which two values differ; an unknown differs from everything. */
export function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
  if (b === UNKNOWN || a === UNKNOWN) return a === b && a !== UNKNOWN ? [] : [prefix];
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as Props), ...Object.keys(b as Props)])].sort();
    return keys.flatMap((k) => changedPaths((a as Props)[k], (b as Props)[k], prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(...changedPaths(a[i], b[i], `${prefix}[${i}]`));
    return out;
  }
  return deepEqual(a, b) ? [] : [prefix];
}

export interface EngineDiff {
  changes: "some" | "none";
  /** Top-level input keys that change (DiffResult.ChangedKeys); empty when the provider decided without saying. */
  changedKeys: string[];
  /** Paths within them, for display (DetailedDiff); empty when the provider decided. */
  detailed: string[];
  replaceKeys: string[];
  deleteBeforeReplace: boolean;
  /** Who decided: the provider (DIFF_SOME/DIFF_NONE) or the engine from inputs (DIFF_UNKNOWN). */
  decidedBy: "provider" | "engine";
}

/** diffResource's fallback for DIFF_UNKNOWN: old inputs against the new ones (ignoreChanges applied). */
export function inputDiff(oldInputs: Props, newInputs: Props, ignoreChanges: readonly string[]): { changedKeys: string[]; detailed: string[] } {
  const news = processIgnoreChanges(newInputs, oldInputs, ignoreChanges).inputs;
  const detailed = changedPaths(oldInputs, news);
  const changedKeys = [...new Set(detailed.map((p) => String(parsePath(p)[0])))].sort();
  return { changedKeys, detailed };
}

/** PropertyPath.Contains: `p` is a prefix of `q` (with `*` matching any element). */
function contains(p: PathElement[], q: PathElement[]): boolean {
  if (p.length > q.length) return false;
  return p.every((el, i) => el === "*" || String(el) === String(q[i]));
}

/** applyReplaceOnChanges: changed keys (and detailed paths) under a replaceOnChanges path become replace keys. */
export function applyReplaceOnChanges(diff: EngineDiff, replaceOnChanges: readonly string[]): EngineDiff {
  if (diff.changes !== "some" || replaceOnChanges.length === 0) return diff;
  const paths = replaceOnChanges.map(parsePath);
  const replace = new Set(diff.replaceKeys);
  for (const k of diff.changedKeys) if (paths.some((p) => contains(p, [k]))) replace.add(k);
  for (const d of diff.detailed) if (paths.some((p) => contains(p, parsePath(d)))) replace.add(String(parsePath(d)[0]));
  return { ...diff, replaceKeys: [...replace].sort() };
}
