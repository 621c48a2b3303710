// The manifest reader's limits: bounded work and memory for any input, each refused at
// file:line:column with what to do (README, "Limits"). Names and descriptions share their length
// limits with the platform through ../platform/limits (one source, no schema import there).

export const LIMITS = {
  /** Largest manifest or facts file read, in bytes (64 MiB). */
  fileBytes: 64 * 1024 * 1024,
  /** Longest mapping key, in characters. */
  keyLength: 1024,
  /** Deepest nesting of mappings and lists (a manifest needs 5). */
  depth: 64,
  /** Most nodes aliases (`*name`) may add to the document once expanded. */
  aliasNodes: 100_000,
  /** Most problems listed; past it a count of the rest. */
  problems: 1000,
  /** Largest file the `yaml` package re-reads to place a syntax error exactly (js-yaml's position otherwise). */
  exactSyntaxBytes: 32 * 1024,
} as const;

/** A limit hit while reading: where (a text offset) and what to do. */
export class LimitError extends Error {
  constructor(readonly offset: number, message: string, readonly fix: string) {
    super(message);
  }
}

const n = (x: number): string => x.toLocaleString("en-US");

/** Walks a read value, iteratively, within the limits: key length, depth (aliases may double it), alias expansion (budget = nodes). */
export function checkValue(value: unknown, budget: number, maxDepth: number = LIMITS.depth * 2): { kind: "key"; path: (string | number)[]; key: string } | { kind: "depth" | "aliases" } | undefined {
  type Frame = { v: unknown; path: (string | number)[] | null; depth: number; key?: string | number; parent?: Frame };
  let visited = 0;
  const stack: Frame[] = [{ v: value, path: null, depth: 0 }];
  const pathOf = (f: Frame): (string | number)[] => {
    const out: (string | number)[] = [];
    for (let x: Frame | undefined = f; x && x.key !== undefined; x = x.parent) out.unshift(x.key);
    return out;
  };
  while (stack.length) {
    const f = stack.pop()!;
    if (++visited > budget) return { kind: "aliases" };
    const v = f.v;
    if (v === null || typeof v !== "object") continue;
    if (f.depth >= maxDepth) return { kind: "depth" };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: null, depth: f.depth + 1, key: i, parent: f });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i];
        if (k.length > LIMITS.keyLength) {
          return { kind: "key", path: [...pathOf(f), k], key: k };
        }
        stack.push({ v: (v as Record<string, unknown>)[k], path: null, depth: f.depth + 1, key: k, parent: f });
      }
    }
  }
  return undefined;
}

export const limitText = {
  fileBytes: () => ({
    message: `the file is larger than the limit of ${n(LIMITS.fileBytes)} bytes (64 MiB)`,
    fix: "split the manifest (an overlay per stack, or one stack per tenant)",
  }),
  keyLength: (len: number) => ({
    message: `a key of ${n(len)} characters, over the limit of ${n(LIMITS.keyLength)}`,
    fix: "shorten the key: manifest keys are field names (a name or email goes in a value)",
  }),
  depth: () => ({
    message: `nesting deeper than ${LIMITS.depth} levels`,
    fix: "flatten the document: a manifest nests at most 5 levels (users[].permissions.…)",
  }),
  aliases: () => ({
    message: `aliases expand the document by more than ${n(LIMITS.aliasNodes)} nodes`,
    fix: "write the repeated parts out, or use a role template (roles:) instead of YAML aliases",
  }),
};
