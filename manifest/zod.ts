// The one walk over zod schemas that the file format needs: through the wrappers (optional,
// default, nullable, pipe, lazy …) to the schema that decides a value's shape, and from there to
// a child by key or index. Problems use it to suggest keys (issues.ts), the writer to order keys
// and leave defaults out (write.ts), the docs to describe fields (docs.ts). The JSON Schema is
// zod's own (z.toJSONSchema in jsonSchema.ts).
import type { z } from "zod";

export type AnySchema = z.core.$ZodType;
export type PathSegment = string | number;

/** The parts of a zod definition read here (zod 4's `_zod.def`). */
interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  getter?: () => AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  options?: AnySchema[];
  keyType?: AnySchema;
  valueType?: AnySchema;
  entries?: Record<string, string | number>;
  values?: unknown[];
  defaultValue?: unknown;
}

export const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** One wrapper less (optional, default, nullable, readonly, prefault, catch, pipe's input, lazy), or undefined at the core. */
function inner(s: AnySchema): AnySchema | undefined {
  const d = defOf(s);
  if (d.innerType) return d.innerType;
  if (d.type === "pipe") return d.in;
  if (d.type === "lazy") return d.getter!();
  return undefined;
}

/** The wrappers of `s`, outermost first, ending with the schema that decides the shape. */
export function layers(s: AnySchema): AnySchema[] {
  const out = [s];
  for (let i = 0, next = inner(s); next && i < 20; i++, next = inner(next)) out.push(next);
  return out;
}

/** Strips optional, default, nullable, pipe, lazy … down to the schema that decides the shape. */
export const unwrap = (s: AnySchema): AnySchema => layers(s).at(-1)!;

/** The schema of `s`'s child at `seg` (a key of an object or record, an index of an array), through unions. */
export function child(s: AnySchema, seg: PathSegment): AnySchema | undefined {
  const d = defOf(unwrap(s));
  switch (d.type) {
    case "object": return Object.hasOwn(d.shape!, String(seg)) ? d.shape![String(seg)] : undefined;
    case "array": return typeof seg === "number" ? d.element : undefined;
    case "record": return d.valueType;
    case "union":
      for (const o of d.options!) {
        const c = child(o, seg);
        if (c) return c;
      }
      return undefined;
    default: return undefined;
  }
}

/** The schema that validates the value at `path`, unwrapped, if the path is one the schema knows. */
export function schemaAt(root: AnySchema, path: readonly PathSegment[]): AnySchema | undefined {
  let s: AnySchema | undefined = root;
  for (const seg of path) {
    if (!s) return undefined;
    s = child(s, seg);
  }
  return s && unwrap(s);
}

/**
 * The keys an object schema has, in the schema's order: an object's fields, a record's keys when
 * they are an enum, a union's from its first object option. Empty for anything else.
 */
export function keysOf(s: AnySchema | undefined): string[] {
  if (!s) return [];
  const d = defOf(unwrap(s));
  if (d.type === "object") return Object.keys(d.shape!);
  if (d.type === "record") {
    const k = defOf(unwrap(d.keyType!));
    if (k.type === "enum") return Object.values(k.entries!).map(String);
  }
  if (d.type === "union")
    for (const o of d.options!) {
      const keys = keysOf(o);
      if (keys.length) return keys;
    }
  return [];
}

/** The element schema of an array schema. */
export function elementOf(s: AnySchema | undefined): AnySchema | undefined {
  if (!s) return undefined;
  const d = defOf(unwrap(s));
  return d.type === "array" ? d.element : undefined;
}

/** The default the outermost `default` wrapper gives, when there is one (a fresh value each call). */
export function defaultOf(s: AnySchema | undefined): { value: unknown } | undefined {
  if (!s) return undefined;
  const d = layers(s).map(defOf).find((x) => x.type === "default");
  return d ? { value: d.defaultValue } : undefined;
}

/** Whether a value may be left out: an optional (or defaulted) wrapper on the way to the core. */
export const isOptional = (s: AnySchema): boolean => layers(s).some((l) => ["optional", "default", "prefault"].includes(defOf(l).type));
